import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A replica's own pacing of preload requests while the fleet cannot coordinate through Redis: at
 * most `ratePerSecond` on average and, from 1 a second up, at most its whole part within any
 * `windowMs`. So a fleet of N replicas each pacing at `limit / N` never puts more than the limit
 * in any one window, however their sends line up.
 */
export class FallbackPacer {
  /** When this replica's last sends left (`performance.now()` ms), the oldest first. */
  private readonly sent: number[] = [];
  /** No send before this time: a cooldown, or the window the fleet's last shared sends fill. */
  private heldUntil = 0;

  constructor(private readonly windowMs: number) {}

  /** Holds every send until `untilMs` (`performance.now()` ms), unless held longer already. */
  hold(untilMs: number): void {
    this.heldUntil = Math.max(this.heldUntil, untilMs);
  }

  /** Resolves when one more send at `ratePerSecond` may leave, and counts it. */
  async take(ratePerSecond: number, signal: AbortSignal): Promise<void> {
    for (;;) {
      const waitMs = this.tryTake(ratePerSecond);
      if (waitMs === 0) return;
      await sleep(waitMs, undefined, { signal }).catch(() => {
        throw signal.reason;
      });
    }
  }

  /**
   * Counts one more send at `ratePerSecond` now and returns 0 if it may leave now; else returns
   * how long until it may, counting nothing.
   */
  tryTake(ratePerSecond: number): number {
    const capacity = Math.max(1, Math.floor(ratePerSecond));
    // Below 1 a second, one send per window long enough for that average.
    const windowMs = Math.max(this.windowMs, (this.windowMs * capacity) / ratePerSecond);
    const now = performance.now();
    while (this.sent.length > 0 && this.sent[0] <= now - windowMs) this.sent.shift();
    const freeAt =
      this.sent.length < capacity ? now : this.sent[this.sent.length - capacity] + windowMs;
    const waitMs = Math.max(freeAt, this.heldUntil) - now;
    if (waitMs > 0) return waitMs;
    this.sent.push(now);
    return 0;
  }

  /** Forgets the latest send counted: it did not leave after all. */
  untake(): void {
    this.sent.pop();
  }
}
