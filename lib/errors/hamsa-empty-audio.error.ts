import { HamsaError } from './hamsa.error.js';

/** What `HamsaEmptyAudioError` says about the answer that had no audio. */
export interface HamsaEmptyAudioDetails {
  /** The speaker (built-in name or cloned-voice UUID) of the request. */
  speaker: string;
  /** Bytes of the answer, a WAV header included. */
  receivedBytes: number;
  /** Audio it carried, in ms (after any header). */
  audioMs: number;
  /** The `tts.minAudioMs` it fell short of. */
  minAudioMs: number;
}

/**
 * Hamsa answered a TTS request with (almost) no audio: less than `tts.minAudioMs` of it, e.g. a
 * WAV header alone. Retryable: asking again usually brings the speech. REST and stream calls are
 * asked again within `retries` before this is thrown; a WebSocket session that gave such an answer
 * is closed, and the utterance must be asked again on another session.
 */
export class HamsaEmptyAudioError extends HamsaError {
  declare readonly voiceId: string;
  readonly speaker: string;
  readonly receivedBytes: number;
  readonly audioMs: number;

  constructor(details: HamsaEmptyAudioDetails) {
    const { speaker, receivedBytes, audioMs, minAudioMs } = details;
    super(
      `Hamsa answered speaker ${speaker} without audio: ${receivedBytes} bytes holding ` +
        `${audioMs} ms of audio, under tts.minAudioMs (${minAudioMs} ms)`,
      { voiceId: speaker, retryable: true },
    );
    this.speaker = speaker;
    this.receivedBytes = receivedBytes;
    this.audioMs = audioMs;
  }
}
