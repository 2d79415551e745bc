import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { OWN_LEASE } from '../coordination/acting-alone.js';
import {
  type HamsaCoordinator,
  type HamsaCoordinatorState,
  type PreloadClaim,
  type PreloadLease,
} from '../coordination/hamsa-coordinator.interface.js';
import { PreloadAnnouncements } from './preload-announcements.js';
import {
  type RedisHamsaCoordinatorOptions,
  type ResolvedRedisCoordinatorOptions,
  resolveRedisCoordinatorOptions,
} from './redis-coordinator-options.js';
import { RedisLink } from './redis-link.js';
import { FleetKeys, fleetCommands, LEASE_TAKEN, PRELOADED_ELSEWHERE } from './redis-scripts.js';

/** A lease outlasts its attempt's timeout by this much: the holder's own latency to Redis. */
const LEASE_MARGIN_MS = 1_000;
/**
 * The shared rate limit counts sends per window of this many µs: one second, and 50 ms more, so
 * that requests reaching Hamsa up to 50 ms apart from when Redis counted them (network, event
 * loops) still never put more than the limit in any one second.
 */
const WINDOW_US = 1_050_000;
/** A confirmation that took longer than this to come back is asked for again. */
const STALE_CONFIRMATION_MS = 15;
/** How many times one send is counted again at most. */
const MAX_RECOUNTS = 3;
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
 * `redis` is the application's own ioredis client: the coordinator never closes it (it opens and
 * closes one duplicate connection for pub/sub). When Redis is unreachable the replica acts alone
 * (logged once) and coordinates again once Redis answers.
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
  /** Leases this replica holds, by voice: a send slot's wait lengthens the voice's lease. */
  readonly #held = new Map<string, HeldLease>();
  readonly #replica = randomUUID();
  #claims = 0;
  #sends = 0;

  /**
   * @param redis The application's ioredis (5 or 6) client; never closed by the coordinator.
   * @throws HamsaOptionsError naming each bad option.
   */
  constructor(redis: Redis, options?: RedisHamsaCoordinatorOptions) {
    this.#options = resolveRedisCoordinatorOptions(redis, options);
    this.#link = new RedisLink(redis, this.#options.commandTimeoutMs);
    this.#keys = new FleetKeys(this.#options.keyPrefix);
    this.#announcements = new PreloadAnnouncements(redis, this.#keys.announcements);
  }

  get state(): HamsaCoordinatorState {
    return this.#link.state;
  }

  async takeToken(voiceId: string, signal: AbortSignal): Promise<void> {
    const { rateLimitPerSecond } = this.#options;
    if (rateLimitPerSecond === undefined) return;
    let waitMs = await this.reserveSlot(voiceId, rateLimitPerSecond, signal);
    const member = `${this.#replica}:${++this.#sends}`;
    const { redis } = this.#link;
    for (let recounts = 0; ;) {
      if (waitMs > 0) {
        await sleep(waitMs, undefined, { signal }).catch(() => {
          throw signal.reason;
        });
      }
      const askedAt = Date.now();
      waitMs = await this.#link.run(
        () => fleetCommands.confirmSend(redis, this.#keys, rateLimitPerSecond, WINDOW_US, member),
        0,
        signal,
      );
      if (waitMs > 0) continue;
      // A slow answer means this replica was held up after Redis counted the send (a busy event
      // loop): it would leave later than counted, so it is counted again, now (a few times at most).
      const isStale = Date.now() - askedAt > STALE_CONFIRMATION_MS;
      if (!isStale || ++recounts > MAX_RECOUNTS) return;
    }
  }

  /** Reserves the fleet's next send slot; resolves with the wait for it (0 acting alone). */
  private async reserveSlot(
    voiceId: string,
    rateLimitPerSecond: number,
    signal: AbortSignal,
  ): Promise<number> {
    const spacingUs = WINDOW_US / rateLimitPerSecond;
    const { redis } = this.#link;
    const waitMs = await this.#link.run(
      () => fleetCommands.reserveSlot(redis, this.#keys, spacingUs),
      0,
      signal,
    );
    const held = this.#held.get(voiceId);
    if (held && waitMs > 0) {
      // The lease must last through the wait too, or another replica would take the voice over.
      const leaseMs = waitMs + held.attemptTimeoutMs + LEASE_MARGIN_MS;
      void this.#link.run(
        () => fleetCommands.extendLease(redis, this.#keys, voiceId, held.token, leaseMs),
        0,
      );
    }
    return waitMs;
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
          () => fleetCommands.claimVoice(redis, this.#keys, voiceId, token, leaseMs),
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
      () => fleetCommands.claimRefresh(redis, this.#keys, voiceId, token, turnMs),
      true,
    );
  }

  close(): Promise<void> {
    this.#announcements.close();
    return Promise.resolve();
  }

  private lease(voiceId: string, held: HeldLease, shareMs: number): PreloadLease {
    this.#held.set(voiceId, held);
    return {
      settle: async (succeeded) => {
        if (this.#held.get(voiceId) === held) this.#held.delete(voiceId);
        const { redis } = this.#link;
        const outcome = { succeeded, shareMs };
        await this.#link.run(
          () => fleetCommands.settleVoice(redis, this.#keys, voiceId, held.token, outcome),
          0,
        );
      },
    };
  }
}
