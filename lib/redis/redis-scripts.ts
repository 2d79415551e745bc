import type { Redis } from 'ioredis';

/**
 * Reserves the next free send slot of the fleet's rate limit and returns how long, in ms, the
 * caller waits for it. Slots are `spacing` µs apart on Redis' own clock, so no two replicas'
 * clocks need to agree. KEYS[1]: the limit's key; ARGV[1]: the spacing in µs.
 */
const RESERVE_SLOT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local free = tonumber(redis.call('GET', KEYS[1])) or now
local slot = math.max(now, free)
local nextFree = slot + tonumber(ARGV[1])
redis.call('SET', KEYS[1], string.format('%.0f', nextFree), 'PX', math.ceil((nextFree - now) / 1000) + 1000)
return math.ceil((slot - now) / 1000)`;

/**
 * Records a send now if fewer than `limit` were recorded within the window (then returns 0), else
 * returns the ms until the oldest of them leaves the window. The slots above queue the fleet's
 * senders; this log is what bounds them, whenever they actually wake. The same member asking again
 * moves its record to now. KEYS[1]: the log; ARGV: the limit, the window in µs, the send's member.
 */
const CONFIRM_SEND = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.0f', now - window))
redis.call('ZREM', KEYS[1], ARGV[3])
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], string.format('%.0f', now), ARGV[3])
  redis.call('PEXPIRE', KEYS[1], math.ceil(window / 1000) + 1000)
  return 0
end
local oldest = tonumber(redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2])
return math.max(math.ceil((oldest + window - now) / 1000), 1)`;

/**
 * -1 when the voice was preloaded within the sharing window; 0 when the caller now holds its
 * lease; else the ms left on another replica's lease. KEYS: preloaded mark, lease; ARGV: the
 * lease's token, its length in ms.
 */
const CLAIM_VOICE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return -1 end
if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return 0 end
return math.max(redis.call('PTTL', KEYS[2]), 1)`;

/** Lengthens the caller's lease (if it still holds it). KEYS: lease; ARGV: token, length in ms. */
const EXTEND_LEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

/**
 * Gives the lease up, marks the voice preloaded for the sharing window on success, and announces
 * it either way, so waiting replicas look again at once. KEYS: preloaded mark, lease; ARGV: token,
 * '1' on success, the window in ms, the channel, the voice.
 */
const SETTLE_VOICE = `
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
if ARGV[2] == '1' then redis.call('SET', KEYS[1], '1', 'PX', ARGV[3]) end
redis.call('PUBLISH', ARGV[4], ARGV[5])
return 1`;

/** The keys and channel of one fleet (one prefix); a voice's keys share a Redis Cluster slot. */
export class FleetKeys {
  constructor(private readonly prefix: string) {}

  get rateLimit(): string {
    return `${this.prefix}rate-limit`;
  }

  /** The sends of the last window, a sorted set scored by time. */
  get sends(): string {
    return `${this.prefix}rate-limit:sends`;
  }

  get announcements(): string {
    return `${this.prefix}preloads`;
  }

  preloaded(voiceId: string): string {
    return `${this.prefix}voice:{${voiceId}}:preloaded`;
  }

  lease(voiceId: string): string {
    return `${this.prefix}voice:{${voiceId}}:lease`;
  }

  refresh(voiceId: string): string {
    return `${this.prefix}voice:{${voiceId}}:refresh`;
  }
}

/** `claimVoice`'s answer: see `CLAIM_VOICE`. */
export const PRELOADED_ELSEWHERE = -1;
export const LEASE_TAKEN = 0;

/** The fleet's Redis commands, each one atomic. */
export const fleetCommands = {
  reserveSlot: (redis: Redis, keys: FleetKeys, spacingUs: number) =>
    redis.eval(RESERVE_SLOT, 1, keys.rateLimit, Math.round(spacingUs)) as Promise<number>,

  confirmSend: (redis: Redis, keys: FleetKeys, limit: number, windowUs: number, member: string) =>
    redis.eval(CONFIRM_SEND, 1, keys.sends, limit, Math.round(windowUs), member) as Promise<number>,

  claimVoice: (redis: Redis, keys: FleetKeys, voiceId: string, token: string, leaseMs: number) =>
    redis.eval(
      CLAIM_VOICE,
      2,
      keys.preloaded(voiceId),
      keys.lease(voiceId),
      token,
      Math.ceil(leaseMs),
    ) as Promise<number>,

  extendLease: (redis: Redis, keys: FleetKeys, voiceId: string, token: string, leaseMs: number) =>
    redis.eval(EXTEND_LEASE, 1, keys.lease(voiceId), token, Math.ceil(leaseMs)) as Promise<number>,

  settleVoice: (
    redis: Redis,
    keys: FleetKeys,
    voiceId: string,
    token: string,
    outcome: { succeeded: boolean; shareMs: number },
  ) =>
    redis.eval(
      SETTLE_VOICE,
      2,
      keys.preloaded(voiceId),
      keys.lease(voiceId),
      token,
      outcome.succeeded ? '1' : '0',
      outcome.shareMs,
      keys.announcements,
      voiceId,
    ) as Promise<number>,

  /** Whether the caller takes this interval's refresh of the voice. */
  claimRefresh: async (
    redis: Redis,
    keys: FleetKeys,
    voiceId: string,
    token: string,
    forMs: number,
  ) => (await redis.set(keys.refresh(voiceId), token, 'PX', Math.ceil(forMs), 'NX')) === 'OK',
};
