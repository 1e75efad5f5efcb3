-- append.lua: append one event to a session and apply its state delta.
--
-- KEYS: the ten session keys (see lib.lua).
-- ARGV[1..5]: as in lib.lua.
-- ARGV[6]  expected version; "" accepts any
-- ARGV[7]  event id
-- ARGV[8]  event timestamp in seconds; "" to stamp it with Redis time,
--          in which case ARGV[9] carries no timestamp field
-- ARGV[9]  event JSON, a non-empty object
-- ARGV[10] "1" for a partial event: checked, never stored
-- ARGV[11] max events per session
-- ARGV[12] max session size, bytes
-- ARGV[13] max event size, bytes
-- ARGV[14] max user state size, bytes
-- ARGV[15..] session state changes, then user state changes (lib.lua)
-- Returns {"OK", outcome, metadata JSON, timestamp, event}, where
-- outcome is "" (stored), "duplicate" or "partial" and event is the one
-- stored before for a duplicate, "" otherwise (the caller has it), or a
-- refusal:
-- UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, CONFLICT, LIMIT, TOO_LARGE.

local denied = authorize(SID)
if denied then return denied end
local m = live(SID)
if not m then return refuse('NOT_FOUND', 'session not found') end

-- A retried append of a stored event succeeds without storing it
-- again, even though the retry carries the version from before it.
local seen = redis.call('HGET', K.ids, ARGV[7])
if seen then
  local ev = redis.call('HGET', K.events, seen)
  local ts = redis.call('ZSCORE', K.times, seen)
  return {'OK', 'duplicate', cjson.encode(m), ts, ev}
end

if ARGV[6] ~= '' and tonumber(ARGV[6]) ~= m.v then
  return refuse('CONFLICT', 'stored version is ' .. ms(m.v))
end

if ARGV[10] == '1' then
  touch(SID, m)
  save_meta(SID, m)
  user_expire()
  return {'OK', 'partial', cjson.encode(m), ARGV[8], ''}
end

local ts, ev = ARGV[8], ARGV[9]
if ts == '' then
  ts = string.format('%.3f', NOW / 1000)
  ev = '{"timestamp":' .. ts .. ',' .. string.sub(ev, 2)
end

if #ev > tonumber(ARGV[13]) then
  return refuse('TOO_LARGE', 'max_event_size_bytes')
end
if m.n + 1 > tonumber(ARGV[11]) then
  return refuse('LIMIT', 'max_events_per_session')
end
local user_at, grow = state_size(K.state, 15)
if m.b + #ev + grow > tonumber(ARGV[12]) then
  return refuse('LIMIT', 'max_session_size_bytes')
end
local user_grow = user_state_grow(user_at, tonumber(ARGV[14]))
if not user_grow then return refuse('LIMIT', 'max_user_state_bytes') end

local seq = m.n
redis.call('HSET', K.events, seq, ev)
redis.call('ZADD', K.times, ts, seq)
redis.call('HSET', K.ids, ARGV[7], seq)
apply_user_state(apply_state(K.state, 15), user_grow)

m.n, m.b, m.v, m.u = m.n + 1, m.b + #ev + grow, m.v + 1, NOW
redis.call('ZADD', K.idx, NOW, SID)
touch(SID, m)
save_meta(SID, m)
user_expire()
return {'OK', '', cjson.encode(m), ts, ''}
