/**
 * The Lua side of `RedisPresence`: each script runs atomically, so two
 * processes that see the same user come or go agree on who announces it.
 *
 * Keys, under `<prefix>:presence`:
 * - `:nodes`          zset  process id → lease expiry (ms); a process is alive while its lease runs
 * - `:beat`           hash  process id → when it last renewed (the last-seen time of its users if it dies)
 * - `:node:<id>`      hash  user id → username, the users a process holds
 * - `:user:<userId>`  set   the processes holding that user
 * - `:since`          hash  user id → online since (ms); present exactly while the user is announced online
 * - `:seen`           hash  user id → last seen (ms)
 * - `:conns:<userId>` hash  process id → the user's open connections there (what `MAX_CONNECTIONS_PER_USER` counts)
 * - `:changes`        channel of announced changes
 */

/** `anyAlive(prefix, userId, now, except)`: does a live process other than `except` hold the user? */
const ANY_ALIVE = `
local function anyAlive(p, user, now, except)
  for _, node in ipairs(redis.call('SMEMBERS', p .. ':user:' .. user)) do
    if node ~= except then
      local lease = redis.call('ZSCORE', p .. ':nodes', node)
      if lease and tonumber(lease) > now then return true end
    end
  end
  return false
end
`;

/**
 * `register(prefix, node, userId, username, now as a string)`: the process holds the user;
 * announces the user online when no live process (this one included) did.
 */
const REGISTER = `${ANY_ALIVE}
local function register(p, node, user, name, now)
  local wasOnline = anyAlive(p, user, tonumber(now), '') and redis.call('HEXISTS', p .. ':since', user) == 1
  redis.call('SADD', p .. ':user:' .. user, node)
  redis.call('HSET', p .. ':node:' .. node, user, name)
  if wasOnline then return 0 end
  redis.call('HSET', p .. ':since', user, now)
  redis.call('PUBLISH', p .. ':changes', cjson.encode({ userId = user, username = name, online = true }))
  return 1
end
`;

/** ARGV: prefix, node, userId, username, now. Announces the user online when no live process held it. */
export const CONNECT = `${REGISTER}
return register(ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5])
`;

/**
 * ARGV: prefix, node, userId, username, now, max → 1 admitted (counted here,
 * and registered as CONNECT does), 0 refused: the live processes already hold
 * `max` connections of the user (0: no limit). A dead process's count is
 * ignored even before it is reaped. Check and count are one step, so
 * handshakes racing on several processes cannot all pass.
 */
export const ADMIT = `${REGISTER}
local p, node, user, name, now, max = ARGV[1], ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5]), tonumber(ARGV[6])
local counts = p .. ':conns:' .. user
if max > 0 then
  local total = 0
  local entries = redis.call('HGETALL', counts)
  for i = 1, #entries, 2 do
    local holder = entries[i]
    local lease = redis.call('ZSCORE', p .. ':nodes', holder)
    if holder == node or (lease and tonumber(lease) > now) then total = total + tonumber(entries[i + 1]) end
  end
  if total >= max then return 0 end
end
redis.call('HINCRBY', counts, node, 1)
register(p, node, user, name, ARGV[5])
return 1
`;

/** ARGV: prefix, node, userId. One admitted connection of the user closed here. */
export const RELEASE = `
local counts = ARGV[1] .. ':conns:' .. ARGV[3]
if redis.call('HINCRBY', counts, ARGV[2], -1) <= 0 then redis.call('HDEL', counts, ARGV[2]) end
return 0
`;

/**
 * ARGV: prefix, node, then userId, count pairs: what this process holds, said
 * again after Redis missed some of it (a failed command, a lease taken for dead).
 */
export const SYNC = `
local p, node = ARGV[1], ARGV[2]
for i = 3, #ARGV, 2 do
  local counts = p .. ':conns:' .. ARGV[i]
  if tonumber(ARGV[i + 1]) > 0 then redis.call('HSET', counts, node, ARGV[i + 1]) else redis.call('HDEL', counts, node) end
end
return 0
`;

/** ARGV: prefix, node. A process shutting down: its connections stop counting at once (its users keep their grace). */
export const UNCOUNT = `
local p, node = ARGV[1], ARGV[2]
for _, user in ipairs(redis.call('HKEYS', p .. ':node:' .. node)) do redis.call('HDEL', p .. ':conns:' .. user, node) end
return 0
`;

/** ARGV: prefix, node, userId, username, now, goneAt. After the grace: announces the user offline when no live process holds it. */
export const DISCONNECT = `${ANY_ALIVE}
local p, node, user, name, now, goneAt = ARGV[1], ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5]), ARGV[6]
redis.call('SREM', p .. ':user:' .. user, node)
redis.call('HDEL', p .. ':node:' .. node, user)
redis.call('HDEL', p .. ':conns:' .. user, node)
if anyAlive(p, user, now, node) then return 0 end
if redis.call('HDEL', p .. ':since', user) == 0 then return 0 end
redis.call('HSET', p .. ':seen', user, goneAt)
redis.call('PUBLISH', p .. ':changes', cjson.encode({ userId = user, username = name, online = false, lastSeenAt = tonumber(goneAt) }))
return 1
`;

/**
 * ARGV: prefix, dead node, now. Run by any survivor for a process whose lease
 * ran out: the first to remove it from \`:nodes\` does the work, once.
 */
export const REAP = `${ANY_ALIVE}
local p, dead, now = ARGV[1], ARGV[2], tonumber(ARGV[3])
local lease = redis.call('ZSCORE', p .. ':nodes', dead)
if not lease or tonumber(lease) > now then return 0 end
redis.call('ZREM', p .. ':nodes', dead)
local lastBeat = redis.call('HGET', p .. ':beat', dead) or lease
redis.call('HDEL', p .. ':beat', dead)
local held = redis.call('HGETALL', p .. ':node:' .. dead)
redis.call('DEL', p .. ':node:' .. dead)
local gone = 0
for i = 1, #held, 2 do
  local user, name = held[i], held[i + 1]
  redis.call('SREM', p .. ':user:' .. user, dead)
  redis.call('HDEL', p .. ':conns:' .. user, dead)
  if not anyAlive(p, user, now, dead) and redis.call('HDEL', p .. ':since', user) == 1 then
    redis.call('HSET', p .. ':seen', user, lastBeat)
    redis.call('PUBLISH', p .. ':changes', cjson.encode({ userId = user, username = name, online = false, lastSeenAt = tonumber(lastBeat) }))
    gone = gone + 1
  end
end
return gone
`;

/** ARGV: prefix, now, userIds… → one 'online:since' or 'offline:seen' string per user ('' when unknown). */
export const STATUS = `${ANY_ALIVE}
local p, now = ARGV[1], tonumber(ARGV[2])
local out = {}
for i = 3, #ARGV do
  local user = ARGV[i]
  if anyAlive(p, user, now, '') then
    out[#out + 1] = '1:' .. (redis.call('HGET', p .. ':since', user) or '')
  else
    out[#out + 1] = '0:' .. (redis.call('HGET', p .. ':seen', user) or '')
  end
end
return out
`;

/** ARGV: prefix, node, lease expiry, now → 1 when the lease was gone (reaped) and the process must re-register its users. */
export const RENEW = `
local p, node, expiry, now = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
redis.call('HSET', p .. ':beat', node, now)
return redis.call('ZADD', p .. ':nodes', expiry, node)
`;
