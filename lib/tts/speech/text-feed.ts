import { type SpeechSegmenter } from './speech-segmenter.js';
import { Wakeup } from './wakeup.js';

/**
 * Reads the text of a speech — a string, or tokens as an LLM produces them — into segments as
 * soon as each one's end is known. `segmentAt()` waits for a segment; `stop()` stops reading (the
 * token stream's `return()` is called, so that the producer may stop generating).
 */
export class TextFeed {
  readonly segments: string[] = [];
  private ended = false;
  private failure?: { error: unknown };
  private stopped = false;
  private readonly wakeup: Wakeup;
  private iterator?: AsyncIterator<string>;

  constructor(
    private readonly segmenter: SpeechSegmenter,
    signal: AbortSignal,
  ) {
    this.wakeup = new Wakeup(signal);
  }

  /** Starts reading `text` in the background; `onSegment` hears of each new segment. */
  start(text: string | AsyncIterable<string>, onSegment: () => void): void {
    if (typeof text === 'string') {
      this.add([...this.segmenter.push(text), ...this.segmenter.end()], onSegment);
      this.ended = true;
      return;
    }
    void this.read(text, onSegment);
  }

  /** The segment at `index`, once known; `undefined` when the text ended before it. */
  async segmentAt(index: number): Promise<string | undefined> {
    while (index >= this.segments.length) {
      if (this.failure) throw this.failure.error;
      if (this.ended) return undefined;
      await this.wakeup.wait();
    }
    return this.segments[index];
  }

  /** Stops reading; returns the text received but not yet cut into a segment. */
  stop(): string {
    if (this.stopped) return '';
    this.stopped = true;
    void this.iterator?.return?.().catch(() => undefined);
    return this.ended ? '' : this.segmenter.end().join(' ');
  }

  private async read(text: AsyncIterable<string>, onSegment: () => void): Promise<void> {
    try {
      this.iterator = text[Symbol.asyncIterator]();
      for (;;) {
        const token = await this.iterator.next();
        if (this.stopped) return;
        if (token.done) break;
        this.add(this.segmenter.push(String(token.value)), onSegment);
      }
      this.add(this.segmenter.end(), onSegment);
    } catch (error) {
      if (!this.stopped) this.failure = { error };
    } finally {
      this.ended = true;
      this.wakeup.wake();
    }
  }

  private add(segments: string[], onSegment: () => void): void {
    if (segments.length === 0) return;
    this.segments.push(...segments);
    this.wakeup.wake();
    onSegment();
  }
}
