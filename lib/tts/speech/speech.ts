import { sharedAbortController } from '../../gateway/call-scope.js';
import { type SpeakTextRecording } from '../../telemetry/speak-text-recording.js';
import {
  type HamsaSpeakTextOptions,
  type HamsaSpeech,
  type HamsaSpeechReport,
} from './hamsa-speech.interfaces.js';
import { SegmentAudio, type SynthesizeSegment } from './segment-audio.js';
import { type SpeechSegmenter } from './speech-segmenter.js';
import { TextFeed } from './text-feed.js';

/** What a `Speech` needs from `HamsaTtsService` (internal). */
export interface SpeechDeps {
  text: string | AsyncIterable<string>;
  segmenter: SpeechSegmenter;
  synthesize: SynthesizeSegment;
  /** Resolves once the speaker may be used: awaited once, for every segment. */
  voiceReady(signal: AbortSignal): Promise<void>;
  /** Starts the `hamsa.tts.speak_text` recording, when iteration starts. */
  record(): SpeakTextRecording;
  signal?: AbortSignal;
  lookahead: number;
  mulaw: boolean;
  wav: boolean;
  onSegmentStart?: HamsaSpeakTextOptions['onSegmentStart'];
}

/** Why the segments were cancelled when the caller left the loop early. */
const LEFT_EARLY = new Error('The caller stopped iterating the speech');

/**
 * `HamsaTtsService.speakText()`'s audio: reads the text into segments, synthesizes the one being
 * yielded and up to `lookahead` after it at the same time, and yields their audio in text order.
 * Aborting `signal` or leaving the loop cancels everything in flight at once.
 */
export class Speech implements HamsaSpeech {
  readonly report: Promise<HamsaSpeechReport>;
  private settleReport!: (report: HamsaSpeechReport) => void;
  private readonly stopping = sharedAbortController();
  private readonly feed: TextFeed;
  private readonly audios: SegmentAudio[] = [];
  /** The segment being yielded. */
  private current = 0;
  /** The first segment that failed: none after it is started. */
  private failedAt = Number.POSITIVE_INFINITY;
  private voice?: Promise<void>;
  private iterated = false;
  /** Text received but not cut into a segment when reading stopped. */
  private unsegmented = '';

  constructor(private readonly deps: SpeechDeps) {
    this.report = new Promise((resolve) => (this.settleReport = resolve));
    this.feed = new TextFeed(deps.segmenter, this.stopping.signal);
  }

  [Symbol.asyncIterator](): AsyncIterator<Buffer> {
    if (this.iterated) throw new Error('A HamsaSpeech can be iterated once only');
    this.iterated = true;
    return this.play();
  }

  private async *play(): AsyncGenerator<Buffer> {
    const { signal } = this.deps;
    const recording = this.deps.record();
    const startedAt = performance.now();
    const onAbort = () => this.stopping.abort(signal!.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    let firstAudioMs: number | undefined;
    let outcome: { interrupted: boolean; error?: unknown } = { interrupted: true };
    try {
      signal?.throwIfAborted();
      this.voice = this.deps.voiceReady(this.stopping.signal);
      this.voice.catch(() => undefined);
      this.feed.start(this.deps.text, () => this.schedule(recording));
      for (let index = 0; ; index++) {
        const text = await this.feed.segmentAt(index);
        if (text === undefined) break;
        this.current = index;
        this.schedule(recording);
        const audio = this.audios[index];
        let chunk = await audio.next();
        // The header describes the first segment's audio, Hamsa's format if it sent one.
        if (index === 0 && this.deps.wav) yield audio.header!;
        if (chunk) this.deps.onSegmentStart?.({ index, text });
        for (; chunk; chunk = await audio.next()) {
          firstAudioMs ??= performance.now() - startedAt;
          recording.firstAudio();
          yield chunk;
        }
      }
      outcome = { interrupted: false };
    } catch (error) {
      const aborted = this.stopping.signal.aborted && error === this.stopping.signal.reason;
      outcome = aborted ? { interrupted: true } : { interrupted: false, error };
      throw error;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.stop(outcome.interrupted ? (signal?.reason ?? LEFT_EARLY) : outcome.error);
      const report = this.buildReport(outcome, firstAudioMs);
      recording.ended(report.segments.length, outcome.interrupted, outcome.error);
      this.settleReport(report);
    }
  }

  /** Starts the segments of the window: the one being yielded and `lookahead` after it. */
  private schedule(recording: SpeakTextRecording): void {
    const { segments } = this.feed;
    const last = Math.min(segments.length - 1, this.current + this.deps.lookahead, this.failedAt);
    for (let index = this.audios.length; index < segments.length; index++) {
      this.audios.push(new SegmentAudio(segments[index], this.deps.mulaw, this.stopping.signal));
    }
    for (let index = this.current; index <= last; index++) {
      const audio = this.audios[index];
      if (audio.started || this.stopping.signal.aborted) continue;
      const synthesize: SynthesizeSegment = (text, signal) =>
        recording.run(() => this.deps.synthesize(text, signal));
      audio.start(synthesize, this.voice!, (error) => this.failed(index, error));
    }
  }

  /** A segment failed: nothing after it is sent; the reader meets the error when it gets there. */
  private failed(index: number, error: unknown): void {
    this.failedAt = Math.min(this.failedAt, index);
    for (const audio of this.audios.slice(index + 1)) audio.cancel(error);
  }

  /** Cancels every request in flight and stops reading the text (once is enough). */
  private stop(reason: unknown): void {
    if (!this.stopping.signal.aborted) this.stopping.abort(reason ?? LEFT_EARLY);
    this.unsegmented = this.feed.stop();
  }

  private buildReport(
    outcome: { interrupted: boolean; error?: unknown },
    firstAudioMs: number | undefined,
  ): HamsaSpeechReport {
    const segments = this.feed.segments.map(
      (text, index) =>
        this.audios[index]?.report() ?? {
          text,
          audioBytes: 0,
          firstAudioMs: undefined,
          spoken: false,
        },
    );
    const spoken = segments.filter((segment) => segment.spoken).map((segment) => segment.text);
    const unspoken = segments.filter((segment) => !segment.spoken).map((segment) => segment.text);
    if (this.unsegmented) unspoken.push(this.unsegmented);
    return {
      segments,
      spokenText: spoken.join(' '),
      unspokenText: unspoken.join(' '),
      interrupted: outcome.interrupted,
      firstAudioMs,
      ...(outcome.error !== undefined && { error: outcome.error }),
    };
  }
}
