import { type HamsaError } from '../errors/hamsa.error.js';
import { backoffDelayMs, type BackoffOptions } from '../gateway/backoff.js';
import { sharedAbortController } from '../gateway/call-scope.js';
import { type HamsaTtsSession } from './hamsa-tts.session.js';
import { type SessionPool, type SessionPoolEvents } from './session-pool.js';

/**
 * Shortest wait before opening again after a failure: `retryDelayMs` may be 0 (preload retries
 * at once), but a pool that cannot connect must not hammer Hamsa.
 */
const MIN_RETRY_DELAY_MS = 100;

/**
 * Keeps `tts.warmSessions` idle sessions open ahead of time in the session pool (never more than
 * its `maxSessions`), so that `speak()` and `openSession()` find one at once. A session handed
 * out, retired, or closed while idle (Hamsa closes them after 60 minutes idle) is replaced behind
 * it. Failures are tried again with the module's backoff (`retryDelayMs` doubling up to
 * `maxRetryDelayMs`), and so is a session lost within `maxRetryDelayMs` of opening, so that a
 * server that accepts and then drops connections is not reconnected to in a loop; a failure that
 * cannot heal (e.g. a rejected key) stops the refilling. Owned by `TtsSessions`.
 */
export class WarmSessions implements SessionPoolEvents {
  private readonly stopping = sharedAbortController();
  private pending = 0;
  private started = false;
  /** Failures in a row, for the doubling wait; reset by a session that proved healthy. */
  private failures = 0;
  private retryTimer?: NodeJS.Timeout;
  private pool?: SessionPool;

  constructor(
    private readonly size: number,
    private readonly open: (signal: AbortSignal) => Promise<HamsaTtsSession>,
    private readonly backoff: BackoffOptions,
    private readonly warn: (line: string) => void,
  ) {}

  /** Starts opening sessions into `pool` (once; never after `stop()`). */
  start(pool: SessionPool): void {
    this.pool = pool;
    this.started = true;
    this.fill();
  }

  /** Stops refilling (the pool closes the sessions). */
  stop(): void {
    this.stopping.abort();
    clearTimeout(this.retryTimer);
  }

  idleLeft(): void {
    this.failures = 0;
    // After the caller has its session: opening a WebSocket costs CPU it should not wait for.
    setImmediate(() => this.fill());
  }

  idleLost(livedMs: number): void {
    if (livedMs < this.backoff.maxRetryDelayMs) {
      return this.retryLater(`Warm TTS session closed ${livedMs} ms after opening`);
    }
    this.failures = 0;
    this.fill();
  }

  private fill(): void {
    const pool = this.pool;
    if (!pool || !this.started || this.stopping.signal.aborted || this.retryTimer) return;
    while (pool.idleCount + this.pending < this.size && pool.size < pool.maxSessions) {
      this.pending++;
      void pool
        .addOpening(this.open(this.stopping.signal))
        .catch((error: unknown) => this.failed(error as HamsaError))
        .finally(() => this.pending--);
    }
  }

  private failed(error: HamsaError): void {
    if (this.stopping.signal.aborted) return;
    const what = `Warm TTS session could not open (${error.name}: ${error.message})`;
    if (error.retryable) return this.retryLater(what, error);
    // A rejected key or an empty account will not heal: stop, rather than fail every few seconds.
    this.warn(`${what}; not trying again`);
    this.stopping.abort();
  }

  /** Logs `what` happened and fills the pool again after the next backoff wait. */
  private retryLater(what: string, error?: HamsaError): void {
    // One wait at a time: openings that fail together count as one failure.
    if (this.retryTimer || this.stopping.signal.aborted) return;
    this.failures++;
    const waitMs = Math.max(
      MIN_RETRY_DELAY_MS,
      backoffDelayMs(error as HamsaError, this.failures, this.backoff),
    );
    this.warn(`${what}; trying again in ${waitMs} ms`);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.fill();
    }, waitMs);
    // Unref'd: a pending refill never keeps the process alive on its own.
    this.retryTimer.unref();
  }
}
