import { type HamsaTtsSession } from './hamsa-tts.session.js';

/** When the pool checks its sessions, in ms (internal: not options). */
export interface SessionHealthTimings {
  /** An idle session is pinged after this long without a request. */
  pingIdleMs: number;
  /** A ping whose pong has not come within this long marks the session half-open. */
  pongTimeoutMs: number;
  /** A session this old is retired: Hamsa closes a connection after 60 minutes idle. */
  maxAgeMs: number;
}

/** Hamsa pings every 30 s; 50 minutes leave a margin before its 60-minute idle close. */
export const SESSION_HEALTH_TIMINGS: SessionHealthTimings = {
  pingIdleMs: 30_000,
  pongTimeoutMs: 10_000,
  maxAgeMs: 50 * 60_000,
};

/** What a watch tells the pool about its session. */
export interface SessionHealthEvents {
  /** The pong did not come: the connection is half-open. */
  dead(session: HamsaTtsSession): void;
  /** The pong came: the session may be handed out again. */
  alive(session: HamsaTtsSession): void;
  /** The session reached `maxAgeMs`: close it once idle, never hand it out again. */
  retired(session: HamsaTtsSession): void;
}

/**
 * The health of one pooled session: while it is idle, pings it every `pingIdleMs` and reports it
 * dead when a pong is late; whatever it does, reports it retired at `maxAgeMs` of age.
 */
export class SessionHealth {
  private pingTimer?: NodeJS.Timeout;
  private readonly ageTimer: NodeJS.Timeout;
  private checking = false;
  private disposed = false;
  isRetired = false;

  constructor(
    private readonly session: HamsaTtsSession,
    private readonly timings: SessionHealthTimings,
    private readonly events: SessionHealthEvents,
  ) {
    const ageMs = performance.now() - session.openedAt;
    this.ageTimer = setTimeout(() => {
      this.isRetired = true;
      events.retired(session);
    }, timings.maxAgeMs - ageMs);
    // Unref'd, as the ping timer: checking a pool never keeps the process alive on its own.
    this.ageTimer.unref();
  }

  /** Whether a ping waits for its pong: the session must not be handed out meanwhile. */
  get isChecking(): boolean {
    return this.checking;
  }

  /** The session became idle: ping it after `pingIdleMs`, and again after each pong. */
  rest(): void {
    clearTimeout(this.pingTimer);
    if (this.disposed) return;
    this.pingTimer = setTimeout(() => void this.check(), this.timings.pingIdleMs);
    this.pingTimer.unref();
  }

  /** The session was handed out: no pings while it speaks (its audio proves it alive). */
  work(): void {
    clearTimeout(this.pingTimer);
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.pingTimer);
    clearTimeout(this.ageTimer);
  }

  private async check(): Promise<void> {
    this.checking = true;
    const alive = await this.session.checkAlive(this.timings.pongTimeoutMs);
    this.checking = false;
    if (this.disposed) return;
    if (!alive) return this.events.dead(this.session);
    this.rest();
    this.events.alive(this.session);
  }
}
