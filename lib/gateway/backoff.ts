import { type HamsaError } from '../errors/hamsa.error.js';
import { HamsaRateLimitError } from '../errors/hamsa-api.error.js';

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
  const exponential = Math.min(
    options.maxRetryDelayMs,
    options.retryDelayMs * 2 ** (retryNumber - 1),
  );
  const jittered = exponential / 2 + (random() * exponential) / 2;
  const retryAfterMs = error instanceof HamsaRateLimitError ? error.retryAfterMs : undefined;
  if (retryAfterMs === undefined) return Math.round(jittered);
  return Math.round(retryAfterMs + random() * options.retryDelayMs);
}
