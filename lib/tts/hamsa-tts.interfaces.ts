/** Dialects Hamsa documents for the real-time REST endpoints. */
export const HAMSA_TTS_DIALECTS = [
  'pls',
  'egy',
  'syr',
  'irq',
  'jor',
  'leb',
  'ksa',
  'uae',
  'bah',
  'qat',
  'kuw',
  'oma',
  'msa',
  'ar-sa',
  'en',
] as const;

/** A dialect code of `HAMSA_TTS_DIALECTS`. */
export type HamsaTtsDialect = (typeof HAMSA_TTS_DIALECTS)[number];

/**
 * What `HamsaTtsSession.speak()` also accepts: Hamsa's own WebSocket example sends `"modern"`,
 * which the REST list does not have.
 */
export type HamsaTtsSessionDialect = HamsaTtsDialect | 'modern';

/** Longest text Hamsa accepts in one request, in characters (UTF-16 code units). */
export const MAX_TTS_TEXT_LENGTH = 2000;

/**
 * One text to speak. Validated before any I/O: `text` 1–2000 characters, `speaker` non-empty,
 * `dialect` one of the documented codes.
 */
export interface HamsaTtsRequest {
  /** The text to speak, 1–2000 characters. */
  text: string;
  /** A built-in speaker name (`'Amjad'`) or a cloned-voice UUID. */
  speaker: string;
  /** Dialect code; omitted, Hamsa chooses. */
  dialect?: HamsaTtsDialect;
  /** `true`: 8 kHz µ-law instead of 16 kHz 16-bit PCM. Default `false`. */
  mulaw?: boolean;
  /** Language of the text, e.g. `'ar'` (undocumented on REST; Hamsa's default is `'ar'`). */
  languageId?: string;
}

/** A request on a WebSocket session, where the dialect `"modern"` is accepted too. */
export interface HamsaTtsSessionRequest extends Omit<HamsaTtsRequest, 'dialect'> {
  dialect?: HamsaTtsSessionDialect;
}

/** Per-call options of `HamsaTtsService`. */
export interface HamsaTtsCallOptions {
  /** Aborts the call (the wait for the voice, the request, or the stream); releases the socket. */
  signal?: AbortSignal;
  /**
   * How long to wait for a cloned voice to become ready, in ms.
   * Default: the module's `deadlineMs`.
   */
  voiceTimeoutMs?: number;
}

/** Options of `HamsaTtsService.openSession()`. */
export interface HamsaTtsSessionOptions {
  /** Aborts opening the session, and closes it if it is open. */
  signal?: AbortSignal;
  /** Default wait for a cloned voice of each `speak()`, in ms. Default: the module's `deadlineMs`. */
  voiceTimeoutMs?: number;
}

/** Options of `HamsaTtsSession.speak()`. */
export interface HamsaTtsSpeakOptions {
  /**
   * Aborts this utterance: while it waits its turn or for its voice, it alone rejects with the
   * signal's reason and the session stays open; once sent, the session is closed too (Hamsa has
   * no cancel message, so the rest of its audio would reach the next utterance).
   */
  signal?: AbortSignal;
  /**
   * Longest silence from Hamsa, in ms: from sending the request to its first message, between
   * frames, and until `end`. Counted only once the request is sent, and not while the reader is
   * behind. A longer silence fails the utterance with `HamsaTimeoutError` and closes the session.
   * Default: the module's `requestTimeoutMs`.
   */
  timeoutMs?: number;
}
