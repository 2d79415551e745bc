import { setMaxListeners } from 'node:events';
import { type HamsaTimeoutError } from '../errors/hamsa-transport.error.js';

/**
 * An `AbortController` whose signal many calls may follow at once (shutdown, a rejected key):
 * without a limit on its listeners, so Node does not warn of a leak at the eleventh.
 */
export function sharedAbortController(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}

/**
 * The abort signal of one call to Hamsa, and every time limit on it in one place: it follows the
 * given signals (the caller's, shutdown's, a rejected key's), and aborts with a
 * `HamsaTimeoutError` when its idle timer (`arm`) or its deadline (`limit`) runs out.
 */
export class CallScope {
  private readonly controller = new AbortController();
  private readonly unlinks: (() => void)[] = [];
  private idleTimer?: NodeJS.Timeout;
  private deadlineTimer?: NodeJS.Timeout;

  constructor(...signals: (AbortSignal | undefined)[]) {
    for (const signal of signals) {
      if (!signal) continue;
      const follow = () => this.controller.abort(signal.reason);
      if (signal.aborted) follow();
      signal.addEventListener('abort', follow, { once: true });
      this.unlinks.push(() => signal.removeEventListener('abort', follow));
    }
    // Once aborted, no timer has anything left to do: none outlives the call it bounded.
    this.controller.signal.addEventListener('abort', () => this.clearTimers(), { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /**
   * (Re)starts the idle timer: the scope aborts with `timeout()` unless it is armed again or
   * disarmed within `timeoutMs` (an attempt's answer, the next audio chunk).
   */
  arm(timeoutMs: number, timeout: () => HamsaTimeoutError): void {
    clearTimeout(this.idleTimer);
    if (this.signal.aborted) return;
    this.idleTimer = setTimeout(() => this.controller.abort(timeout()), timeoutMs);
  }

  disarm(): void {
    clearTimeout(this.idleTimer);
  }

  /** Aborts with `timeout()` after `timeoutMs`, whatever happens meanwhile (a deadline). */
  limit(timeoutMs: number, timeout: () => HamsaTimeoutError): void {
    clearTimeout(this.deadlineTimer);
    if (this.signal.aborted) return;
    this.deadlineTimer = setTimeout(() => this.controller.abort(timeout()), timeoutMs);
  }

  /** What a failed call rejects with: the abort reason once aborted, otherwise `error`. */
  failure(error: unknown): unknown {
    return this.signal.aborted ? this.signal.reason : error;
  }

  /** Clears the timers and lets go of the followed signals. */
  dispose(): void {
    this.clearTimers();
    for (const unlink of this.unlinks) unlink();
  }

  private clearTimers(): void {
    clearTimeout(this.idleTimer);
    clearTimeout(this.deadlineTimer);
  }
}
