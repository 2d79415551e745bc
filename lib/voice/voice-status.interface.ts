/** Where a voice is in its preload: a word a user reads in a health check. */
export type VoiceState = 'pending' | 'loading' | 'ready' | 'failed';

/**
 * How the module came to know a voice: `configured` in `voiceIds`, added at `runtime` with
 * `preload()`, or brought in `on-demand` by a TTS call whose speaker was an unconfigured UUID.
 * Only on-demand voices are bounded (`onDemandPreload.maxVoices`) and never count in readiness
 * checks.
 */
export type VoiceSource = 'configured' | 'runtime' | 'on-demand';

/** The failure behind a `failed` voice, in a form safe to log and serialise. */
export interface VoiceStatusError {
  /** Error class name, e.g. `HamsaVoiceNotFoundError`. */
  name: string;
  message: string;
  /** HTTP status Hamsa answered with, when it answered. */
  status?: number;
  /** Whether trying again later may succeed. */
  retryable: boolean;
}

/** A snapshot of one voice's preload. Emitted by `changes$` on every transition. */
export interface VoiceStatus {
  voiceId: string;
  state: VoiceState;
  /** How the module came to know the voice. */
  source: VoiceSource;
  /** HTTP attempts made by the latest preload (0 before it starts). */
  attempts: number;
  /** When the voice became ready. */
  readyAt?: Date;
  /** When a keep-warm refresh (`refreshIntervalMs`) last succeeded, while the voice stays ready. */
  refreshedAt?: Date;
  /** Time the latest preload took, from its first attempt until it settled, in ms. */
  durationMs?: number;
  /** Why the voice failed (only in state `failed`). */
  error?: VoiceStatusError;
}

/**
 * The state of each voice: `ready` for a built-in speaker's name (it needs no preload), `unknown`
 * for a voice the module was never asked to preload.
 */
export type VoiceStates = Record<string, VoiceState | 'unknown'>;
