import { type HamsaError } from '../errors/hamsa.error.js';
import { backoffDelayMs, type BackoffOptions } from '../gateway/backoff.js';
import { sharedAbortController } from '../gateway/call-scope.js';
import { type HamsaTtsSession } from './hamsa-tts.session.js';

/**
 * Shortest wait before opening again after a failure: `retryDelayMs` may be 0 (preload retries
 * at once), but a pool that cannot connect must not hammer Hamsa.
 */
const MIN_RETRY_DELAY_MS = 100;

/**
 * `tts.warmSessions` WebSocket sessions opened ahead of time, so that `openSession()` can hand
 * one out at once. A session handed out, or closed while idle here (Hamsa closes them after 60
 * minutes idle), is replaced behind it. Failures are tried again with the module's backoff
 * (`retryDelayMs` doubling up to `maxRetryDelayMs`), and so is a session lost within
 * `maxRetryDelayMs` of opening, so that a server that accepts and then drops connections is not
 * reconnected to in a loop; a failure that cannot heal (e.g. a rejected key) stops the refilling.
 * Owned by `TtsSessions`.
 */
export class WarmSessionPool {
  /** Open sessions, oldest first, with when each joined the pool. */
  private readonly idle = new Map<HamsaTtsSession, number>();
  private readonly openings = new Set<Promise<void>>();
  private readonly stopping = sharedAbortController();
  private pending = 0;
  private started = false;
  /** Failures in a row, for the doubling wait; reset by a session that proved healthy. */
  private failures = 0;
  private retryTimer?: NodeJS.Timeout;

  constructor(
    private readonly size: number,
    private readonly open: (signal: AbortSignal) => Promise<HamsaTtsSession>,
    private readonly backoff: BackoffOptions,
    private readonly warn: (line: string) => void,
  ) {}

  /** Starts opening sessions (once; never after `stop()`). */
  start(): void {
    this.started = true;
    this.fill();
  }

  /** An open session, now the caller's (a replacement opens behind it), or `undefined`. */
  take(): HamsaTtsSession | undefined {
    if (this.idle.size === 0) return undefined;
    let taken: HamsaTtsSession | undefined;
    for (const session of this.idle.keys()) {
      this.idle.delete(session);
      if (session.isOpen) {
        taken = session;
        this.failures = 0;
        break;
      }
    }
    // After the caller has its session: opening a WebSocket costs CPU it should not wait for.
    setImmediate(() => this.fill());
    return taken;
  }

  /** Stops refilling, closes the idle sessions, and waits for openings in flight to end. */
  async stop(): Promise<void> {
    this.stopping.abort();
    clearTimeout(this.retryTimer);
    const idle = [...this.idle.keys()];
    this.idle.clear();
    await Promise.all([...idle.map((session) => session.close()), ...this.openings]);
  }

  private fill(): void {
    if (!this.started || this.stopping.signal.aborted || this.retryTimer) return;
    while (this.idle.size + this.pending < this.size) {
      this.pending++;
      const opening: Promise<void> = this.openOne().finally(() => this.openings.delete(opening));
      this.openings.add(opening);
    }
  }

  private async openOne(): Promise<void> {
    let session: HamsaTtsSession;
    try {
      session = await this.open(this.stopping.signal);
    } catch (error) {
      this.pending--;
      this.failed(error as HamsaError);
      return;
    }
    this.pending--;
    if (this.stopping.signal.aborted) return session.close();
    this.idle.set(session, Date.now());
    void session.closed.then(() => this.lost(session));
  }

  /** A session closed: if it was still idle here, replace it. */
  private lost(session: HamsaTtsSession): void {
    const joinedAt = this.idle.get(session);
    if (joinedAt === undefined) return;
    this.idle.delete(session);
    const livedMs = Date.now() - joinedAt;
    if (livedMs < this.backoff.maxRetryDelayMs) {
      return this.retryLater(`Warm TTS session closed ${livedMs} ms after opening`);
    }
    this.failures = 0;
    this.fill();
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
