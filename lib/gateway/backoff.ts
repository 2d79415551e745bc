import { type HamsaError } from '../errors/hamsa.error.js';
import { HamsaRateLimitError } from '../errors/hamsa-api.error.js';

/**
 * One way of waiting, for every wait the module takes before trying again or again later:
 * exponential from `baseMs` (doubling each round), capped at `capMs`, of which the share
 * `jitter` is random so that voices and replicas that started together drift apart.
 */
export interface Backoff {
  baseMs: number;
  capMs: number;
  /** 0: an exact wait; 0.5: the upper half is random; 1: anywhere from 0 to the wait. */
  jitter: number;
}

/**
 * The wait of round `round` (1-based) of `backoff`, in whole ms. Serves request retries, the
 * background recovery of failed voices, keep-warm refreshes, startup jitter, the warm sessions'
 * reopening and the Redis coordinator's probe.
 */
export function backoffMs(
  round: number,
  backoff: Backoff,
  random: () => number = Math.random,
): number {
  const { baseMs, capMs, jitter } = backoff;
  const exponential = Math.min(capMs, baseMs * 2 ** (round - 1));
  return Math.round(exponential * (1 - jitter) + random() * exponential * jitter);
}

/** The backoff settings of `HamsaVoiceModuleOptions`. */
export interface BackoffOptions {
  retryDelayMs: number;
  maxRetryDelayMs: number;
}

/**
 * How long to wait before retry number `retryNumber` (1-based) after `error`.
 *
 * Exponential from `retryDelayMs`, capped at `maxRetryDelayMs`, with the upper half jittered so
 * replicas that failed together do not retry in lock-step. A `Retry-After` from Hamsa is a
 * floor: the wait is at least that long, plus jitter for the same reason.
 */
export function backoffDelayMs(
  error: HamsaError,
  retryNumber: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  const retryAfterMs = error instanceof HamsaRateLimitError ? error.retryAfterMs : undefined;
  if (retryAfterMs === undefined) {
    const backoff = { baseMs: options.retryDelayMs, capMs: options.maxRetryDelayMs, jitter: 0.5 };
    return backoffMs(retryNumber, backoff, random);
  }
  return Math.round(retryAfterMs + random() * options.retryDelayMs);
}
