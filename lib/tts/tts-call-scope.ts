import { HamsaTimeoutError } from '../errors/hamsa-transport.error.js';

/**
 * The abort signal of one TTS call: follows the caller's `signal`, and aborts with a
 * `HamsaTimeoutError` when Hamsa sends nothing for `timeoutMs` (armed again on every chunk).
 */
export class TtsCallScope {
  private readonly controller = new AbortController();
  private readonly unlink: () => void = () => undefined;
  private timer?: NodeJS.Timeout;

  constructor(
    callerSignal: AbortSignal | undefined,
    private readonly timeoutMs: number,
    private readonly speaker: string,
  ) {
    if (!callerSignal) return;
    const follow = () => this.controller.abort(callerSignal.reason);
    if (callerSignal.aborted) follow();
    callerSignal.addEventListener('abort', follow, { once: true });
    this.unlink = () => callerSignal.removeEventListener('abort', follow);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** (Re)starts the idle timer for `what`, e.g. "the answer" or "the next audio chunk". */
  arm(what: string): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const message = `Hamsa sent nothing for ${this.timeoutMs} ms (requestTimeoutMs) while waiting for ${what} (speaker ${this.speaker})`;
      this.controller.abort(
        new HamsaTimeoutError(message, { voiceId: this.speaker, timeoutMs: this.timeoutMs }),
      );
    }, this.timeoutMs);
  }

  disarm(): void {
    clearTimeout(this.timer);
  }

  /** What a failed call rejects with: the abort reason once aborted, otherwise `error`. */
  failure(error: unknown): unknown {
    return this.signal.aborted ? this.signal.reason : error;
  }

  dispose(): void {
    this.disarm();
    this.unlink();
  }
}
