-- reconcile.lua: remove from one user's keys what no request will meet
-- again. The caller names what to look at; this script decides, against
-- Redis time and inside one atomic call, what goes, so a session that a
-- request refreshed a moment ago is always left alone. A session is
-- live while its metadata exists and its idle expiry "e" is in the
-- future, as for the session scripts.
--
-- KEYS[1]  sessions hash (session id -> metadata JSON)
-- KEYS[2]  idx zset
-- KEYS[3]  exp zset
-- KEYS[4]  used zset
-- KEYS[5]  tokens hash (token hash -> "gen\nexpiry\nsid")
-- KEYS[6..5+4n]  the state, events, times and event-id keys of each of
--          the n sessions below, in order
-- KEYS[6+4n..5+4n+k]  session data keys found on their own, one for
--          each of the k session ids at the end of ARGV
-- ARGV[1]  "1" for a dry run: count what would go, change nothing
-- ARGV[2]  n, then n session ids met in the sessions hash or a zset:
--          an expired session goes with its index entries and data
--          keys; the index entries of an id without metadata go
-- then     t, then t token hashes: a record goes when it has expired,
--          or its session is gone, expired or another incarnation
-- then     k, then the k session ids of the data keys found on their
--          own: a key goes when its session has no metadata (an
--          expired session's keys go with the session instead)
-- Returns {live sessions, expired sessions, orphan index entries,
--   expired tokens, orphan tokens, orphan session keys, emptied user
--   keys, {elements removed from KEYS[1..5]}}. In a dry run the counts
--   are of what would go, and emptied user keys is 0: whether a key
--   would empty depends on the other calls of the run.

local t = redis.call('TIME')
local NOW = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local DRY = ARGV[1] == '1'
local removed = {0, 0, 0, 0, 0}

-- drop removes member from the per-user key KEYS[i] and returns 1 when
-- it was there. KEYS[1] and KEYS[5] are hashes, the others zsets.
local function drop(i, member)
  local n
  if i == 1 or i == 5 then
    n = redis.call(DRY and 'HEXISTS' or 'HDEL', KEYS[i], member)
  elseif DRY then
    n = redis.call('ZSCORE', KEYS[i], member) and 1 or 0
  else
    n = redis.call('ZREM', KEYS[i], member)
  end
  removed[i] = removed[i] + n
  return n
end

-- unlink deletes key, freeing a big one in the background, and returns
-- 1 when it existed.
local function unlink(key)
  return redis.call(DRY and 'EXISTS' or 'UNLINK', key)
end

-- read_meta returns the idle expiry and generation of sid, false when
-- it has no metadata, or nil when the metadata cannot be read: then
-- nothing of the session is judged.
local function read_meta(sid)
  local raw = redis.call('HGET', KEYS[1], sid)
  if not raw then return false end
  local ok, m = pcall(cjson.decode, raw)
  if ok and type(m) == 'table' and type(m.e) == 'number' then
    return m.e, m.g
  end
  return nil
end

-- meta is read_meta as it was when first asked in this call: a session
-- removed here is judged the same by the tokens that name it.
local metas = {}
local function meta(sid)
  if not metas[sid] then metas[sid] = {read_meta(sid)} end
  return metas[sid][1], metas[sid][2]
end

local live, expired, orphans = 0, 0, 0
local n = tonumber(ARGV[2])
for i = 1, n do
  local sid, base = ARGV[2 + i], 5 + 4 * (i - 1)
  local e = meta(sid)
  if e == false then
    if drop(2, sid) + drop(3, sid) + drop(4, sid) > 0 then
      orphans = orphans + 1
    end
  elseif e and e > NOW then
    live = live + 1
  elseif e and drop(1, sid) > 0 then
    drop(2, sid); drop(3, sid); drop(4, sid)
    for j = 1, 4 do unlink(KEYS[base + j]) end
    expired = expired + 1
  end
end

-- verdict says what becomes of a token record: "expired", "orphan"
-- or "keep". A record that cannot be read authenticates nothing.
local function verdict(rec)
  local gen, texp, sid = string.match(rec, '^([^\n]*)\n([^\n]*)\n(.*)$')
  texp = tonumber(texp)
  if not texp then return 'orphan' end
  if texp <= NOW then return 'expired' end
  local e, g = meta(sid)
  if e == nil then return 'keep' end
  if e == false or g ~= gen or e <= NOW then return 'orphan' end
  return 'keep'
end

local texpired, torphans = 0, 0
local a = 3 + n
for i = 1, tonumber(ARGV[a]) do
  local h = ARGV[a + i]
  local rec = redis.call('HGET', KEYS[5], h)
  local v = rec and verdict(rec)
  if v == 'expired' then
    texpired = texpired + drop(5, h)
  elseif v == 'orphan' then
    torphans = torphans + drop(5, h)
  end
end

local loose = 0
local b = a + tonumber(ARGV[a]) + 1
for i = 1, tonumber(ARGV[b]) do
  if redis.call('HEXISTS', KEYS[1], ARGV[b + i]) == 0 then
    loose = loose + unlink(KEYS[5 + 4 * n + i])
  end
end

-- A per-user key this call emptied is gone: Redis drops empty hashes
-- and zsets. Counted here, by the call that removed its last element,
-- it is counted once however many janitors run.
local emptied = 0
if not DRY then
  for i = 1, 5 do
    if removed[i] > 0 and redis.call('EXISTS', KEYS[i]) == 0 then
      emptied = emptied + 1
    end
  end
end

return {live, expired, orphans, texpired, torphans, loose, emptied,
  removed}
