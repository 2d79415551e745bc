/**
 * Lets one reader wait for a producer's next change (a chunk, a segment, an end): `wait()`
 * resolves at the next `wake()`, or rejects with `signal.reason` as soon as `signal` aborts.
 */
export class Wakeup {
  private waiter?: { resolve(): void; reject(reason: unknown): void };

  constructor(private readonly signal: AbortSignal) {
    signal.addEventListener('abort', () => this.waiter?.reject(signal.reason), { once: true });
  }

  wait(): Promise<void> {
    this.signal.throwIfAborted();
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  wake(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.resolve();
  }
}
