import { type WebSocket } from 'ws';
import { type HamsaError } from '../errors/hamsa.error.js';
import { HamsaConnectionError, HamsaTimeoutError } from '../errors/hamsa-transport.error.js';
import { CallScope, sharedAbortController } from '../gateway/call-scope.js';
import { type HamsaTelemetry, type TelemetryContext } from '../telemetry/hamsa-telemetry.js';
import { abortable } from './abortable.js';
import { type AudioLimits } from './audio-gate.js';
import { isVoiceChecked } from './voice-checked.js';
import {
  type HamsaTtsSessionOptions,
  type HamsaTtsSessionRequest,
  type HamsaTtsSpeakOptions,
} from './hamsa-tts.interfaces.js';
import { Utterance } from './utterance.js';
import { ttsBody, validateSpeakOptions, validateTtsRequest } from './validate-tts-request.js';
import { errorFromCloseCode } from '../gateway/ws-close.error.js';

/** @internal What a session needs from the module that opened it. */
export interface HamsaTtsSessionContext {
  /**
   * Waits until `speaker` may be used (readiness first), for at most `timeoutMs` (default: the
   * module's `deadlineMs`); rejects if it cannot.
   */
  voiceReady(speaker: string, timeoutMs: number | undefined, signal: AbortSignal): Promise<void>;
  redact(text: string): string;
  /** Default `timeoutMs` of `speak()`: the module's `requestTimeoutMs`. */
  requestTimeoutMs: number;
  /** Time allowed for a clean close handshake before the socket is cut, in ms. */
  closeTimeoutMs: number;
  /** Longest an utterance may last from being sent to its `end`, in ms: the module's `deadlineMs`. */
  utteranceLimitMs: number;
  /** `tts.minAudioMs` and `tts.maxAudioBytes`, for each utterance's answer. */
  audio: AudioLimits;
  /** Records each utterance (span `hamsa.tts.speak`, `hamsa.tts.*` metrics). */
  telemetry: Pick<HamsaTelemetry, 'activeContext' | 'tts'>;
}

/**
 * One open connection to Hamsa's real-time WebSocket, from `HamsaTtsService.openSession()`.
 * Serves many `speak()` requests, one at a time; `close()` it when done (the module closes
 * sessions still open at shutdown).
 *
 * @example
 * const session = await tts.openSession();
 * try {
 *   for await (const frame of session.speak({ text: 'مرحبا', speaker: voiceId })) player.write(frame);
 * } finally {
 *   await session.close();
 * }
 */
export class HamsaTtsSession {
  // #private: util.inspect never shows it, and the socket's handshake request holds the key.
  readonly #socket: WebSocket;
  private queue: Promise<void> = Promise.resolve();
  private current?: Utterance;
  private closeError?: HamsaError;
  /** Aborts, with `closeError`, the waits of requests not sent yet. */
  private readonly closing = sharedAbortController();
  private voiceTimeoutMs?: number;
  private readonly closedPromise: Promise<void>;
  /** @internal When the connection was opened (`performance.now()`), for the pool's age limit. */
  readonly openedAt = performance.now();

  /** @internal Created by `HamsaTtsService.openSession()` or its warm pool. */
  constructor(
    socket: WebSocket,
    private readonly context: HamsaTtsSessionContext,
  ) {
    this.#socket = socket;
    this.closedPromise = new Promise((resolve) => {
      socket.on('close', (code: number, reason: Buffer) => {
        this.markClosed(errorFromCloseCode(code, reason.toString('utf8'), context.redact));
        resolve();
      });
    });
    socket.on('message', (data, isBinary) => this.current?.receive(data, isBinary));
  }

  /** Whether the connection is open and `speak()` can be used. */
  get isOpen(): boolean {
    return this.closeError === undefined && this.#socket.readyState === this.#socket.OPEN;
  }

  /** Resolves when the connection has closed, for whatever reason. */
  get closed(): Promise<void> {
    return this.closedPromise;
  }

