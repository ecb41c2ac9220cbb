import { redisScript } from './runScript.js'

/**
 * Compare-and-set save of one call, atomic on the call's slot.
 * KEYS: snapshot hash, then one settled key per settlement.
 * ARGV: expected version, snapshot JSON, write id, open ('1'/'0'), retention ms, sending JSON,
 * channel, expected write id of the stored version ('' for any), version to store ('' for the
 * expected one + 1), then one settlement JSON per settled key, then one news JSON object each
 * (`{"callId":…,"news":…}`), published with the stored version put first and not kept.
 * Reply: `{1, version}` when stored; `{0, version, snapshot, sending, writeIds}` on a conflict; and
 * `{1, version, snapshot, sending, writeIds}` (the call as it is now) when this write id is among
 * the last writes: a command resent after a dropped connection whose first run had been stored.
 * Field `w` keeps the most recent write ids (newest first, bounded), for that last case and to
 * name the write that stored the current version.
 */
export const saveScript = redisScript(`
local cur = redis.call('HMGET', KEYS[1], 'v', 'w')
local v = tonumber(cur[1]) or 0
local tip = cur[2] and string.match(cur[2], '^[^,]*') or ''
if v ~= tonumber(ARGV[1]) or (ARGV[8] ~= '' and tip ~= ARGV[8]) then
  local now = redis.call('HMGET', KEYS[1], 's', 'r')
  if cur[2] and string.find(',' .. cur[2] .. ',', ',' .. ARGV[3] .. ',', 1, true) then return {1, v, now[1], now[2], cur[2]} end
  return {0, v, now[1], now[2], cur[2]}
end
v = v + 1
if ARGV[9] ~= '' then v = tonumber(ARGV[9]) end
local recent = ARGV[3]
if cur[2] then recent = string.sub(ARGV[3] .. ',' .. cur[2], 1, 400) end
redis.call('HSET', KEYS[1], 'v', v, 's', ARGV[2], 'w', recent, 'o', ARGV[4], 'r', ARGV[6])
if ARGV[4] == '0' then redis.call('PEXPIRE', KEYS[1], ARGV[5]) end
for i = 2, #KEYS do
  redis.call('SET', KEYS[i], ARGV[8 + i], 'PX', ARGV[5])
  redis.call('PUBLISH', ARGV[7], ARGV[8 + i])
end
for j = 9 + #KEYS, #ARGV do
  redis.call('PUBLISH', ARGV[7], '{"version":' .. v .. ',' .. string.sub(ARGV[j], 2))
end
return {1, v}
`)

/**
 * Claims due deadlines: each call due at ARGV[1] or earlier is moved to its lease ARGV[2], so a
 * concurrent sweeper does not see it due. KEYS: deadlines. ARGV: now, lease until, limit.
 */
export const claimScript = redisScript(`
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[3])
for _, id in ipairs(due) do redis.call('ZADD', KEYS[1], ARGV[2], id) end
return due
`)

/**
 * Ends a claim. If the call still has the claimer's lease, it gets its next deadline (or leaves the
 * set); otherwise someone scheduled it meanwhile and the earlier of the two stays.
 * KEYS: deadlines. ARGV: call id, lease until, next deadline ('' for none).
 */
export const releaseScript = redisScript(`
local s = redis.call('ZSCORE', KEYS[1], ARGV[1])
if s and tonumber(s) == tonumber(ARGV[2]) then
  if ARGV[3] == '' then redis.call('ZREM', KEYS[1], ARGV[1]) else redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1]) end
elseif ARGV[3] ~= '' then
  redis.call('ZADD', KEYS[1], 'LT', ARGV[3], ARGV[1])
end
return 1
`)
