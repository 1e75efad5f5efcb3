-- token.lua: issue, check or revoke a session's tokens.
--
-- KEYS: the ten session keys (see lib.lua).
-- ARGV[1..5]: as in lib.lua.
-- ARGV[6]  operation:
--          "issue"   record a new token, ARGV[7] its hash, ARGV[8] its
--                    lifetime in ms, ARGV[9] the most live tokens the
--                    session may have; returns its expiry
--          "check"   only authenticate
--          "revoke"  delete the token the caller presented
--          "revoke_fingerprint"  delete the session's tokens whose hash
--                    starts with ARGV[7]; returns how many
-- Returns {"OK", "", result} or a refusal: UNAUTHENTICATED, FORBIDDEN,
-- NOT_FOUND, LIMIT.

local denied = authorize(SID)
if denied then return denied end
local m = live(SID)
if not m then return refuse('NOT_FOUND', 'session not found') end

local op = ARGV[6]
if op == 'issue' then
  -- Expired records of the user go on the way, so the tokens hash stays
  -- bounded by live tokens, and every scan of it stays short.
  local count = 0
  each_token(function(hash, tsid, tgen, texp)
    if not texp or texp <= NOW then
      redis.call('HDEL', K.tokens, hash)
    elseif tsid == SID and tgen == m.g then
      count = count + 1
    end
  end)
  if count >= tonumber(ARGV[9]) then
    return refuse('LIMIT', 'max_tokens_per_session')
  end
  local texp = add_token(SID, m, ARGV[7], tonumber(ARGV[8]))
  user_expire()
  return {'OK', '', ms(texp)}
elseif op == 'check' then
  return {'OK', '', ''}
elseif op == 'revoke' then
  redis.call('HDEL', K.tokens, AUTH_FIELD)
  return {'OK', '', '1'}
elseif op == 'revoke_fingerprint' then
  local n, fp = 0, ARGV[7]
  each_token(function(hash, tsid, tgen)
    if tsid == SID and tgen == m.g and string.sub(hash, 1, #fp) == fp then
      redis.call('HDEL', K.tokens, hash)
      n = n + 1
    end
  end)
  if n == 0 then return refuse('NOT_FOUND', 'no token with that fingerprint') end
  return {'OK', '', tostring(n)}
end
return redis.error_reply('unknown token operation ' .. tostring(op))
