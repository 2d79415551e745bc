import { HamsaApiError } from '../errors/hamsa-api.error.js';
import { HamsaEmptyAudioError } from '../errors/hamsa-empty-audio.error.js';
import { HamsaMalformedAudioError } from '../errors/hamsa-malformed-audio.error.js';
import { HamsaConnectionError } from '../errors/hamsa-transport.error.js';
import { type WavFormat } from './wav.js';
import { bytesPerMs, readWavStart, type WavStart } from './wav-header.js';

/** The `tts` options that bound one answer (internal). */
export interface AudioLimits {
  /** Least audio an answer must carry, in ms; 0: no check, nothing held back. */
  minAudioMs: number;
  /** Largest answer, in bytes. */
  maxAudioBytes: number;
}

/** One answer's gate settings (internal). */
export interface AudioGateOptions extends AudioLimits {
  speaker: string;
  /** The format of audio without a RIFF header (see `bareStreamFormat`). */
  bareFormat: WavFormat;
  /** REST: the answer must be a WAV file (a 200 with anything else is an error). */
  requireWav?: boolean;
}

/**
 * Watches one TTS answer as its bytes arrive, so that an empty or cut answer never looks like
 * speech: reads the format from a RIFF header (or takes the bare one), holds the start back until
 * `minAudioMs` of audio has arrived, and counts every byte against `maxAudioBytes`.
 *
 * Once the start is out, `take()` only adds a length (the hot path of `stream()`).
 */
export class AudioGate {
  /** The start held back; `undefined` once handed out (or when nothing is held back). */
  private held: Buffer[] | undefined;
  private received = 0;
  private start?: WavStart;
  /** The bytes read while the header is incomplete. */
  private prefix?: Buffer;
  private minBytes = 0;

  constructor(private readonly options: AudioGateOptions) {
    this.held = options.minAudioMs > 0 ? [] : undefined;
  }

  /** Bytes of the answer so far, any header included. */
  get receivedBytes(): number {
    return this.received;
  }

  /**
   * Takes the next chunk; returns what may be handed out now: nothing while the start is held
   * back, the whole start once `minAudioMs` of audio arrived, then each chunk as it is.
   *
   * @throws HamsaMalformedAudioError past `maxAudioBytes` or for an unreadable header;
   * HamsaApiError for a REST answer that is not a WAV file.
   */
  take(chunk: Buffer): Buffer | undefined {
    this.received += chunk.length;
    if (this.received > this.options.maxAudioBytes) throw this.tooLarge();
    if (this.start === undefined) this.readStart(chunk);
    const held = this.held;
    if (held === undefined) return chunk;
    held.push(chunk);
    return this.start !== undefined && this.audioBytes() >= this.minBytes
      ? this.release()
      : undefined;
  }

  /**
   * The answer ended: returns the start still held back, if any.
   *
   * @throws HamsaEmptyAudioError when it carried less than `minAudioMs` of audio (nothing of it
   * was handed out); HamsaConnectionError when it is shorter than its WAV header declared.
   */
  end(): Buffer | undefined {
    const { start, held } = this;
    if (held !== undefined && (start === undefined || this.audioBytes() < this.minBytes)) {
      throw this.empty();
    }
    if (start === undefined && this.options.requireWav) throw this.notWav();
    if (start?.declaredBytes !== undefined && this.received < start.declaredBytes) {
      throw this.truncated(start.declaredBytes);
    }
    return held === undefined ? undefined : this.release();
  }

  private readStart(chunk: Buffer): void {
    const bytes = this.prefix ? Buffer.concat([this.prefix, chunk]) : chunk;
    const start = readWavStart(bytes, this.options.bareFormat);
    this.prefix = start === undefined ? bytes : undefined;
    if (start === undefined) return;
    if (this.options.requireWav && !start.isWav) throw this.notWav();
    this.start = start;
    this.minBytes = Math.ceil(this.options.minAudioMs * bytesPerMs(start.format));
  }

  private audioBytes(): number {
    return Math.max(0, this.received - (this.start?.dataOffset ?? this.received));
  }

  private release(): Buffer | undefined {
    const held = this.held ?? [];
    this.held = undefined;
    return held.length <= 1 ? held[0] : Buffer.concat(held);
  }

  private empty(): HamsaEmptyAudioError {
    const { speaker, minAudioMs } = this.options;
    const perMs = this.start ? bytesPerMs(this.start.format) : 1;
    return new HamsaEmptyAudioError({
      speaker,
      receivedBytes: this.received,
      audioMs: Math.floor(this.audioBytes() / perMs),
      minAudioMs,
    });
  }

  private tooLarge(): HamsaMalformedAudioError {
    const { speaker, maxAudioBytes } = this.options;
    return new HamsaMalformedAudioError(
      `Hamsa's answer for speaker ${speaker} is larger than tts.maxAudioBytes ` +
        `(${maxAudioBytes} bytes); it was not read further`,
      { voiceId: speaker },
    );
  }

  private truncated(declaredBytes: number): HamsaConnectionError {
    const { speaker } = this.options;
    return new HamsaConnectionError(
      `Hamsa's audio for speaker ${speaker} ended after ${this.received} of the ` +
        `${declaredBytes} bytes its WAV header declared: the answer was cut short`,
      { voiceId: speaker },
    );
  }

  private notWav(): HamsaApiError {
    const { speaker } = this.options;
    return new HamsaApiError({
      status: 200,
      voiceId: speaker,
      message: `Hamsa answered 200 for speaker ${speaker}, but not with a WAV file (it does not start with a RIFF/WAVE header)`,
    });
  }
}
