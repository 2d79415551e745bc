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
 * The cancellation of one call to Hamsa, and every time limit on it in one place: it follows the
 * given signals (the caller's, shutdown's, a rejected key's), and aborts with a
 * `HamsaTimeoutError` when its idle timer (`arm`) or its deadline (`limit`) runs out.
 *
 * Real-time calls are the hot path and most of them never abort, so the scope keeps its own
 * state and listeners: its `AbortSignal` is made only when something asks for it (a retry's
 * wait, a wait for readiness or a connection), not for every call.
 */
export class CallScope {
  private controller?: AbortController;
  private isAborted = false;
  private abortReason: unknown;
  private listeners?: Set<() => void>;
  private readonly unlinks: (() => void)[] = [];
  private idleTimer?: NodeJS.Timeout;
  /** When `idleTimer` fires (`performance.now()` ms). */
  private idleTimerAt = Infinity;
  /** When the idle time is up (`performance.now()` ms); `Infinity` while disarmed. */
  private idleDeadline = Infinity;
  private idleTimeout?: () => HamsaTimeoutError;
  private deadlineTimer?: NodeJS.Timeout;

  constructor(...signals: (AbortSignal | undefined)[]) {
    for (const signal of signals) {
      if (!signal) continue;
      if (signal.aborted) {
        this.abort(signal.reason);
        continue;
      }
      const follow = () => this.abort(signal.reason);
      signal.addEventListener('abort', follow, { once: true });
      this.unlinks.push(() => signal.removeEventListener('abort', follow));
    }
  }

  get aborted(): boolean {
    return this.isAborted;
  }

  /** Why the scope aborted (`undefined` until it did). */
  get reason(): unknown {
    return this.abortReason;
  }

  /** An `AbortSignal` that aborts with the scope, for APIs that take one; made on first use. */
  get signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.isAborted) this.controller.abort(this.abortReason);
    }
    return this.controller.signal;
  }

  /**
   * Calls `listener` once when the scope aborts (not when it already has: check `aborted`
   * first). Returns what removes it.
   */
  onAbort(listener: () => void): () => void {
    if (this.isAborted) return () => undefined;
    (this.listeners ??= new Set()).add(listener);
    return () => this.listeners?.delete(listener);
  }

  /**
   * (Re)starts the idle timer: the scope aborts with `timeout()` unless it is armed again or
   * disarmed within `timeoutMs` (an attempt's answer, the next audio chunk).
   *
   * Called for every chunk of a stream, so it only moves a deadline: the Node timer is
   * replaced only when the deadline comes before it fires; firing before the deadline, it
   * waits on for the rest.
   */
  arm(timeoutMs: number, timeout: () => HamsaTimeoutError): void {
    if (this.isAborted) return;
    this.idleDeadline = performance.now() + timeoutMs;
    this.idleTimeout = timeout;
    if (this.idleDeadline < this.idleTimerAt) this.startIdleTimer(timeoutMs);
  }

  /**
   * Stops the idle timer until the next `arm()`. Its Node timer may still fire, doing nothing;
   * `dispose()` clears it.
   */
  disarm(): void {
    this.idleDeadline = Infinity;
  }

  /** Aborts with `timeout()` after `timeoutMs`, whatever happens meanwhile (a deadline). */
  limit(timeoutMs: number, timeout: () => HamsaTimeoutError): void {
    clearTimeout(this.deadlineTimer);
    if (this.isAborted) return;
    this.deadlineTimer = setTimeout(() => this.abort(timeout()), timeoutMs);
  }

  /** Aborts the scope with `reason` (a second call changes nothing). */
  abort(reason: unknown): void {
    if (this.isAborted) return;
    this.isAborted = true;
    this.abortReason = reason;
    // No timer has anything left to do: none outlives the call it bounded.
    this.clearTimers();
    this.controller?.abort(reason);
    const listeners = this.listeners;
    this.listeners = undefined;
    for (const listener of listeners ?? []) listener();
  }

  /** What a failed call rejects with: the abort reason once aborted, otherwise `error`. */
  failure(error: unknown): unknown {
    return this.isAborted ? this.abortReason : error;
  }

  /** Clears the timers and lets go of the followed signals. */
  dispose(): void {
    this.clearTimers();
    for (const unlink of this.unlinks) unlink();
  }

  private startIdleTimer(delayMs: number): void {
    clearTimeout(this.idleTimer);
    this.idleTimerAt = performance.now() + delayMs;
    this.idleTimer = setTimeout(() => this.onIdleTimer(), delayMs);
  }

  private onIdleTimer(): void {
    this.idleTimer = undefined;
    this.idleTimerAt = Infinity;
    if (this.idleDeadline === Infinity) return;
    const leftMs = this.idleDeadline - performance.now();
    if (leftMs > 0) this.startIdleTimer(leftMs);
    else this.abort(this.idleTimeout?.());
  }

  private clearTimers(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    this.idleTimerAt = Infinity;
    this.idleDeadline = Infinity;
    clearTimeout(this.deadlineTimer);
  }
}