  /** @internal Resolves once no request of this session is in progress or queued. */
  get whenIdle(): Promise<void> {
    return this.queue;
  }

  /**
   * @internal Pings Hamsa: resolves `true` once its pong came, `false` when none came within
   * `timeoutMs` (a half-open connection: the peer stopped reading) or the session closed.
   */
  checkAlive(timeoutMs: number): Promise<boolean> {
    if (!this.isOpen) return Promise.resolve(false);
    return new Promise((resolve) => {
      const settle = (alive: boolean) => {
        clearTimeout(timer);
        this.#socket.off('pong', onPong);
        resolve(alive);
      };
      const onPong = () => settle(true);
      const timer = setTimeout(() => settle(false), timeoutMs);
      this.#socket.once('pong', onPong);
      void this.closedPromise.then(() => settle(false));
      this.#socket.ping();
    });
  }

  /**
   * @internal Makes the session its caller's, as `openSession(options)` hands it out:
   * `voiceTimeoutMs` bounds each `speak()`'s wait for its voice, and aborting `signal` closes it.
   */
  handTo({ signal, voiceTimeoutMs }: HamsaTtsSessionOptions): void {
    this.voiceTimeoutMs = voiceTimeoutMs;
    if (!signal) return;
    const close = () => void this.close();
    if (signal.aborted) return close();
    signal.addEventListener('abort', close, { once: true });
    void this.closedPromise.then(() => signal.removeEventListener('abort', close));
  }

  /**
   * Speaks one text: yields the binary audio frames Hamsa sends between `ack` and `end`.
   * The request is sent when iteration starts, after the previous request of this session has
   * ended and once a cloned voice is ready. Stopping early skips the rest of this request's
   * frames; the session stays usable.
   *
   * Once sent, a silence from Hamsa longer than `options.timeoutMs` fails iteration with
   * `HamsaTimeoutError`, and aborting `options.signal` fails it with the signal's reason; either
   * way the session is closed (Hamsa cannot cancel a request, and its late frames would reach the
   * next one), and every later or queued `speak()` fails with a `HamsaConnectionError` saying
   * why. Aborted before it was sent, only this request fails and the session stays open.
   *
   * The first frame comes once `tts.minAudioMs` of audio has arrived (or at `end`). An answer
   * with less audio than that fails iteration with `HamsaEmptyAudioError` (retryable) and closes
   * the session: Hamsa answers such a session empty again, and this session is the caller's, so
   * the module cannot ask again on another one — open a new session and speak again. A session
   * that closes before `end` after frames were handed out fails iteration with
   * `HamsaConnectionError` (or the typed error of the close code), never a normal end.
   *
   * @throws HamsaTtsRequestError at once for an invalid request (dialect `"modern"` is accepted)
   * or `timeoutMs`. Iteration fails with `HamsaRealtimeError` for an `error` message, or with the
   * typed error of a close code (`HamsaAuthenticationError` 4001, `HamsaQuotaExceededError` 4003,
   * `HamsaServerError` 4500, `HamsaConnectionError` otherwise).
   */
  speak(
    request: HamsaTtsSessionRequest,
    options: HamsaTtsSpeakOptions = {},
  ): AsyncIterable<Buffer> {
    validateTtsRequest(request, true);
    validateSpeakOptions(options);
    return this.run(request, options, this.context.telemetry.activeContext());
  }

  /**
   * Closes the connection cleanly (code 1000); a request in progress fails with
   * `HamsaConnectionError`. Resolves once closed; calling it again is harmless.
   */
  close(): Promise<void> {
    this.shutdown(new HamsaConnectionError('The Hamsa TTS session was closed'));
    return this.closedPromise;
  }

