import { setTimeout as sleep } from 'node:timers/promises';
import { type HamsaError } from '../errors/hamsa.error.js';
import { HamsaRateLimitError, HamsaServerError } from '../errors/hamsa-api.error.js';
import { HamsaConnectionError } from '../errors/hamsa-transport.error.js';
import { backoffDelayMs, type BackoffOptions } from '../preload/backoff.js';

/** The module's retry settings. */
export interface TtsRetryOptions extends BackoffOptions {
  retries: number;
}

/**
 * Whether a failed TTS attempt provably never started on Hamsa's side, so that sending it again
 * cannot bill it twice: connection refused, 429 with `Retry-After`, 503.
 */
export function didNotStart(error: unknown): error is HamsaError {
  if (error instanceof HamsaConnectionError) return error.code === 'ECONNREFUSED';
  if (error instanceof HamsaRateLimitError) return error.retryAfterMs !== undefined;
  return error instanceof HamsaServerError && error.status === 503;
}

/**
 * Runs `attempt` again after a backoff while it fails in a way that `didNotStart`, at most
 * `retries` times. Other failures, any once `signal` is aborted, and a `Retry-After` longer than
 * `maxRetryDelayMs` (plus the jitter of `retryDelayMs`) are thrown at once.
 */
export async function retryUnstarted<T>(
  attempt: () => Promise<T>,
  options: TtsRetryOptions,
  signal: AbortSignal,
  onRetry: (error: HamsaError, retryNumber: number, waitMs: number) => void,
): Promise<T> {
  for (let retryNumber = 1; ; retryNumber++) {
    try {
      return await attempt();
    } catch (error) {
      if (signal.aborted || retryNumber > options.retries || !didNotStart(error)) throw error;
      const waitMs = backoffDelayMs(error, retryNumber, options);
      // A Retry-After longer than the module allows one wait to be: give up, do not hang.
      if (waitMs > options.maxRetryDelayMs + options.retryDelayMs) throw error;
      onRetry(error, retryNumber, waitMs);
      await sleep(waitMs, undefined, { signal });
    }
  }
}
