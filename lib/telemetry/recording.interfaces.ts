// No OpenTelemetry type here: these are named by declarations users see, and the API is optional.

/** A recording whose span work can run in: the HTTP client spans of its requests nest in it. */
export interface SpanScope {
  /** Runs `work` with the recording's span active (a no-op wrapper without the API). */
  within<T>(work: () => T): T;
}

/** One voice preload being recorded: its span, and its duration once it settles. */
export interface PreloadRecording extends SpanScope {
  /** An attempt failed and another follows after `waitMs` (a span event). */
  retrying(retryNumber: number, waitMs: number, error: Error): void;
  /** The preload settled; `error` when it failed. */
  settled(attempts: number, error?: Error): void;
  /** The preload was cut short by shutdown: no outcome to record, the span just ends. */
  abandoned(): void;
}

/** One TTS call being recorded: its span, its time to first audio and its duration. */
export interface TtsRecording extends SpanScope {
  firstAudio(): void;
  /** The call ended; `error` when it failed. */
  ended(error?: unknown): void;
}
