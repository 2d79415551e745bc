import { HamsaQuotaExceededError } from '../errors/hamsa-api.error.js';
import { HamsaEndpointNotFoundError } from '../errors/hamsa-endpoint-not-found.error.js';
import { sharedAbortController } from '../gateway/call-scope.js';

/** A failure every voice would meet the same way: a spent quota (402, "usage limit"), a wrong endpoint. */
export type AccountWideFailure = HamsaQuotaExceededError | HamsaEndpointNotFoundError;

/** Whether `error` is one every voice would meet too (see `AccountWideFailure`). */
export function isAccountWide(error: unknown): error is AccountWideFailure {
  return error instanceof HamsaQuotaExceededError || error instanceof HamsaEndpointNotFoundError;
}

/**
 * Stops the preloads queued or in flight when one of them meets an account-wide failure: they
 * all fail with that one error, without sending more into the same wall (as a rejected key stops
 * every preload). Unlike a rejected key it does not last: preloads queued afterwards (recovery
 * once the wallet was topped up, a later `preload()`) are sent.
 */
export class PreloadHalt {
  private controller = sharedAbortController();

  /** What a job queued now follows. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /**
   * Halts the jobs that follow `signal` (the failing job's) when `error` is account-wide. Later
   * failures of jobs already halted change nothing: they keep the first error.
   */
  haltOn(signal: AbortSignal, error: unknown): void {
    if (!isAccountWide(error) || signal !== this.controller.signal) return;
    this.controller.abort(error);
    this.controller = sharedAbortController();
  }
}
