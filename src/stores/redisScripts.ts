import { redisScript } from './runScript.js'

/**
 * Compare-and-set save of one call, atomic on the call's slot.
 * KEYS: the snapshot hash, the owners hash, one settled key per settlement, then (only when ARGV[13]
 * is '1': a single Redis, not a Cluster, where other slots may be touched) the open set and the
 * deadlines sorted set.
 * ARGV: 1 expected version, 2 snapshot JSON, 3 write id, 4 open ('1'/'0'), 5 retention ms,
 * 6 sending JSON, 7 channel, 8 expected write id of the stored version ('' for any), 9 version to
 * store ('' for the expected one + 1), 10 how many settlements, 11 how many news items, 12 how many
 * owners, 13 the indexes are written here ('1'/'0'), 14 add the call to the open set ('1'/'0'),
 * 15 its earliest deadline ('' for none), 16 the owners' expiry ms, 17 the call id (the indexes'
 * member); then one settlement JSON per settled key, one news JSON object each
 * (`{"callId":…,"news":…}`, published with the stored version put first and not kept), and a
 * clientContext and an instance id per owner.
 * Reply: `{1, version}` when stored; `{0, version, snapshot, sending, writeIds}` on a conflict; and
 * `{1, version, snapshot, sending, writeIds}` (the call as it is now) when this write id is among
 * the last writes: a command resent after a dropped connection whose first run had been stored.
 * Field `w` keeps the most recent write ids (newest first, bounded), for that last case and to
 * name the write that stored the current version. Indexes and owners are written only with a
 * stored version (a conflicting save leaves them to the save that follows it), before the snapshot
 * in the same atomic step; an ended call leaves the indexes and loses its owners.
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
local ns, nn, no = tonumber(ARGV[10]), tonumber(ARGV[11]), tonumber(ARGV[12])
local open = ARGV[4] == '1'
if ARGV[13] == '1' then
  if open then
    if ARGV[14] == '1' then redis.call('SADD', KEYS[3 + ns], ARGV[17]) end
    if ARGV[15] ~= '' then redis.call('ZADD', KEYS[4 + ns], 'LT', ARGV[15], ARGV[17]) end
  else
    redis.call('SREM', KEYS[3 + ns], ARGV[17])
    redis.call('ZREM', KEYS[4 + ns], ARGV[17])
  end
end
if open and no > 0 then
  local first = 18 + ns + nn
  redis.call('HSET', KEYS[2], unpack(ARGV, first, first + 2 * no - 1))
  redis.call('PEXPIRE', KEYS[2], ARGV[16])
end
v = v + 1
if ARGV[9] ~= '' then v = tonumber(ARGV[9]) end
local recent = ARGV[3]
if cur[2] then recent = string.sub(ARGV[3] .. ',' .. cur[2], 1, 400) end
redis.call('HSET', KEYS[1], 'v', v, 's', ARGV[2], 'w', recent, 'o', ARGV[4], 'r', ARGV[6])
if not open then
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
  redis.call('DEL', KEYS[2])
end
for i = 1, ns do
  redis.call('SET', KEYS[2 + i], ARGV[17 + i], 'PX', ARGV[5])
  redis.call('PUBLISH', ARGV[7], ARGV[17 + i])
end
for j = 18 + ns, 17 + ns + nn do
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

/**
 * Records who times one operation of a call, and keeps the call's owners a day after the last one
 * recorded. KEYS: owners hash. ARGV: clientContext, instance id, expiry ms.
 */
export const ownerScript = redisScript(`
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
`)
