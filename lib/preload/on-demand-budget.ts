import { performance } from 'node:perf_hooks';

const MINUTE_MS = 60_000;

/**
 * `onDemandPreload.maxPreloadsPerMinute` as a token bucket: up to that many on-demand preloads
 * at once, the allowance refilling evenly over a minute. Read on the monotonic clock
 * (`performance.now()`), so a wall-clock step neither empties nor refills it.
 */
export class OnDemandBudget {
  private tokens: number;
  private updatedAt = performance.now();

  constructor(private readonly perMinute: number) {
    this.tokens = perMinute;
  }

  /** Takes one preload from the allowance; `false` when none is left this minute. */
  take(): boolean {
    const now = performance.now();
    const refill = ((now - this.updatedAt) * this.perMinute) / MINUTE_MS;
    this.tokens = Math.min(this.perMinute, this.tokens + refill);
    this.updatedAt = now;
    if (this.tokens < 1) return false;
    this.tokens--;
    return true;
  }
}
