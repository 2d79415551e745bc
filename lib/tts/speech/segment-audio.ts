import { bareStreamFormat } from '../wav.js';
import { toWavStream } from '../wav-stream.js';
import { type HamsaSpeechSegmentReport } from './hamsa-speech.interfaces.js';
import { Wakeup } from './wakeup.js';

/** Asks Hamsa for one segment's audio (a `speak()` or `stream()` call). */
export type SynthesizeSegment = (text: string, signal: AbortSignal) => AsyncIterable<Buffer>;

/**
 * One segment of a speech: its request runs in the background as soon as it is started, its
 * audio is kept until the reader takes it (`next()`), with any RIFF header Hamsa sent set
 * apart (`header`), so that the audio is bare.
 */
export class SegmentAudio {
  /** The WAV header describing the audio (Hamsa's format, or the bare stream's). */
  header?: Buffer;
  private readonly chunks: Buffer[] = [];
  private readonly controller = new AbortController();
  private readonly wakeup: Wakeup;
  private isStarted = false;
  private isComplete = false;
  private failure?: { error: unknown };
  private audioBytes = 0;
  private handedBytes = 0;
  private isReached = false;
  private startedAt = 0;
  private firstAudioMs?: number;

  constructor(
    readonly text: string,
    private readonly mulaw: boolean,
    /** Aborted on barge-in: every segment follows it. */
    signal: AbortSignal,
  ) {
    const cancel = () => this.controller.abort(signal.reason);
    if (signal.aborted) cancel();
    else signal.addEventListener('abort', cancel, { once: true });
    this.wakeup = new Wakeup(this.controller.signal);
  }

  get started(): boolean {
    return this.isStarted;
  }

  /** Starts the request once `voiceReady` resolved; `onFailure` hears of a failure at once. */
  start(
    synthesize: SynthesizeSegment,
    voiceReady: Promise<void>,
    onFailure: (error: unknown) => void,
  ): void {
    this.isStarted = true;
    void this.run(synthesize, voiceReady).catch((error: unknown) => {
      if (!this.controller.signal.aborted) onFailure(error);
      this.failure = { error };
      this.wakeup.wake();
    });
  }

  /** Cancels the request, if any; the reader's `next()` rejects with `reason`. */
  cancel(reason: unknown): void {
    this.controller.abort(reason);
  }

  /** The next chunk of audio, once there; `undefined` after the last one. */
  async next(): Promise<Buffer | undefined> {
    this.isReached = true;
    // Barge-in while the reader was away: nothing more is handed over, even audio already here.
    this.controller.signal.throwIfAborted();
    while (this.chunks.length === 0) {
      if (this.failure) throw this.failure.error;
      if (this.isComplete) return undefined;
      await this.wakeup.wait();
    }
    const chunk = this.chunks.shift()!;
    this.handedBytes += chunk.length;
    return chunk;
  }

  report(): HamsaSpeechSegmentReport {
    const spoken = this.isReached && this.isComplete && this.handedBytes === this.audioBytes;
    return {
      text: this.text,
      audioBytes: this.audioBytes,
      firstAudioMs: this.firstAudioMs,
      spoken,
    };
  }

  private async run(synthesize: SynthesizeSegment, voiceReady: Promise<void>): Promise<void> {
    await voiceReady;
    this.controller.signal.throwIfAborted();
    this.startedAt = performance.now();
    const audio = synthesize(this.text, this.controller.signal);
    for await (const chunk of toWavStream(audio, bareStreamFormat(this.mulaw))) {
      if (!this.header) {
        this.header = chunk;
        continue;
      }
      this.firstAudioMs ??= performance.now() - this.startedAt;
      this.audioBytes += chunk.length;
      this.chunks.push(chunk);
      this.wakeup.wake();
    }
    this.isComplete = true;
    this.wakeup.wake();
  }
}
