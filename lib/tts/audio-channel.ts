/**
 * The audio frames of one WebSocket request, from the socket's message handler to the
 * `speak()` iterator. Asks the socket to pause while `highWaterMark` frames wait unread.
 */
export class AudioChannel {
  private readonly frames: Buffer[] = [];
  private failure?: { error: unknown };
  private ended = false;
  private discarding = false;
  private wake?: () => void;
  private readonly settledPromise: Promise<void>;
  private settle!: () => void;

  constructor(
    private readonly flow: { pause(): void; resume(): void },
    private readonly highWaterMark = 64,
  ) {
    this.settledPromise = new Promise((resolve) => (this.settle = resolve));
  }

  /** Resolves when the request ended or failed, whether or not its frames were read. */
  get settled(): Promise<void> {
    return this.settledPromise;
  }

  get isSettled(): boolean {
    return this.ended || this.failure !== undefined;
  }

  push(frame: Buffer): void {
    if (this.isSettled || this.discarding) return;
    this.frames.push(frame);
    if (this.frames.length === this.highWaterMark) this.flow.pause();
    this.notify();
  }

  end(): void {
    if (this.isSettled) return;
    this.ended = true;
    this.settle();
    this.notify();
  }

  fail(error: unknown): void {
    if (this.isSettled) return;
    this.failure = { error };
    this.settle();
    this.notify();
  }

  /** The reader left early: drop what comes until the request settles. */
  discard(): void {
    this.discarding = true;
    this.frames.length = 0;
    this.flow.resume();
  }

  async *read(): AsyncGenerator<Buffer> {
    for (;;) {
      const frame = this.frames.shift();
      if (frame) {
        if (this.frames.length === 0) this.flow.resume();
        yield frame;
      } else if (this.failure) {
        throw this.failure.error;
      } else if (this.ended) {
        return;
      } else {
        await new Promise<void>((resolve) => (this.wake = resolve));
      }
    }
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
