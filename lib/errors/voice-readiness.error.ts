import { type VoiceState } from '../voice/voice-status.interface.js';
import { HamsaError } from './hamsa.error.js';

/**
 * Why a voice was not ready when it was needed. `capacity`: a TTS call's unconfigured speaker
 * was not preloaded because `onDemandPreload.maxVoices` on-demand voices are all still loading,
 * or `onDemandPreload.maxPreloadsPerMinute` on-demand preloads were started in the last minute.
 */
export type VoiceNotReadyReason =
  'not_ready' | 'timeout' | 'aborted' | 'shutdown' | 'unknown' | 'capacity';

/**
 * A voice was needed before it was ready: `assertReady()` on a voice still loading, or
 * `whenReady()` that timed out, was aborted or was cut short by application shutdown.
 */
export class VoiceNotReadyError extends HamsaError {
  declare readonly voiceId: string;
  /** The voice's state when the error was raised (`undefined` for a voice never configured). */
  readonly state: VoiceState | undefined;
  readonly reason: VoiceNotReadyReason;

  constructor(voiceId: string, state: VoiceState | undefined, reason: VoiceNotReadyReason) {
    super(describe(voiceId, state, reason), { voiceId, retryable: reason !== 'unknown' });
    this.state = state;
    this.reason = reason;
  }
}

/**
 * A voice that was never configured in `voiceIds` nor requested through `preload()`; also what a
 * TTS call with an unconfigured UUID speaker rejects with when `onDemandPreload` is `false`.
 */
export class UnknownVoiceError extends VoiceNotReadyError {
  constructor(voiceId: string) {
    super(voiceId, undefined, 'unknown');
  }
}

/** A voice's preload failed; `cause` holds the Hamsa error behind it. */
export class VoicePreloadFailedError extends HamsaError {
  declare readonly voiceId: string;
  declare readonly cause: HamsaError;

  constructor(voiceId: string, cause: HamsaError) {
    super(`Voice ${voiceId} failed to preload: ${cause.message}`, {
      voiceId,
      retryable: cause.retryable,
      cause,
    });
  }
}

function describe(voiceId: string, state: VoiceState | undefined, reason: VoiceNotReadyReason) {
  switch (reason) {
    case 'unknown':
      return `Voice ${voiceId} is unknown: add it to voiceIds or call preload('${voiceId}') first`;
    case 'timeout':
      return `Voice ${voiceId} was not ready in time (state: ${state})`;
    case 'aborted':
      return `Waiting for voice ${voiceId} was aborted (state: ${state})`;
    case 'shutdown':
      return `Voice ${voiceId} will not become ready: the application is shutting down`;
    case 'capacity':
      return (
        `Voice ${voiceId} was not preloaded: on-demand preloading is at its bound (every ` +
        'onDemandPreload.maxVoices slot holds a voice still loading, or ' +
        'onDemandPreload.maxPreloadsPerMinute preloads were started in the last minute); ' +
        'try again shortly'
      );
    case 'not_ready':
      return `Voice ${voiceId} is not ready yet (state: ${state})`;
  }
}
