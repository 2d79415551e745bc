import { type Readable } from 'node:stream';
import { HamsaError } from '../errors/hamsa.error.js';
import { HamsaConnectionError, HamsaTimeoutError } from '../errors/hamsa-transport.error.js';
import { type CallScope } from '../gateway/call-scope.js';
import { type AudioGate } from './audio-gate.js';

/** How an `AudioReader` reads one body (internal). */
export interface AudioReading {
  speaker: string;
  /** Longest silence from Hamsa, in ms (`requestTimeoutMs`). */
  timeoutMs: number;
  /** Longest a reader may hold a chunk, in ms (`tts.readerIdleTimeoutMs`). */
  readerIdleTimeoutMs: number;
  redact(text: string): string;
}

interface Waiter {
  resolve(audio: Buffer | undefined): void;
  reject(error: unknown): void;
}

/**
 * The audio of an open answer body, chunk by chunk through `gate`, read from the socket only
 * when asked for (back-pressured), straight from the `Readable`'s buffer: this is the hot path
 * of every `stream()` call, so there is no async-iterator layer over the body.
 *
 * A body cut off by Hamsa fails with `HamsaConnectionError`, never a normal end, and so does one
 * shorter than its WAV header declared; a reader that holds a chunk for `readerIdleTimeoutMs`
 * fails the call with `HamsaTimeoutError`. A failure, an abort of the scope, the end, or
 * `close()` destroys the body, which releases its socket.
 */
export class AudioReader {
  private waiter?: Waiter;
  private isEnded = false;
  private isDone = false;
  private failure?: unknown;
  private asked = 'the first audio chunk';
  private readonly unlinkAbort: () => void;

  constructor(
    private readonly body: Readable,
    private readonly scope: CallScope,
    private readonly gate: AudioGate,
    private readonly reading: AudioReading,
  ) {
    body.on('readable', this.pump);
    body.on('end', this.onEnd);
    body.on('error', this.onError);
    body.on('close', this.onClose);
    // Once the answer started, aborting is ours to do.
    this.unlinkAbort = scope.onAbort(() => body.destroy());
  }

  /** The next audio to hand out; `undefined` once the answer ended. Rejects with its failure. */
  next(): Promise<Buffer | undefined> {
    if (this.isDone) return Promise.resolve(undefined);
    return new Promise<Buffer | undefined>((resolve, reject) => {
      this.waiter = { resolve, reject };
      this.armSilence();
      this.pump();
    });
  }

  /** Stops reading: destroys the body (releasing its socket) and lets go of the scope. */
  close(): void {
    this.isDone = true;
    this.scope.disarm();
    this.unlinkAbort();
    this.body.removeListener('readable', this.pump);
    this.body.destroy();
  }

  /** Reads what arrived for the waiting `next()`, if any. */
  private readonly pump = (): void => {
    const waiter = this.waiter;
    if (waiter === undefined) return;
    try {
      if (this.failure !== undefined || this.scope.aborted) throw this.failure;
      let chunk = this.body.read() as Buffer | null;
      if (chunk === null) return this.isEnded ? this.finish(waiter) : undefined;
      for (; chunk !== null; chunk = this.body.read() as Buffer | null) {
        const audio = this.gate.take(chunk);
        if (audio !== undefined) return this.handOut(waiter, audio);
      }
      // Audio came and is held back (the start, until minAudioMs): Hamsa is not silent.
      this.armSilence();
    } catch (error) {
      this.waiter = undefined;
      this.close();
      waiter.reject(this.failureOf(error));
    }
  };

  private handOut(waiter: Waiter, audio: Buffer): void {
    this.waiter = undefined;
    // While the caller holds a chunk the socket is paused: not Hamsa's silence, the reader's.
    const { speaker, readerIdleTimeoutMs } = this.reading;
    this.scope.arm(readerIdleTimeoutMs, () => readerIdle(speaker, readerIdleTimeoutMs));
    this.asked = 'the next audio chunk';
    waiter.resolve(audio);
  }

  /** The body ended: the start still held back, if any, then the end. */
  private finish(waiter: Waiter): void {
    const start = this.gate.end();
    if (start !== undefined) return this.handOut(waiter, start);
    this.waiter = undefined;
    this.close();
    waiter.resolve(undefined);
  }

  private armSilence(): void {
    const { speaker, timeoutMs } = this.reading;
    const what = this.asked;
    this.scope.arm(timeoutMs, () => silence(what, speaker, timeoutMs));
  }

  private readonly onEnd = (): void => {
    this.isEnded = true;
    this.pump();
  };

  private readonly onError = (error: Error): void => {
    this.failure ??= error;
    this.pump();
  };

  private readonly onClose = (): void => {
    if (!this.isEnded) this.failure ??= new Error('the connection closed before the answer ended');
    this.pump();
  };

  private failureOf(error: unknown): unknown {
    if (this.scope.aborted) return this.scope.reason;
    if (error instanceof HamsaError) return error;
    const { speaker, redact } = this.reading;
    const reason = error instanceof Error ? error.message : String(error);
    return new HamsaConnectionError(
      redact(
        `Hamsa's audio for speaker ${speaker} broke off after ${this.gate.receivedBytes} bytes: ${reason}`,
      ),
      { voiceId: speaker, code: (error as { code?: string }).code },
    );
  }
}

/** Hamsa sent nothing for `timeoutMs` while the call waited for `what`. */
export function silence(what: string, speaker: string, timeoutMs: number): HamsaTimeoutError {
  return new HamsaTimeoutError(
    `Hamsa sent nothing for ${timeoutMs} ms (requestTimeoutMs) while waiting for ${what} (speaker ${speaker})`,
    { voiceId: speaker, timeoutMs },
  );
}

/** The reader held a chunk for `timeoutMs` without asking for the next. */
function readerIdle(speaker: string, timeoutMs: number): HamsaTimeoutError {
  return new HamsaTimeoutError(
    `The reader of the TTS audio for speaker ${speaker} took no chunk for ${timeoutMs} ms ` +
      '(tts.readerIdleTimeoutMs): the call was ended to free its connection',
    { voiceId: speaker, timeoutMs },
  );
}
