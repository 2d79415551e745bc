import { HamsaConnectionError, HamsaTimeoutError } from '../errors/hamsa-transport.error.js';

/** Why a TTS attempt was sent again, as `hamsa.tts.retry.reason` says it. */
export type TtsRetryReason = 'empty_audio' | 'status' | 'connection' | 'timeout';

/**
 * The reason of a retried TTS attempt's failure: an answer without audio, silence past
 * `requestTimeoutMs`, no answer at all, or else an error status (429, 503, a close code).
 */
export function ttsRetryReason(error: unknown): TtsRetryReason {
  if (error instanceof Error && error.name === 'HamsaEmptyAudioError') return 'empty_audio';
  if (error instanceof HamsaTimeoutError) return 'timeout';
  if (error instanceof HamsaConnectionError) return 'connection';
  return 'status';
}
