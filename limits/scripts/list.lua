-- list.lua: one page of a user's sessions, most recently updated first.
--
-- KEYS: the ten session keys (see lib.lua); the four session data keys
--   are not used.
-- ARGV[1..5]: as in lib.lua, with ARGV[1] = "" (any session's token of
--   this user may list).
-- ARGV[6]  page size
-- ARGV[7]  cursor: last update (ms) of the previous page's last entry,
--          "" for the first page
-- ARGV[8]  cursor: session id of the previous page's last entry
-- ARGV[9]  "1" to also count each session's live tokens
-- Returns {"OK", "", {id, metadata JSON, live tokens, ...}, more} where
-- more is 1 when further pages remain, or a refusal: UNAUTHENTICATED.

local denied = authorize('')
if denied then return denied end
prune_expired(100)

local size, cscore, cid = tonumber(ARGV[6]), ARGV[7], ARGV[8]
local ids = {}
if cscore == '' then
  ids = redis.call('ZREVRANGE', K.idx, 0, size)
else
  -- Entries that tie with the cursor on score come in descending id
  -- order, as ZREVRANGE sorts them; then the strictly older ones.
  for _, sid in ipairs(redis.call('ZREVRANGEBYSCORE', K.idx, cscore,
      cscore)) do
    if sid < cid and #ids <= size then ids[#ids + 1] = sid end
  end
  if #ids <= size then
    local older = redis.call('ZREVRANGEBYSCORE', K.idx, '(' .. cscore,
      '-inf', 'LIMIT', 0, size + 1 - #ids)
    for _, sid in ipairs(older) do ids[#ids + 1] = sid end
  end
end

local counts = {}
if ARGV[9] == '1' then
  each_token(function(_, tsid, tgen, texp)
    if texp and texp > NOW then
      local key = tsid .. '\n' .. tgen
      counts[key] = (counts[key] or 0) + 1
    end
  end)
end

local out, more = {}, 0
for _, sid in ipairs(ids) do
  local raw = redis.call('HGET', K.sessions, sid)
  local m = raw and cjson.decode(raw)
  if m and m.e > NOW then
    if #out >= 3 * size then more = 1; break end
    out[#out + 1] = sid
    out[#out + 1] = raw
    out[#out + 1] = counts[sid .. '\n' .. m.g] or 0
  end
end
return {'OK', '', out, more}
