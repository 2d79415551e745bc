import { type HamsaTtsSession } from './hamsa-tts.session.js';
import {
  SESSION_HEALTH_TIMINGS,
  SessionHealth,
  type SessionHealthTimings,
} from './session-health.js';

/** What the pool tells whoever keeps it warm. */
export interface SessionPoolEvents {
  /** An idle session was handed out or retired: it no longer waits here. */
  idleLeft(): void;
  /** An idle session closed (by Hamsa, or found half-open), `livedMs` after it opened. */
  idleLost(livedMs: number): void;
}

/** A caller waiting for a session: given one, or told that one may be opened (`undefined`). */
interface Waiter {
  resolve(session: HamsaTtsSession | undefined): void;
}

/**
 * The WebSocket sessions `HamsaTtsService.speak()` runs on: at most `maxSessions` open or
 * opening, each speaking one utterance at a time, handed out most recently used first, and
 * waited for in turn when all are busy. Idle ones are pinged and replaced when half-open; old
 * ones are retired before Hamsa's 60-minute idle close; closed ones are forgotten. Owned by
 * `TtsSessions`.
 */
export class SessionPool {
  /** Sessions waiting for an utterance, most recently used last. */
  private readonly idle: HamsaTtsSession[] = [];
  private readonly busy = new Set<HamsaTtsSession>();
  private readonly health = new Map<HamsaTtsSession, SessionHealth>();
  private readonly openings = new Set<Promise<HamsaTtsSession>>();
  private readonly waiters: Waiter[] = [];
  private stopReason?: { error: unknown };

  /** @param timings internal seam: the pool's own tests shorten them; nothing else passes it. */
  constructor(
    readonly maxSessions: number,
    private readonly open: (signal: AbortSignal) => Promise<HamsaTtsSession>,
    private readonly events: SessionPoolEvents,
    private readonly timings: SessionHealthTimings = SESSION_HEALTH_TIMINGS,
  ) {}

  /** Sessions open or opening in the pool. */
  get size(): number {
    return this.idle.length + this.busy.size + this.openings.size;
  }

  get idleCount(): number {
    return this.idle.length;
  }

  /** Whether `session` belongs to the pool (and not to a caller of `openSession()`). */
  owns(session: HamsaTtsSession): boolean {
    return this.health.has(session);
  }

  /**
   * A session for one utterance, now busy until `giveBack()`: an idle one, a new one while fewer
   * than `maxSessions` are open, or the first one given back. Rejects with `signal`'s reason.
   */
  async acquire(signal: AbortSignal): Promise<HamsaTtsSession> {
    let mayOpen = this.waiters.length === 0;
    for (;;) {
      if (this.stopReason) throw this.stopReason.error;
      signal.throwIfAborted();
      const idle = this.takeIdle();
      if (idle) return this.lease(idle);
      if (mayOpen && this.size < this.maxSessions) {
        return this.track(this.open(signal), (session) => this.lease(session));
      }
      const handed = await this.wait(signal);
      if (handed) return handed;
      mayOpen = true;
    }
  }

  /**
   * Ends an utterance's use of `session`: once its request has ended it serves the next one,
   * unless it closed, was retired, or `reusable` is false (it failed: close it, never reuse).
   */
  giveBack(session: HamsaTtsSession, reusable: boolean): void {
    if (!reusable) return this.discard(session);
    void session.whenIdle.then(() => {
      if (!this.busy.delete(session)) return;
      if (!session.isOpen || this.health.get(session)?.isRetired) return this.discard(session);
      this.offer(session);
    });
  }

  /** Counts `opening` against `maxSessions`; once open, it serves a waiter or waits idle. */
  async addOpening(opening: Promise<HamsaTtsSession>): Promise<void> {
    await this.track(opening, (session) => this.offer(session));
  }

  /** An idle session that leaves the pool for good (`openSession()`), or `undefined`. */
  take(): HamsaTtsSession | undefined {
    const session = this.takeIdle();
    if (session) this.forget(session);
    return session;
  }