  private async *run(
    request: HamsaTtsSessionRequest,
    options: HamsaTtsSpeakOptions,
    parent: TelemetryContext,
  ): AsyncGenerator<Buffer> {
    const previous = this.queue;
    let release!: () => void;
    this.queue = new Promise((resolve) => (release = resolve));
    const recording = this.context.telemetry.tts('websocket', parent);
    let utterance: Utterance | undefined;
    let failure: unknown;
    try {
      await this.waitForTurn(previous, request.speaker, options.signal, isVoiceChecked(options));
      utterance = this.send(request, options);
      for await (const frame of utterance.read()) {
        recording.firstAudio();
        yield frame;
      }
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      recording.ended(failure);
      if (!utterance) {
        // Never sent: the next request still waits for the one before this.
        void previous.then(release);
      } else {
        utterance.leave();
        const sent = utterance;
        void sent.settled.then(() => {
          if (this.current === sent) this.current = undefined;
          release();
        });
      }
    }
  }

  /**
   * Waits for the previous request to end, then for the voice (unless `voiceChecked`); no timer of Hamsa's silence runs
   * yet. Rejects with the signal's reason, or the session's close error, as soon as either comes.
   */
  private async waitForTurn(
    previous: Promise<void>,
    speaker: string,
    signal: AbortSignal | undefined,
    voiceChecked: boolean,
  ): Promise<void> {
    const waits = new CallScope(signal, this.closing.signal);
    try {
      await abortable(previous, waits.signal);
      if (!voiceChecked) await this.context.voiceReady(speaker, this.voiceTimeoutMs, waits.signal);
    } catch (error) {
      throw waits.failure(error);
    } finally {
      waits.dispose();
    }
  }

  private send(request: HamsaTtsSessionRequest, options: HamsaTtsSpeakOptions): Utterance {
    options.signal?.throwIfAborted();
    if (this.closeError) throw this.closeError;
    const { speaker } = request;
    const utterance = new Utterance(this.#socket, {
      speaker,
      mulaw: request.mulaw ?? false,
      audio: this.context.audio,
      timeoutMs: options.timeoutMs ?? this.context.requestTimeoutMs,
      timeoutOption:
        options.timeoutMs === undefined ? 'timeoutMs, by default requestTimeoutMs' : 'timeoutMs',
      signal: options.signal,
      redact: this.context.redact,
      onGiveUp: (why) => this.closeAfter(why, speaker),
    });
    this.current = utterance;
    this.limit(utterance, speaker);
    this.#socket.send(JSON.stringify({ type: 'tts', payload: ttsBody(request) }));
    return utterance;
  }

  /**
   * Fails `utterance` with `HamsaTimeoutError` and closes the session if it has not ended within
   * `utteranceLimitMs`: frames that keep coming without `end` must not run forever.
   */
  private limit(utterance: Utterance, speaker: string): void {
    const limitMs = this.context.utteranceLimitMs;
    const overrun = setTimeout(() => {
      const why = `did not end within ${limitMs} ms (deadlineMs)`;
      utterance.fail(
        new HamsaTimeoutError(`Hamsa's WebSocket answer ${why} (speaker ${speaker})`, {
          voiceId: speaker,
          timeoutMs: limitMs,
        }),
      );
      this.closeAfter(why, speaker);
    }, limitMs);
    void utterance.settled.then(() => clearTimeout(overrun));
  }

  /** Closes the session because an utterance gave up (`why`) before its `end`. */
  private closeAfter(why: string, speaker: string): void {
    this.shutdown(
      new HamsaConnectionError(
        `The Hamsa TTS session was closed after an utterance ${why} (speaker ${speaker}); ` +
          'open a new session',
      ),
    );
  }

  /** Closes the connection for `error`'s reason, unless it is already closed. */
  private shutdown(error: HamsaError): void {
    if (this.closeError) return;
    this.markClosed(error);
    this.#socket.close(1000);
    // A peer that never answers the close handshake must not hold shutdown up.
    const cut = setTimeout(() => this.#socket.terminate(), this.context.closeTimeoutMs);
    void this.closedPromise.then(() => clearTimeout(cut));
  }

  /** From now on `speak()` fails with `error`, and so do the request in progress and those queued. */
  private markClosed(error: HamsaError): void {
    if (this.closeError) return;
    this.closeError = error;
    this.current?.fail(error);
    this.closing.abort(error);
  }
}
