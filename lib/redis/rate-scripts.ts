import { type FleetKeys, type RedisClient } from './fleet-keys.js';

/** Lua: `now`, Redis' clock in µs, so that no two replicas' clocks need to agree. */
const NOW_US = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])`;

/**
 * Lua: marks replica ARGV[1] alive now in the sorted set KEYS[1], forgets those not seen for
 * ARGV[2] ms (the set itself lapses then), and sets `alive` to how many are left.
 */
const MARK_ALIVE = `
local nowMs = math.floor(now / 1000)
redis.call('ZADD', KEYS[1], nowMs, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', nowMs - tonumber(ARGV[2]))
redis.call('PEXPIRE', KEYS[1], ARGV[2])
local alive = redis.call('ZCARD', KEYS[1])`;

/** Marks the caller alive (see `MARK_ALIVE`) and returns how many replicas are. */
const KEEP_ALIVE = `${NOW_US}${MARK_ALIVE}
return alive`;

/**
 * Marks the caller alive, reserves the next free send slot of the fleet's rate limit and returns
 * `{ ms the caller waits for it, replicas alive }`. Slots are ARGV[3] µs apart. KEYS: replicas,
 * next free slot; ARGV: replica, ms a replica counts as alive, spacing in µs.
 */
const RESERVE_SLOT = `${NOW_US}${MARK_ALIVE}
local free = tonumber(redis.call('GET', KEYS[2])) or now
local slot = math.max(now, free)
local nextFree = slot + tonumber(ARGV[3])
redis.call('SET', KEYS[2], string.format('%.0f', nextFree), 'PX', math.ceil((nextFree - now) / 1000) + 1000)
return { math.ceil((slot - now) / 1000), alive }`;

/**
 * While the fleet waits out a 429, returns the ms left. While it is unsettled (a replica just found
 * Redis again) and the caller does not pace itself (ARGV[4] is not '1'), returns minus the ms
 * left of that. Else records a send now if fewer than the limit (the lower of ARGV[1] and a
 * learned one) were recorded within the window (then returns 0), or returns the ms until the
 * oldest of them leaves the window. The slots above queue the fleet's senders; this log is what
 * bounds them, whenever they actually wake. The same member asking again moves its record to now.
 * KEYS: the log, the cooldown, the learned limit, the unsettled mark; ARGV: the limit, the window
 * in µs, the send's member, '1' when the caller paces itself.
 */
const CONFIRM_SEND = `
local cooling = redis.call('PTTL', KEYS[2])
if cooling > 0 then return cooling end
if ARGV[4] ~= '1' then
  local unsettled = redis.call('PTTL', KEYS[4])
  if unsettled > 0 then return -unsettled end
end
${NOW_US}
local window = tonumber(ARGV[2])
local limit = math.min(tonumber(ARGV[1]), tonumber(redis.call('GET', KEYS[3])) or math.huge)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.0f', now - window))
redis.call('ZREM', KEYS[1], ARGV[3])
if redis.call('ZCARD', KEYS[1]) < limit then
  redis.call('ZADD', KEYS[1], string.format('%.0f', now), ARGV[3])
  redis.call('PEXPIRE', KEYS[1], math.ceil(window / 1000) + 1000)
  return 0
end
local oldest = tonumber(redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2])
return math.max(math.ceil((oldest + window - now) / 1000), 1)`;

/**
 * A 429: the fleet waits ARGV[1] ms (or longer, if it already waits longer). When the rejected
 * send (member ARGV[2]) is still in the log and the fleet is settled (no replica just found Redis
 * again, its sends made alone missing from the log), the sends recorded within the window before it are
 * what Hamsa took: below the limit in force (ARGV[5] or a learned one), they become the learned
 * limit for ARGV[4] ms, but never below half the limit in force (another app's burst on the same
 * account must not stall the fleet: each 429 halves it at most). Returns `{ 1 if no cooldown was running, the new learned limit or 0 }`.
 * KEYS: the cooldown, the log, the learned limit, the unsettled mark; ARGV: cooldown ms, member, window µs, ms to keep
 * a learned limit, the configured limit.
 */
const REPORT_RATE_LIMITED = `
local left = redis.call('PTTL', KEYS[1])
if left < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], '1', 'PX', ARGV[1]) end
local learned = 0
local settled = redis.call('EXISTS', KEYS[4]) == 0
local score = settled and ARGV[2] ~= '' and tonumber(redis.call('ZSCORE', KEYS[2], ARGV[2]))
if score then
  local from = string.format('(%.0f', score - tonumber(ARGV[3]))
  local taken = redis.call('ZCOUNT', KEYS[2], from, string.format('(%.0f', score))
  local limit = tonumber(redis.call('GET', KEYS[3])) or tonumber(ARGV[5])
  local lower = math.max(taken, math.ceil(limit / 2), 1)
  if lower < limit then
    redis.call('SET', KEYS[3], lower, 'PX', ARGV[4])
    learned = lower
  end
