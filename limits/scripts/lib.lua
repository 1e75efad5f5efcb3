-- lib.lua: helpers shared by every session script. It is prepended to
-- each script at load time, so it defines functions only.
--
-- Every session script takes the same first ten KEYS:
--   KEYS[1]  sessions hash (session id -> metadata JSON)
--   KEYS[2]  idx zset (last update, ms)
--   KEYS[3]  exp zset (expiry, ms)
--   KEYS[4]  used zset (last use, ms)
--   KEYS[5]  tokens hash (token hash -> "gen\nexpiry\nsid": the session
--            id last, since it may itself hold newlines)
--   KEYS[6]  user state hash
--   KEYS[7..10] the session's state, events, times and event-id keys
-- and the same first ARGV:
--   ARGV[1]  session id ("" for user-wide calls such as listing)
--   ARGV[2]  auth mode: "none", "admin" or "token"
--   ARGV[3]  token hashes to look up, comma-separated
--   ARGV[4]  isolation: "1" when a token opens only its own session
--   ARGV[5]  idle timeout, ms
-- Scripts reply with a table whose first element is a status: "OK" or
-- one of the refusals below, followed by a detail string.

local K = {
  sessions = KEYS[1], idx = KEYS[2], exp = KEYS[3], used = KEYS[4],
  tokens = KEYS[5], ustate = KEYS[6],
  state = KEYS[7], events = KEYS[8], times = KEYS[9], ids = KEYS[10],
}
local SID, MODE, HASHES = ARGV[1], ARGV[2], ARGV[3]
local ISOLATION, IDLE = ARGV[4] == '1', tonumber(ARGV[5])
local AUTH_FIELD -- the token record that authorize accepted

local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local NOW = now_ms()

local function refuse(status, detail)
  return {status, detail or ''}
end

-- META caches the metadata read in this call, false for none: the
-- token check and the operation usually look up the same session.
local META = {}

local function load_meta(sid)
  if META[sid] == nil then
    local raw = redis.call('HGET', K.sessions, sid)
    META[sid] = raw and cjson.decode(raw) or false
  end
  return META[sid] or nil
end

local function save_meta(sid, m)
  META[sid] = m
  redis.call('HSET', K.sessions, sid, cjson.encode(m))
end

local function data_keys()
  return {K.state, K.events, K.times, K.ids}
end

-- parse_token splits a token record into session id, generation and
-- expiry (ms, nil when unreadable).
local function parse_token(rec)
  local gen, texp, sid = string.match(rec, '^([^\n]*)\n([^\n]*)\n(.*)$')
  return sid, gen, tonumber(texp)
end

-- each_token calls f(hash, sid, gen, expiry) for every token record of
-- the user.
local function each_token(f)
  local all = redis.call('HGETALL', K.tokens)
  for i = 1, #all, 2 do
    f(all[i], parse_token(all[i + 1]))
  end
end

-- remove_tokens deletes every token record of one incarnation of sid.
local function remove_tokens(sid, gen)
  each_token(function(hash, tsid, tgen)
    if tsid == sid and (gen == nil or tgen == gen) then
      redis.call('HDEL', K.tokens, hash)
    end
  end)
end

-- forget removes sid from the per-user structures. Its data keys are
-- deleted by the caller when it holds them in KEYS, otherwise they run
-- out on their own TTL and the janitor removes them.
local function forget(sid, gen)
  META[sid] = false
  redis.call('HDEL', K.sessions, sid)
  redis.call('ZREM', K.idx, sid)
  redis.call('ZREM', K.exp, sid)
  redis.call('ZREM', K.used, sid)
  if gen then remove_tokens(sid, gen) end
end

-- prune_expired forgets up to limit sessions whose expiry has passed.
local function prune_expired(limit)
  local gone = redis.call('ZRANGEBYSCORE', K.exp, '-inf', NOW,
    'LIMIT', 0, limit)
  for _, sid in ipairs(gone) do forget(sid, nil) end
  return #gone
end

-- user_expire gives the per-user keys the expiry of the user's
-- longest-lived session, or deletes them when no session is left.
local function user_expire()
  local last = redis.call('ZRANGE', K.exp, -1, -1, 'WITHSCORES')
  local keys = {K.sessions, K.idx, K.exp, K.used, K.tokens}
  if #last == 0 then
    redis.call('DEL', unpack(keys))
    return
  end
  for _, k in ipairs(keys) do
    redis.call('PEXPIREAT', k, last[2])
  end
end

