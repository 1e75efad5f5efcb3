-- delete.lua: close a session, freeing its place in the user's limit
-- and revoking its tokens.
--
-- KEYS: the ten session keys (see lib.lua).
-- ARGV[1..5]: as in lib.lua.
-- Returns {"OK", ""} or a refusal: UNAUTHENTICATED, FORBIDDEN,
-- NOT_FOUND.

local denied = authorize(SID)
if denied then return denied end
local m = live(SID)
if not m then return refuse('NOT_FOUND', 'session not found') end

forget(SID, m.g)
redis.call('DEL', unpack(data_keys()))
user_expire()
return {'OK', ''}