end
return { left <= 0 and 1 or 0, learned }`;

/** The fleet's Redis commands on its shared rate limit and cooldown, each one atomic. */
export const rateCommands = {
  /** Marks the replica alive for `aliveMs`; resolves with how many replicas are alive. */
  keepAlive: (redis: RedisClient, keys: FleetKeys, replica: string, aliveMs: number) =>
    redis.eval(KEEP_ALIVE, 1, keys.replicas, replica, aliveMs) as Promise<number>,

  /** Forgets the replica (at shutdown). */
  leave: (redis: RedisClient, keys: FleetKeys, replica: string) =>
    redis.zrem(keys.replicas, replica),

  /** Resolves with `[ms to wait for the slot, replicas alive]`. */
  reserveSlot: (
    redis: RedisClient,
    keys: FleetKeys,
    replica: { id: string; aliveMs: number },
    spacingUs: number,
  ) =>
    redis.eval(
      RESERVE_SLOT,
      2,
      keys.replicas,
      keys.rateLimit,
      replica.id,
      replica.aliveMs,
      Math.round(spacingUs),
    ) as Promise<[number, number]>,

  /**
   * Resolves with 0 when the send is counted, else the ms to wait before asking again, or (below
   * 0) minus the ms the caller should pace itself for.
   */
  confirmSend: (
    redis: RedisClient,
    keys: FleetKeys,
    send: { limit: number; windowUs: number; member: string; isPaced: boolean },
  ) =>
    redis.eval(
      CONFIRM_SEND,
      4,
      keys.sends,
      keys.cooldown,
      keys.learnedLimit,
      keys.unsettled,
      send.limit,
      Math.round(send.windowUs),
      send.member,
      send.isPaced ? '1' : '0',
    ) as Promise<number>,

  /** Marks the fleet unsettled for `ms` (see `FleetKeys.unsettled`). */
  unsettle: (redis: RedisClient, keys: FleetKeys, ms: number) =>
    redis.set(keys.unsettled, '1', 'PX', ms),

  /** Resolves with the ms left of the fleet's cooldown (0 or less: none). */
  cooldownLeft: (redis: RedisClient, keys: FleetKeys) => redis.pttl(keys.cooldown),

  /** See `REPORT_RATE_LIMITED`; `member` is `''` when unknown, `limit` `Infinity` when none. */
  reportRateLimited: (
    redis: RedisClient,
    keys: FleetKeys,
    report: {
      cooldownMs: number;
      member: string;
      windowUs: number;
      learnMs: number;
      limit: number;
    },
  ) =>
    redis.eval(
      REPORT_RATE_LIMITED,
      4,
      keys.cooldown,
      keys.sends,
      keys.learnedLimit,
      keys.unsettled,
      Math.ceil(report.cooldownMs),
      report.member,
      Math.round(report.windowUs),
      report.learnMs,
      Number.isFinite(report.limit) ? report.limit : 1e9,
    ) as Promise<[number, number]>,
};
