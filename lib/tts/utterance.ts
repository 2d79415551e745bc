import { type RawData } from 'ws';
import { HamsaTimeoutError } from '../errors/hamsa-transport.error.js';
import { HamsaRealtimeError } from '../errors/hamsa-tts.error.js';
import { HamsaEmptyAudioError } from '../errors/hamsa-empty-audio.error.js';
import { CallScope } from '../gateway/call-scope.js';
import { AudioChannel } from './audio-channel.js';
import { AudioGate, type AudioLimits } from './audio-gate.js';
import { parseMessage } from '../gateway/ws-connect.js';
import { bareStreamFormat } from './wav.js';

/** What one utterance is about, and whom it tells when it gives up (internal). */
export interface UtteranceOptions {
  speaker: string;
  /** Whether the request asked for 8 kHz µ-law (the format of frames without a RIFF header). */
  mulaw: boolean;
  /** `tts.minAudioMs` and `tts.maxAudioBytes`. */
  audio: AudioLimits;
  /** Longest silence allowed from Hamsa, in ms. */
  timeoutMs: number;
  /** The option `timeoutMs` came from, as the timeout's message names it. */
  timeoutOption: string;
  /** The caller's signal: aborting it gives the utterance up. */
  signal?: AbortSignal;
  redact(text: string): string;
  /** Called once when the utterance was given up (`why`: timed out, aborted) before its `end`. */
  onGiveUp(why: string): void;
}

/**
 * One `speak()` request from the moment it is sent: routes the socket's messages (`ack`, audio
 * frames, `end`, `error`) to its reader, and gives up when Hamsa says nothing for `timeoutMs`
 * while the socket is being read, or when the caller's signal aborts. Its first frames are held
 * back until `minAudioMs` of audio arrived; an `end` before that gives it up with
 * `HamsaEmptyAudioError`.
 */
export class Utterance {
  private readonly channel: AudioChannel;
  private readonly gate: AudioGate;
  /** Aborts with a `HamsaTimeoutError` once Hamsa has said nothing for `timeoutMs`. */
  private readonly silence = new CallScope();
  private readonly unlink: () => void;
  /** Whether the socket is paused for a slow reader: that time is not Hamsa's silence. */
  private paused = false;
  private answered = false;

  constructor(
    socket: { pause(): void; resume(): void },
    private readonly options: UtteranceOptions,
  ) {
    this.channel = new AudioChannel({
      pause: () => {
        socket.pause();
        this.paused = true;
        this.silence.disarm();
      },
      resume: () => {
        socket.resume();
        if (!this.paused) return;
        this.paused = false;
        this.listen();
      },
    });
    const silent = () => this.giveUp(this.silence.signal.reason, 'timed out');
    this.silence.signal.addEventListener('abort', silent, { once: true });
    const { signal } = options;
    const onAbort = () => this.giveUp(signal?.reason, 'was aborted');
    signal?.addEventListener('abort', onAbort, { once: true });
    this.unlink = () => signal?.removeEventListener('abort', onAbort);
    void this.channel.settled.then(() => {
      this.silence.dispose();
      this.unlink();
    });
    this.gate = new AudioGate({
      ...options.audio,
      speaker: options.speaker,
      bareFormat: bareStreamFormat(options.mulaw),
    });
    this.listen();
  }

  /** Resolves when the request ended or failed, whether or not its frames were read. */
  get settled(): Promise<void> {
    return this.channel.settled;
  }

  /** A message from the socket, while this utterance is the session's current one. */
  receive(data: RawData, isBinary: boolean): void {
    this.answered = true;
    this.listen();
    if (isBinary) {
      this.takeAudio(Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer));
      return;
    }
    const message = parseMessage(data);
    if (message?.type === 'end') this.end();
    if (message?.type === 'error') {
      const said = message.payload?.message;
      const text = typeof said === 'string' ? said : JSON.stringify(message.payload ?? {});
      const { speaker, redact } = this.options;
      this.channel.fail(
        new HamsaRealtimeError(
          redact(`Hamsa's WebSocket answered an error (speaker ${speaker}): ${text}`),
          { voiceId: speaker },
        ),
      );
    }
  }

  /** The audio frames between `ack` and `end`. */
  read(): AsyncGenerator<Buffer> {
    return this.channel.read();
  }

  fail(error: unknown): void {
    this.channel.fail(error);
  }

  /**
   * The reader is done: the caller's signal no longer concerns this request, and frames still
   * to come are dropped until `end` (Hamsa's silence is still watched meanwhile).
   */
  leave(): void {
    this.unlink();
    if (!this.channel.isSettled) this.channel.discard();
  }

  /** An audio frame, through the gate (held back, or too large: given up). */
  private takeAudio(frame: Buffer): void {
    try {
      const audio = this.gate.take(frame);
      if (audio !== undefined) this.channel.push(audio);
    } catch (error) {
      this.giveUp(error, 'sent audio that cannot be used');
    }
  }

  /** Hamsa's `end`: the held-back start goes out, unless the answer had (almost) no audio. */
  private end(): void {
    try {
      const start = this.gate.end();
      if (start !== undefined) this.channel.push(start);
      this.channel.end();
    } catch (error) {
      const why =
        error instanceof HamsaEmptyAudioError ? 'answered without audio' : 'was cut short';
      this.giveUp(error, why);
    }
  }

  /** (Re)starts counting Hamsa's silence, unless the socket is paused or the request settled. */
  private listen(): void {
    if (this.paused || this.channel.isSettled) return;
    this.silence.arm(this.options.timeoutMs, () => this.timeoutError());
  }

  private giveUp(error: unknown, why: string): void {
    if (this.channel.isSettled) return;
    this.channel.fail(error);
    this.options.onGiveUp(why);
  }

  private timeoutError(): HamsaTimeoutError {
    const { speaker, timeoutMs, timeoutOption } = this.options;
    const what = this.answered ? 'the next audio frame or end' : 'an answer to the request';
    return new HamsaTimeoutError(
      `Hamsa sent nothing for ${timeoutMs} ms (${timeoutOption}) while waiting for ${what} ` +
        `(speaker ${speaker})`,
      { voiceId: speaker, timeoutMs },
    );
  }
}
