/** An account-wide limit of requests per rolling second, as the fake server enforces it. */
export class FakeRateLimit {
  /** When each request let through in the last second arrived. */
  private readonly accepted: number[] = [];

  constructor(private readonly perSecond: number) {}

  /** `undefined` when a request may pass now (and counts it), else how long until one could. */
  waitMs(now: number): number | undefined {
    while (this.accepted.length > 0 && this.accepted[0] <= now - 1000) this.accepted.shift();
    if (this.accepted.length < this.perSecond) {
      this.accepted.push(now);
      return undefined;
    }
    return Math.max(1, this.accepted[0] + 1000 - now);
  }
}
