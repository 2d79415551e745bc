/** A cap on preload requests being answered at once, as the fake server enforces it. */
export class FakeInFlightLimit {
  private inFlight = 0;

  constructor(private readonly max: number) {}

  /**
   * Admits a request and returns the function that ends it (idempotent), or `undefined` when
   * `max` requests are already being answered.
   */
  admit(): (() => void) | undefined {
    if (this.inFlight >= this.max) return undefined;
    this.inFlight++;
    let isDone = false;
    return () => {
      if (isDone) return;
      isDone = true;
      this.inFlight--;
    };
  }
}
