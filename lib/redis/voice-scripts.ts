import { type FleetKeys, type RedisClient } from './fleet-keys.js';

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

/** `claimVoice`'s answer: see `CLAIM_VOICE`. */
export const PRELOADED_ELSEWHERE = -1;
export const LEASE_TAKEN = 0;

/** The fleet's Redis commands on voices, each one atomic. */
export const voiceCommands = {
  claimVoice: (
    redis: RedisClient,
    keys: FleetKeys,
    voiceId: string,
    token: string,
    leaseMs: number,
  ) =>
    redis.eval(
      CLAIM_VOICE,
      2,
      keys.preloaded(voiceId),
      keys.lease(voiceId),
      token,
      Math.ceil(leaseMs),
    ) as Promise<number>,

  extendLease: (
    redis: RedisClient,
    keys: FleetKeys,
    voiceId: string,
    token: string,
    leaseMs: number,
  ) =>
    redis.eval(EXTEND_LEASE, 1, keys.lease(voiceId), token, Math.ceil(leaseMs)) as Promise<number>,

  settleVoice: (
    redis: RedisClient,
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
    redis: RedisClient,
    keys: FleetKeys,
    voiceId: string,
    token: string,
    forMs: number,
  ) => (await redis.set(keys.refresh(voiceId), token, 'PX', Math.ceil(forMs), 'NX')) === 'OK',
};
