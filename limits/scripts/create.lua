-- create.lua: create a session, enforcing the per-user session limit.
--
-- KEYS: the ten session keys (see lib.lua), for the new session.
-- ARGV[1..5]: as in lib.lua (auth is not checked: creating is the
--   trusted backend's call).
-- ARGV[6]  absolute lifetime, ms
-- ARGV[7]  generation: a random id of this incarnation of the session
-- ARGV[8]  hash of the first token ("" for none)
-- ARGV[9]  token lifetime, ms
-- ARGV[10] max live sessions per user
-- ARGV[11] over-limit policy: "reject" or "evict_lru"
-- ARGV[12] max session size, bytes
-- ARGV[13] max user state size, bytes
-- ARGV[14..] session state changes, then user state changes (lib.lua)
-- Returns {"OK", "", metadata JSON, token expiry, {evicted ids},
--   {user state field, value, ...}} or a refusal: EXISTS, LIMIT.

prune_expired(100)
if live(SID) then return refuse('EXISTS', 'session already exists') end

local user_at, bytes = state_size(K.state, 14)
if bytes > tonumber(ARGV[12]) then
  return refuse('LIMIT', 'max_session_size_bytes')
end
local user_grow = user_state_grow(user_at, tonumber(ARGV[13]))
if not user_grow then return refuse('LIMIT', 'max_user_state_bytes') end

local max = tonumber(ARGV[10])
local count = redis.call('ZCOUNT', K.exp, '(' .. NOW, '+inf')
if count >= max then
  -- Entries whose metadata is gone (deleted by hand, or by a Redis that
  -- evicts keys) are not sessions and take no place.
  for _, sid in ipairs(redis.call('ZRANGEBYSCORE', K.exp, '(' .. NOW,
      '+inf', 'LIMIT', 0, count)) do
    if redis.call('HEXISTS', K.sessions, sid) == 0 then
      forget(sid, nil)
      count = count - 1
    end
  end
end
local evicted = {}
if count >= max then
  if ARGV[11] ~= 'evict_lru' then
    return refuse('LIMIT', 'max_sessions_per_user')
  end
  -- Evict from the least recently used end; entries found expired are
  -- dropped on the way without counting as evictions.
  while count >= max do
    local sid = redis.call('ZRANGE', K.used, 0, 0)[1]
    if not sid then break end
    local m = load_meta(sid)
    if m and m.e > NOW then
      count = count - 1
      evicted[#evicted + 1] = sid
    end
    forget(sid, m and m.g)
  end
end

local m = {c = NOW, u = NOW, v = 1, n = 0, b = bytes,
  d = NOW + tonumber(ARGV[6]), g = ARGV[7]}
apply_user_state(apply_state(K.state, 14), user_grow)
redis.call('ZADD', K.idx, NOW, SID)
touch(SID, m)
local texp = 0
if ARGV[8] ~= '' then texp = add_token(SID, m, ARGV[8], tonumber(ARGV[9])) end
save_meta(SID, m)
user_expire()
return {'OK', '', cjson.encode(m), ms(texp), evicted,
  redis.call('HGETALL', K.ustate)}
