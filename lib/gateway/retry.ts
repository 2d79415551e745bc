import { setTimeout as sleep } from 'node:timers/promises';
import { type HamsaError } from '../errors/hamsa.error.js';
import { backoffDelayMs, type BackoffOptions } from './backoff.js';
import { type CallScope } from './call-scope.js';

/** When and how long to wait before sending a failed request again. */
export interface RetryPolicy extends BackoffOptions {
  /** Retries after the first attempt. */
  retries: number;
  /** Whether an attempt that failed with `error` may be sent again. */
  canRetry(error: unknown): error is HamsaError;
  /** Give up rather than wait past this moment (`performance.now()` ms): the call's deadline. */
  giveUpAt?: number;
  /** Give up rather than wait longer than this at once (a `Retry-After` too long to honour). */
  maxWaitMs?: number;
  /** Told before each wait, e.g. to log it. */
  onRetry(error: HamsaError, retryNumber: number, waitMs: number): void;
}

/**
 * Runs `attempt` (given its 1-based number) until it succeeds, sending it again after a jittered
 * exponential backoff that honours `Retry-After` (see `backoffDelayMs`) while the policy allows.
 * Rejects with the last attempt's error, or as soon as `scope` aborts (the caller reads the
 * reason from its scope).
 */
export async function withRetries<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  policy: RetryPolicy,
  scope: CallScope,
): Promise<T> {
  for (let retryNumber = 1; ; retryNumber++) {
    try {
      return await attempt(retryNumber);
    } catch (error) {
      const waitMs = waitBeforeRetry(error, retryNumber, policy, scope);
      if (waitMs === undefined) throw error;
      policy.onRetry(error as HamsaError, retryNumber, waitMs);
      await sleep(waitMs, undefined, { signal: scope.signal });
    }
  }
}

/** The wait before retry `retryNumber`, or `undefined` when the error must be thrown. */
function waitBeforeRetry(
  error: unknown,
  retryNumber: number,
  policy: RetryPolicy,
  scope: CallScope,
): number | undefined {
  if (scope.aborted || retryNumber > policy.retries || !policy.canRetry(error)) return undefined;
  const waitMs = backoffDelayMs(error, retryNumber, policy);
  if (policy.maxWaitMs !== undefined && waitMs > policy.maxWaitMs) return undefined;
  if (policy.giveUpAt !== undefined && performance.now() + waitMs > policy.giveUpAt)
    return undefined;
  return waitMs;
}
