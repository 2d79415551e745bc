import { Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { HAMSA_VOICE_LOGGER_CONTEXT } from '../hamsa-voice.constants.js';
import { type FleetKeys } from './fleet-keys.js';
import { rateCommands } from './rate-scripts.js';
import { type RedisLink } from './redis-link.js';
import { type SharedRateLimit, WINDOW_US } from './shared-rate-limit.js';

/** A 429 without `Retry-After` pauses the fleet for one window of the rate limit. */
const DEFAULT_COOLDOWN_MS = 1_000;
/** A limit learned from a 429 holds this long, then the configured one is tried again. */
const LEARNED_LIMIT_MS = 30_000;

/**
 * `shareCooldowns`: a 429 that any replica meets pauses every replica's preload requests until
 * the cooldown it implies (its `Retry-After`, else 1 s) has passed, through a key in Redis that
 * each send slot's confirmation reads; logged once per cooldown, by the replica that started it.
 * With `rateLimitPerSecond`, the sends Hamsa took in the window before the rejected one also
 * become the fleet's limit for 30 s when fewer than the limit in force (each 429 at most halves
 * it): a fleet configured above its account's limit (or sharing the account) learns the real one.
 * Not while the fleet is unsettled (a replica just found Redis again): its 429s say nothing then.
 */
export class FleetCooldowns {
  private readonly logger = new Logger(HAMSA_VOICE_LOGGER_CONTEXT);
  /** The end of the latest cooldown this replica knows of (`performance.now()` ms). */
  private until = 0;

  constructor(
    private readonly link: RedisLink,
    private readonly keys: FleetKeys,
    private readonly rateLimit?: SharedRateLimit,
  ) {}

  /** Starts (or lengthens) the fleet's cooldown after a 429 of `voiceId`. Never rejects. */
  async report(voiceId: string, retryAfterMs: number | undefined): Promise<void> {
    const cooldownMs = Math.max(1, retryAfterMs ?? DEFAULT_COOLDOWN_MS);
    const startsHere = performance.now() >= this.until;
    this.until = Math.max(this.until, performance.now() + cooldownMs);
    this.rateLimit?.pacer.hold(this.until);
    const report = {
      cooldownMs,
      member: this.rateLimit?.takeLastSend(voiceId) ?? '',
      windowUs: WINDOW_US,
      learnMs: LEARNED_LIMIT_MS,
      limit: this.rateLimit?.limit ?? Infinity,
    };
    const { redis } = this.link;
    const answer = await this.link.run(
      () => rateCommands.reportRateLimited(redis, this.keys, report),
      undefined,
    );
    if (answer ? answer[0] === 1 : startsHere) this.log(cooldownMs, answer?.[1] ?? 0, !answer);
  }

  /** Resolves when no cooldown runs (for a fleet without `rateLimitPerSecond`). */
  async wait(signal: AbortSignal): Promise<void> {
    const { redis } = this.link;
    const sharedMs = await this.link.run(
      () => rateCommands.cooldownLeft(redis, this.keys),
      0,
      signal,
    );
    const waitMs = Math.max(sharedMs, this.until - performance.now());
    if (waitMs <= 0) return;
    await sleep(waitMs, undefined, { signal }).catch(() => {
      throw signal.reason;
    });
  }

  private log(cooldownMs: number, learnedLimit: number, isAlone: boolean): void {
    const who = isAlone ? 'this replica (Redis unavailable) pauses' : 'every replica pauses';
    const learned =
      learnedLimit > 0
        ? `; the fleet sends at most ${learnedLimit} a second, as Hamsa took, for the next 30 s`
        : '';
    this.logger.warn(
      `Hamsa answered 429 to a preload request: ${who} its preload requests for ${cooldownMs} ms ` +
        `(fleet-wide cooldown)${learned}`,
    );
  }
}
