import { randomUUID } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import { OWN_LEASE } from '../coordination/acting-alone.js';
import {
  type HamsaCoordinator,
  type HamsaCoordinatorState,
  type PreloadClaim,
  type PreloadLease,
} from '../coordination/hamsa-coordinator.interface.js';
import { FleetCooldowns } from './fleet-cooldowns.js';
import { FleetKeys } from './fleet-keys.js';
import { FleetSize } from './fleet-size.js';
import { PreloadAnnouncements } from './preload-announcements.js';
import {
  type RedisHamsaCoordinatorOptions,
  type ResolvedRedisCoordinatorOptions,
  resolveRedisCoordinatorOptions,
} from './redis-coordinator-options.js';
import { RedisLink } from './redis-link.js';
import { SharedRateLimit } from './shared-rate-limit.js';
import { LEASE_TAKEN, PRELOADED_ELSEWHERE, voiceCommands } from './voice-scripts.js';

/** A lease outlasts its attempt's timeout by this much: the holder's own latency to Redis. */
const LEASE_MARGIN_MS = 1_000;
/** A keep-warm turn lasts this share of the interval: less than the 80 % a timer waits at least. */
const REFRESH_TURN_SHARE = 0.75;
/** Wait for a lease to lapse a little past its end, so that the next claim finds it gone. */
const LAPSE_MARGIN_MS = 5;

/** A replica's lease on a voice, as this replica knows it. */
interface HeldLease {
  token: string;
  attemptTimeoutMs: number;
}

/**
 * A `HamsaCoordinator` on Redis, for replicas of one application that share a Hamsa account:
 *
 * - `rateLimitPerSecond`: every request to the preload endpoint waits for a send slot reserved in
 *   Redis (an atomic Lua script), so the fleet as a whole stays under the limit.
 * - `sharePreloadsForMs`: one replica takes a lease on a voice (`SET NX PX`, about one attempt
 *   long), preloads it and announces the outcome on a pub/sub channel; the others wait for the
 *   announcement and count the voice as preloaded without a request of their own.
 * - keep-warm: each voice is refreshed by one replica per interval.
 *
 * - `shareCooldowns`: a 429 met by any replica pauses every replica (see `FleetCooldowns`).
 *
 * `redis` is the application's own ioredis client: a `Redis` (on one server, or configured with
 * `sentinels`) or a `Cluster`, where each script's keys share one hash slot and different voices'
 * keys spread over the slots. The coordinator never closes it (it opens and closes one duplicate
 * connection for pub/sub). Each command waits at most `commandTimeoutMs`. When Redis is
 * unreachable or failing over, the replica is `degraded` (logged once): it preloads alone, pacing
 * its requests at `rateLimitPerSecond / fleetSize`, and is `connected` again (logged once) when
 * Redis answers.
 *
 * @example
 * ```ts
 * HamsaVoiceModule.forRootAsync({
 *   inject: [ConfigService, REDIS],
 *   useFactory: (config: ConfigService, redis: Redis) => ({
 *     apiKey: config.getOrThrow('HAMSA_API_KEY'),
 *     voiceIds: config.getOrThrow('HAMSA_VOICE_IDS'),
 *     coordinator: new RedisHamsaCoordinator(redis, { rateLimitPerSecond: 20 }),
 *   }),
 * })
 * ```
 */
export class RedisHamsaCoordinator implements HamsaCoordinator {
  // #private: util.inspect and JSON.stringify never show the client (and its password).
  readonly #link: RedisLink;
  readonly #keys: FleetKeys;
  readonly #options: ResolvedRedisCoordinatorOptions;
  readonly #announcements: PreloadAnnouncements;
  readonly #fleet: FleetSize;
  readonly #rateLimit?: SharedRateLimit;
  readonly #cooldowns?: FleetCooldowns;
  /** Leases this replica holds, by voice: a send slot's wait lengthens the voice's lease. */
  readonly #held = new Map<string, HeldLease>();
  readonly #replica = randomUUID();
  #claims = 0;