-- touch extends the session's idle expiry, never past its deadline,
-- and records the use. The caller saves the metadata.
local function touch(sid, m)
  m.e = math.min(NOW + IDLE, m.d)
  redis.call('ZADD', K.exp, m.e, sid)
  redis.call('ZADD', K.used, NOW, sid)
  for _, k in ipairs(data_keys()) do
    redis.call('PEXPIREAT', k, m.e)
  end
end

-- live returns the metadata of sid when it is alive. A session found
-- expired is forgotten along with its data keys.
local function live(sid)
  local m = load_meta(sid)
  if m and m.e > NOW then return m end
  if m then forget(sid, m.g) end
  if sid == SID then redis.call('DEL', unpack(data_keys())) end
  return nil
end

-- authorize checks the caller's credential for sid ("" means any
-- session of this user). It returns a refusal, or nil when allowed.
local function authorize(sid)
  if MODE == 'none' or MODE == 'admin' then return nil end
  local rec, field
  for h in string.gmatch(HASHES, '[^,]+') do
    rec = redis.call('HGET', K.tokens, h)
    if rec then field = h; break end
  end
  if not rec then return refuse('UNAUTHENTICATED', 'unknown token') end
  local tsid, tgen, texp = parse_token(rec)
  if not texp or texp <= NOW then
    redis.call('HDEL', K.tokens, field)
    return refuse('UNAUTHENTICATED', 'token expired')
  end
  local m = load_meta(tsid)
  if not m or m.g ~= tgen or m.e <= NOW then
    redis.call('HDEL', K.tokens, field)
    return refuse('UNAUTHENTICATED', 'token revoked')
  end
  AUTH_FIELD = field
  if sid ~= '' and sid ~= tsid and ISOLATION then
    return refuse('FORBIDDEN', 'token belongs to another session')
  end
  return nil
end

-- add_token records a token for sid, expiring at min(now+ttl, deadline).
local function add_token(sid, m, hash, ttl)
  local texp = math.min(NOW + ttl, m.d)
  redis.call('HSET', K.tokens, hash,
    m.g .. '\n' .. string.format('%d', texp) .. '\n' .. sid)
  return texp
end

-- apply_state applies a flat list of changes starting at ARGV[i]: a
-- count n, then n pairs of (key, value), then a count d and d keys to
-- delete. It returns the ARGV index after the list.
local function apply_state(key, i)
  local n = tonumber(ARGV[i]); i = i + 1
  for j = 0, n - 1 do
    redis.call('HSET', key, ARGV[i + 2 * j], ARGV[i + 2 * j + 1])
  end
  i = i + 2 * n
  local d = tonumber(ARGV[i]); i = i + 1
  for j = 0, d - 1 do
    redis.call('HDEL', key, ARGV[i + j])
  end
  return i + d
end

-- state_size returns the bytes a flat change list at ARGV[i] would add
-- to key, without writing, and the index after the list.
local function state_size(key, i)
  local delta = 0
  local n = tonumber(ARGV[i]); i = i + 1
  for j = 0, n - 1 do
    local f, v = ARGV[i + 2 * j], ARGV[i + 2 * j + 1]
    local old = redis.call('HSTRLEN', key, f)
    if old > 0 then delta = delta - old - #f end
    delta = delta + #f + #v
  end
  i = i + 2 * n
  local d = tonumber(ARGV[i]); i = i + 1
  for j = 0, d - 1 do
    local old = redis.call('HSTRLEN', key, ARGV[i + j])
    if old > 0 then delta = delta - old - #ARGV[i + j] end
  end
  return i + d, delta
end

-- USER_BYTES is a field of the user state hash that counts the bytes of
-- the rest. No state key can clash with it: user state keys all start
-- with "user:".
local USER_BYTES = '#bytes'

-- user_state_grow returns how many bytes the user state changes at
-- ARGV[i] add, or nil when they would take the user state past cap.
local function user_state_grow(i, cap)
  local _, grow = state_size(K.ustate, i)
  local used = tonumber(redis.call('HGET', K.ustate, USER_BYTES)) or 0
  if grow > 0 and used + grow > cap then return nil end
  return grow
end

-- apply_user_state applies the user state changes at ARGV[i], which
-- grow it by grow bytes.
local function apply_user_state(i, grow)
  apply_state(K.ustate, i)
  if grow ~= 0 then redis.call('HINCRBY', K.ustate, USER_BYTES, grow) end
end

local function ms(x)
  return string.format('%d', x)
end
