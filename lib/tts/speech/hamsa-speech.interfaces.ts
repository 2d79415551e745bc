import { type HamsaTtsSessionDialect } from '../hamsa-tts.interfaces.js';

/** Options of `HamsaTtsService.speakText()`. */
export interface HamsaSpeakTextOptions {
  /** A built-in speaker name (`'Amjad'`) or a cloned-voice UUID. Required. */
  speaker: string;
  /** Dialect code; `"modern"` only with `transport: 'websocket'`. Omitted, Hamsa chooses. */
  dialect?: HamsaTtsSessionDialect;
  /** `true`: 8 kHz µ-law instead of 16 kHz 16-bit PCM. Default `false`. */
  mulaw?: boolean;
  /** Language of the text, e.g. `'ar'`. */
  languageId?: string;
  /**
   * Barge-in: aborting it cancels every request in flight and every queued segment, and the
   * iteration throws the signal's reason.
   */
  signal?: AbortSignal;
  /**
   * Segments synthesized ahead of the one being played, at the same time: an integer 0–8,
   * default 2. Their audio waits its turn in memory (at most this many segments' worth).
   */
  lookahead?: number;
  /**
   * `'websocket'` (default): each segment is one utterance on a pooled WebSocket session
   * (`speak()`), which reuses connections — Hamsa answers a reused connection faster.
   * `'stream'`: each segment is one chunked `POST /v1/realtime/tts-stream` (`stream()`).
   */
  transport?: 'websocket' | 'stream';
  /** `true`: one WAV header (sizes "unknown") before the audio. Default `false`: bare audio. */
  wav?: boolean;
  /** How long to wait for a cloned voice to become ready, in ms. Default: `deadlineMs`. */
  voiceTimeoutMs?: number;
  /**
   * Called just before a segment's first audio is yielded, e.g. to show it as captions. A
   * segment without audio is not announced.
   */
  onSegmentStart?(segment: { index: number; text: string }): void;
}

/** What happened to one segment of a `HamsaSpeech`. */
export interface HamsaSpeechSegmentReport {
  /** The segment's text, as sent to Hamsa (or as it would have been). */
  text: string;
  /** Bytes of audio received for it (bare, without a WAV header). */
  audioBytes: number;
  /** From its request to its first audio byte, in ms; `undefined` when no audio came. */
  firstAudioMs: number | undefined;
  /** Whether all its audio was handed to the caller. */
  spoken: boolean;
}

/** What a `HamsaSpeech` said, once its iteration ended. */
export interface HamsaSpeechReport {
  /** Every segment known when it ended, in text order, requested or not. */
  segments: HamsaSpeechSegmentReport[];
  /** The spoken segments, joined with spaces: what an agent may write into its history. */
  spokenText: string;
  /** The rest of the text received (segments not spoken, and text not yet cut into one). */
  unspokenText: string;
  /** Whether the caller stopped it: `signal` aborted, or the loop left early. */
  interrupted: boolean;
  /** From the start of the iteration to the first audio byte handed over, in ms. */
  firstAudioMs: number | undefined;
  /** The error that ended it (a segment's `HamsaError`, the text stream's error), if any. */
  error?: unknown;
}

/**
 * The audio of `HamsaTtsService.speakText()`: every segment's audio in text order, as bare PCM
 * (or µ-law), with one WAV header first when `wav: true`. Iterable once; synthesis starts when
 * iteration starts.
 */
export interface HamsaSpeech extends AsyncIterable<Buffer> {
  /**
   * Settles when the iteration ends — completed, interrupted or failed (it never rejects) — with
   * what was spoken. Stays pending while the speech is not iterated.
   */
  readonly report: Promise<HamsaSpeechReport>;
}