  /**
   * @param redis The application's ioredis (5 or 6) client, a `Redis` or a `Cluster`; never
   *   closed by the coordinator.
   * @throws HamsaOptionsError naming each bad option.
   */
  constructor(redis: Redis | Cluster, options?: RedisHamsaCoordinatorOptions) {
    this.#options = resolveRedisCoordinatorOptions(redis, options);
    const { rateLimitPerSecond, commandTimeoutMs, expectedReplicas } = this.#options;
    this.#link = new RedisLink(redis, commandTimeoutMs, {
      degraded: () => this.#rateLimit?.degraded() ?? 'sends its own preload requests',
      recovered: () => this.#rateLimit?.recovered(),
    });
    this.#keys = new FleetKeys(this.#options.keyPrefix);
    this.#announcements = new PreloadAnnouncements(redis, this.#keys.announcements);
    this.#fleet = new FleetSize(this.#link, this.#keys, this.#replica, expectedReplicas);
    if (rateLimitPerSecond !== undefined) {
      const onSlotWait = (voiceId: string, waitMs: number) => this.extendLease(voiceId, waitMs);
      this.#rateLimit = new SharedRateLimit(
        this.#link,
        this.#keys,
        this.#fleet,
        rateLimitPerSecond,
        onSlotWait,
      );
    }
    if (this.#options.shareCooldowns) {
      this.#cooldowns = new FleetCooldowns(this.#link, this.#keys, this.#rateLimit);
    }
  }

  get state(): HamsaCoordinatorState {
    return this.#link.state;
  }

  /**
   * With `rateLimitPerSecond`: the preload requests per second this replica allows itself while
   * Redis is unavailable, `rateLimitPerSecond / fleetSize`.
   */
  get fallbackRatePerSecond(): number | undefined {
    return this.#rateLimit?.fallbackRatePerSecond;
  }

  async takeToken(voiceId: string, signal: AbortSignal): Promise<void> {
    if (this.#rateLimit) return this.#rateLimit.take(voiceId, signal);
    await this.#cooldowns?.wait(signal);
  }

  reportRateLimited(voiceId: string, retryAfterMs: number | undefined): void {
    void this.#cooldowns?.report(voiceId, retryAfterMs);
  }

  /** The lease held on the voice must last through its wait for a send slot too. */
  private extendLease(voiceId: string, waitMs: number): void {
    const held = this.#held.get(voiceId);
    if (!held) return;
    const leaseMs = waitMs + held.attemptTimeoutMs + LEASE_MARGIN_MS;
    const { redis } = this.#link;
    void this.#link.run(
      () => voiceCommands.extendLease(redis, this.#keys, voiceId, held.token, leaseMs),
      0,
    );
  }

  async claimPreload(
    voiceId: string,
    attemptTimeoutMs: number,
    signal: AbortSignal,
  ): Promise<PreloadClaim> {
    const shareMs = this.#options.sharePreloadsForMs;
    if (shareMs === 0) return OWN_LEASE;
    await this.#link.run(() => this.#announcements.listen(), undefined, signal);
    const token = `${this.#replica}:${++this.#claims}`;
    const leaseMs = attemptTimeoutMs + LEASE_MARGIN_MS;
    const { redis } = this.#link;
    for (;;) {
      // Expected before asking: an announcement between the answer and the wait is not missed.
      const announcement = this.#announcements.expect(voiceId);
      const answer = await this.#link
        .run(
          () => voiceCommands.claimVoice(redis, this.#keys, voiceId, token, leaseMs),
          undefined,
          signal,
        )
        .catch((error: unknown) => {
          announcement.cancel();
          throw error;
        });
      if (answer === undefined) {
        announcement.cancel();
        return OWN_LEASE;
      }
      if (answer === PRELOADED_ELSEWHERE) {
        announcement.cancel();
        return 'preloaded';
      }
      if (answer === LEASE_TAKEN) {
        announcement.cancel();
        return this.lease(voiceId, { token, attemptTimeoutMs }, shareMs);
      }
      await announcement.within(answer + LAPSE_MARGIN_MS, signal);
    }
  }

  claimRefresh(voiceId: string, refreshIntervalMs: number): Promise<boolean> {
    const { redis } = this.#link;
    const turnMs = refreshIntervalMs * REFRESH_TURN_SHARE;
    const token = this.#replica;
    return this.#link.run(
      () => voiceCommands.claimRefresh(redis, this.#keys, voiceId, token, turnMs),
      true,
    );
  }

  async close(): Promise<void> {
    this.#announcements.close();
    await this.#fleet.stop();
  }

  private lease(voiceId: string, held: HeldLease, shareMs: number): PreloadLease {
    this.#held.set(voiceId, held);
    return {
      settle: async (succeeded) => {
        if (this.#held.get(voiceId) === held) this.#held.delete(voiceId);
        const { redis } = this.#link;
        const outcome = { succeeded, shareMs };
        await this.#link.run(
          () => voiceCommands.settleVoice(redis, this.#keys, voiceId, held.token, outcome),
          0,
        );
      },
    };
  }
}
