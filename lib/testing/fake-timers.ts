/**
 * The pending timers of a fake server, so that closing it clears every one of them and no test
 * is left with a timer that keeps jest alive.
 */
export class FakeTimers {
  private readonly pending = new Set<NodeJS.Timeout>();

  /** Runs `fn` after `ms` (at once when `ms` ≤ 0); the returned function cancels it. */
  after(ms: number, fn: () => void): () => void {
    if (ms <= 0) {
      fn();
      return () => undefined;
    }
    const timer = setTimeout(() => {
      this.pending.delete(timer);
      fn();
    }, ms);
    return this.track(timer);
  }

  /** Runs `fn` every `ms` until the returned function is called. */
  every(ms: number, fn: () => void): () => void {
    return this.track(setInterval(fn, ms));
  }

  /** Cancels every pending timer. */
  clear(): void {
    for (const timer of this.pending) clearTimeout(timer);
    this.pending.clear();
  }

  private track(timer: NodeJS.Timeout): () => void {
    this.pending.add(timer);
    return () => {
      clearTimeout(timer);
      this.pending.delete(timer);
    };
  }
}