  /** Rejects waiters with `error`, closes every session, waits for openings in flight. */
  async stop(error: unknown): Promise<void> {
    this.stopReason = { error };
    for (const waiter of this.waiters.splice(0)) waiter.resolve(undefined);
    const sessions = [...this.health.keys()];
    for (const session of sessions) this.forget(session);
    await Promise.allSettled([...sessions.map((session) => session.close()), ...this.openings]);
  }

  private track(
    opening: Promise<HamsaTtsSession>,
    place: (session: HamsaTtsSession) => void,
  ): Promise<HamsaTtsSession> {
    const tracked: Promise<HamsaTtsSession> = opening.then(
      async (session) => {
        this.openings.delete(tracked);
        if (this.stopReason) {
          await session.close();
          throw this.stopReason.error;
        }
        this.adopt(session);
        place(session);
        return session;
      },
      (error: unknown) => {
        this.openings.delete(tracked);
        this.wakeOne();
        throw error;
      },
    );
    this.openings.add(tracked);
    return tracked;
  }

  private adopt(session: HamsaTtsSession): void {
    const health = new SessionHealth(session, this.timings, {
      dead: (dead) => {
        this.discard(dead);
        this.events.idleLost(performance.now() - dead.openedAt);
      },
      // Skipped while its ping was out: a waiter may have come meanwhile.
      alive: (alive) => {
        if (this.waiters.length > 0 && this.removeIdle(alive)) this.offer(alive);
      },
      // A busy one is closed when given back.
      retired: (old) => {
        if (!this.removeIdle(old)) return;
        this.discard(old);
        this.events.idleLeft();
      },
    });
    this.health.set(session, health);
    void session.closed.then(() => this.lost(session));
  }

  /** The most recently used idle session that is open and not being pinged. */
  private takeIdle(): HamsaTtsSession | undefined {
    for (let i = this.idle.length - 1; i >= 0; i--) {
      const session = this.idle[i];
      if (this.health.get(session)?.isChecking || !session.isOpen) continue;
      this.idle.splice(i, 1);
      this.events.idleLeft();
      return session;
    }
    return undefined;
  }

  private lease(session: HamsaTtsSession): HamsaTtsSession {
    this.busy.add(session);
    this.health.get(session)?.work();
    return session;
  }

  /** An available session goes to the first waiter, or waits idle. */
  private offer(session: HamsaTtsSession): void {
    const waiter = this.waiters.shift();
    if (waiter) {
      waiter.resolve(this.lease(session));
    } else {
      this.idle.push(session);
      this.health.get(session)?.rest();
    }
  }

  private wait(signal: AbortSignal): Promise<HamsaTtsSession | undefined> {
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(signal.reason);
      };
      const waiter: Waiter = {
        resolve: (session) => {
          signal.removeEventListener('abort', onAbort);
          resolve(session);
        },
      };
      this.waiters.push(waiter);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** A place in the pool came free: the first waiter may open a session. */
  private wakeOne(): void {
    this.waiters.shift()?.resolve(undefined);
  }

  /** Closes `session` and makes room for another; it is never handed out again. */
  private discard(session: HamsaTtsSession): void {
    if (!this.owns(session)) return;
    this.forget(session);
    void session.close();
    this.wakeOne();
  }

  /** A session closed: forget it; if it was idle, say so (the warm sessions replace it). */
  private lost(session: HamsaTtsSession): void {
    if (!this.owns(session)) return;
    const wasIdle = this.idle.includes(session);
    this.forget(session);
    this.wakeOne();
    if (wasIdle) this.events.idleLost(performance.now() - session.openedAt);
  }

  private forget(session: HamsaTtsSession): void {
    this.removeIdle(session);
    this.busy.delete(session);
    this.health.get(session)?.dispose();
    this.health.delete(session);
  }

  private removeIdle(session: HamsaTtsSession): boolean {
    const index = this.idle.indexOf(session);
    if (index >= 0) this.idle.splice(index, 1);
    return index >= 0;
  }
}
