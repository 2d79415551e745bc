import { type RawData, type WebSocket } from 'ws';
import { type HamsaError } from '../errors/hamsa.error.js';
import { HamsaConnectionError } from '../errors/hamsa-transport.error.js';
import { AudioChannel } from './audio-channel.js';
import { HamsaRealtimeError } from '../errors/hamsa-tts.error.js';
import { type HamsaTtsSessionRequest } from './hamsa-tts.interfaces.js';
import { validateTtsRequest, ttsBody } from './validate-tts-request.js';
import { errorFromCloseCode } from './ws-close.error.js';
import { parseMessage } from './ws-connect.js';

/** What a session needs from the service that opened it (internal). */
export interface HamsaTtsSessionContext {
  /** Waits until `speaker` may be used (readiness first); rejects if it cannot. */
  voiceReady(speaker: string): Promise<void>;
  redact(text: string): string;
  /** Time allowed for a clean close handshake before the socket is cut, in ms. */
  closeTimeoutMs: number;
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
  private current?: AudioChannel;
  private currentSpeaker?: string;
  private closeError?: HamsaError;
  private readonly closedPromise: Promise<void>;

  /** @internal Created by `HamsaTtsService.openSession()`. */
  constructor(
    socket: WebSocket,
    private readonly context: HamsaTtsSessionContext,
  ) {
    this.#socket = socket;
    this.closedPromise = new Promise((resolve) => {
      socket.on('close', (code: number, reason: Buffer) => {
        this.closeError ??= errorFromCloseCode(code, reason.toString('utf8'), context.redact);
        this.current?.fail(this.closeError);
        resolve();
      });
    });
    socket.on('message', (data: RawData, isBinary: boolean) => this.receive(data, isBinary));
  }

  /** Whether the connection is open and `speak()` can be used. */
  get isOpen(): boolean {
    return this.closeError === undefined;
  }

  /** Resolves when the connection has closed, for whatever reason. */
  get closed(): Promise<void> {
    return this.closedPromise;
  }

  /**
   * Speaks one text: yields the binary audio frames Hamsa sends between `ack` and `end`.
   * The request is sent when iteration starts, after the previous request of this session has
   * ended and once a cloned voice is ready. Stopping early skips the rest of this request's
   * frames; the session stays usable.
   *
   * @throws HamsaTtsRequestError at once for an invalid request (dialect `"modern"` is accepted).
   * Iteration fails with `HamsaRealtimeError` for an `error` message, or with the typed error of
   * a close code (`HamsaAuthenticationError` 4001, `HamsaQuotaExceededError` 4003,
   * `HamsaServerError` 4500, `HamsaConnectionError` otherwise).
   */
  speak(request: HamsaTtsSessionRequest): AsyncIterable<Buffer> {
    validateTtsRequest(request, true);
    return this.run(request);
  }

  /**
   * Closes the connection cleanly (code 1000); a request in progress fails with
   * `HamsaConnectionError`. Resolves once closed; calling it again is harmless.
   */
  close(): Promise<void> {
    if (this.closeError === undefined) {
      this.closeError = new HamsaConnectionError('The Hamsa TTS session was closed');
      this.current?.fail(this.closeError);
      this.#socket.close(1000);
      // A peer that never answers the close handshake must not hold shutdown up.
      const cut = setTimeout(() => this.#socket.terminate(), this.context.closeTimeoutMs);
      void this.closedPromise.then(() => clearTimeout(cut));
    }
    return this.closedPromise;
  }

  private async *run(request: HamsaTtsSessionRequest): AsyncGenerator<Buffer> {
    const previous = this.queue;
    let release!: () => void;
    this.queue = new Promise((resolve) => (release = resolve));
    await previous;

    const channel = new AudioChannel(this.#socket);
    try {
      this.throwIfClosed();
      await this.context.voiceReady(request.speaker);
      this.throwIfClosed();
      this.current = channel;
      this.currentSpeaker = request.speaker;
      this.#socket.send(JSON.stringify({ type: 'tts', payload: ttsBody(request) }));
      yield* channel.read();
    } finally {
      // Stopped early: skip this request's remaining frames before the next request starts.
      if (this.current === channel && !channel.isSettled) channel.discard();
      void channel.settled.then(() => {
        if (this.current === channel) this.current = undefined;
        release();
      });
      if (this.current !== channel) release();
    }
  }

  private receive(data: RawData, isBinary: boolean): void {
    const channel = this.current;
    if (!channel) return;
    if (isBinary) {
      channel.push(Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer));
      return;
    }
    const message = parseMessage(data);
    if (message?.type === 'end') channel.end();
    if (message?.type === 'error') {
      const said = message.payload?.message;
      const text = typeof said === 'string' ? said : JSON.stringify(message.payload ?? {});
      const speaker = this.currentSpeaker;
      channel.fail(
        new HamsaRealtimeError(
          this.context.redact(`Hamsa's WebSocket answered an error (speaker ${speaker}): ${text}`),
          { voiceId: speaker },
        ),
      );
    }
  }

  private throwIfClosed(): void {
    if (this.closeError) throw this.closeError;
  }
}
