-- get.lua: read a session, optionally only its recent events. A read
-- counts as activity: it extends the idle expiry up to the deadline.
--
-- KEYS: the ten session keys (see lib.lua).
-- ARGV[1..5]: as in lib.lua.
-- ARGV[6]  keep only the last N events; "-1" keeps all
-- ARGV[7]  keep only events with timestamp >= this (seconds); "" for all
-- ARGV[8]  "1" to also return the session's token records
-- ARGV[9]  "1" to read without counting as activity (an operator's look)
-- Returns {"OK", "", metadata JSON, {session state field, value, ...},
--   {user state field, value, ...}, {event, ...}, {token hash, expiry,
--   ...}} or a refusal: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND.

local denied = authorize(SID)
if denied then return denied end
local m = live(SID)
if not m then return refuse('NOT_FOUND', 'session not found') end

if ARGV[9] ~= '1' then
  touch(SID, m)
  save_meta(SID, m)
  user_expire()
end

local last, after = tonumber(ARGV[6]), ARGV[7]
local seqs = {}
if after ~= '' then
  seqs = redis.call('ZRANGEBYSCORE', K.times, after, '+inf')
  table.sort(seqs, function(a, b) return tonumber(a) < tonumber(b) end)
  if last >= 0 and #seqs > last then
    seqs = {unpack(seqs, #seqs - last + 1)}
  end
else
  local from = 0
  if last >= 0 then from = math.max(0, m.n - last) end
  for s = from, m.n - 1 do seqs[#seqs + 1] = s end
end

-- HMGET in chunks: unpack of a very long list overflows the Lua stack.
local events = {}
for i = 1, #seqs, 1000 do
  local got = redis.call('HMGET', K.events,
    unpack(seqs, i, math.min(i + 999, #seqs)))
  for _, e in ipairs(got) do
    if e then events[#events + 1] = e end
  end
end

local toks = {}
if ARGV[8] == '1' then
  each_token(function(hash, tsid, tgen, texp)
    if tsid == SID and tgen == m.g and texp and texp > NOW then
      toks[#toks + 1] = hash
      toks[#toks + 1] = ms(texp)
    end
  end)
end

return {'OK', '', cjson.encode(m), redis.call('HGETALL', K.state),
  redis.call('HGETALL', K.ustate), events, toks}
