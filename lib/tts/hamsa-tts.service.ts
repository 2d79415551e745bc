import { Readable } from 'node:stream';
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleDestroy,
} from '@nestjs/common';
import {
  HAMSA_VOICE_LOGGER_CONTEXT,
  HAMSA_VOICE_RESOLVED_OPTIONS,
} from '../hamsa-voice.constants.js';
import { type HamsaError } from '../errors/hamsa.error.js';
import { HamsaHttpClient } from '../gateway/hamsa-http.client.js';
import { HamsaTelemetry, type TtsTransport } from '../telemetry/hamsa-telemetry.js';
import { type ResolvedHamsaVoiceOptions } from '../options/resolved-options.js';
import { VoiceReadinessService } from '../readiness/voice-readiness.service.js';
import {
  type HamsaTtsCallOptions,
  type HamsaTtsRequest,
  type HamsaTtsSessionOptions,
  type HamsaTtsSessionRequest,
  type HamsaTtsSpeakOptions,
} from './hamsa-tts.interfaces.js';
import { AudioCalls } from './audio-calls.js';
import { type HamsaTtsSession } from './hamsa-tts.session.js';
import { SpeakerReadiness } from '../readiness/speaker-readiness.js';
import { escapeForLog } from '../voice/escape-for-log.js';
import { TtsSessions } from './tts-sessions.js';
import { validateSpeakOptions, validateTtsRequest } from './validate-tts-request.js';
import { bareStreamFormat } from './wav.js';
import { toWavStream } from './wav-stream.js';
import { VOICE_CHECKED } from './voice-checked.js';
import { type HamsaSpeakTextOptions, type HamsaSpeech } from './speech/hamsa-speech.interfaces.js';
import { Speech } from './speech/speech.js';
import { speechSegmenter } from './speech/split-speech-text.js';
import { validateSpeakText } from './speech/validate-speak-text.js';

/**
 * Hamsa's real-time TTS over REST, a chunked stream, or a WebSocket session, never with a cold
 * voice: each call with a cloned-voice UUID first waits until the voice is preloaded (preloading
 * one the module was not configured with). Exported by `HamsaVoiceModule`.
 *
 * @example
 * constructor(private readonly tts: HamsaTtsService) {}
 *
 * async greet(voiceId: string): Promise<Buffer> {
 *   return this.tts.synthesize({ text: 'مرحبا بك', speaker: voiceId, dialect: 'ksa' });
 * }
 */
@Injectable()
export class HamsaTtsService
  implements
    OnApplicationBootstrap,
    OnModuleDestroy,
    BeforeApplicationShutdown,
    OnApplicationShutdown
{
  private readonly logger = new Logger(HAMSA_VOICE_LOGGER_CONTEXT);
  private readonly sessions: TtsSessions;
  private readonly calls: AudioCalls;
  private graceTimer?: NodeJS.Timeout;
  private sessionsClosed?: Promise<void>;

  /** @internal Nest creates it: inject it, do not construct it. */
  constructor(
    private readonly http: HamsaHttpClient,
    private readonly speakers: SpeakerReadiness,
    private readonly telemetry: HamsaTelemetry,
    private readonly readiness: VoiceReadinessService,
    @Inject(HAMSA_VOICE_RESOLVED_OPTIONS) private readonly options: ResolvedHamsaVoiceOptions,
  ) {
    this.sessions = new TtsSessions(options, {
      voiceReady: (speaker, timeoutMs, signal) => this.voiceReady(speaker, timeoutMs, signal),
      redact: http.redact,
      onRetry: (error, retryNumber, waitMs) =>
        this.logRetry('websocket', 'opening a WebSocket', error, retryNumber, waitMs),
      onSpeakRetry: (error, retryNumber, speaker) =>
        this.logRetry(
          'websocket',
          `speaker ${speaker}, on another WebSocket`,
          error,
          retryNumber,
          0,
        ),
      warn: (line) => this.logger.warn(line),
      telemetry,
    });
    this.calls = new AudioCalls({
      http,
      telemetry,
      options,
      voiceReady: (speaker, timeoutMs, signal) => this.voiceReady(speaker, timeoutMs, signal),
      voiceUsableNow: (speaker) => this.speakers.isUsableNow(speaker),
      onRetry: (...retry) => this.logRetry(...retry),
    });
  }

  /**
   * Speaks `request.text` into one WAV file (`POST /v1/realtime/tts`), checked to start with a
   * RIFF/WAVE header and to be as long as that header says. An answer with less than
   * `tts.minAudioMs` of audio (a header alone) is asked again within `retries`.
   *
   * @throws HamsaTtsRequestError (before any I/O), VoicePreloadFailedError / VoiceNotReadyError
   * (the voice), the typed Hamsa error of the answer, `HamsaEmptyAudioError` (empty answers
   * until `retries` were spent), `HamsaMalformedAudioError` (a header that cannot be read, an
   * answer over `tts.maxAudioBytes`), `HamsaConnectionError` (an answer cut short), or the
   * signal's reason once aborted.
   */
  async synthesize(request: HamsaTtsRequest, options: HamsaTtsCallOptions = {}): Promise<Buffer> {
    validateTtsRequest(request);
    const chunks: Buffer[] = [];
    for await (const chunk of this.calls.run(this.calls.rest(), request, options)) {
      chunks.push(chunk);
    }
    return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
  }

  /**
   * Speaks `request.text` as audio chunks as they arrive (`POST /v1/realtime/tts-stream`), as
   * Hamsa sends them: bare PCM (16 kHz 16-bit mono, or 8 kHz µ-law with `mulaw`), perhaps after
   * a RIFF header. The request is sent when iteration starts; stopping early or aborting
   * releases the connection.
   *
   * The first chunk comes once `tts.minAudioMs` of audio has arrived (or the answer ended): an
   * answer without audio is asked again within `retries`, as nothing of it reached the caller.
   * An answer that breaks off later fails iteration with `HamsaConnectionError`, never a normal
   * end.
   *
   * @throws HamsaTtsRequestError at once for an invalid request; iteration fails as `synthesize`.
   */
  stream(request: HamsaTtsRequest, options: HamsaTtsCallOptions = {}): AsyncIterable<Buffer> {
    validateTtsRequest(request);
    return this.calls.run(this.calls.stream(), request, options);
  }

  /**
   * `stream()` as a Node `Readable` of bytes, e.g. for `pipeline()` into an HTTP response. When
   * the call fails while nobody reads (a client that stopped reading, shutdown), the `Readable`
   * is destroyed with the error at once, so that `pipeline()` ends the response too.
   */
  streamReadable(request: HamsaTtsRequest, options: HamsaTtsCallOptions = {}): Readable {
    validateTtsRequest(request);
    const chunks = this.calls.run(this.calls.stream(), request, options, (error) =>
      readable.destroy(error as Error),
    );
    const readable = Readable.from(chunks, { objectMode: false });
    return readable;
  }

  /**
   * `stream()` as a playable WAV: a 44-byte header of its own (sizes 0xFFFFFFFF, "length
   * unknown", as Hamsa's streamed header has them), the server's own header dropped if it sent
   * one, then whole samples only.
   */
  streamWav(request: HamsaTtsRequest, options: HamsaTtsCallOptions = {}): AsyncIterable<Buffer> {
    validateTtsRequest(request);
    return toWavStream(
      this.calls.run(this.calls.stream(), request, options),
      bareStreamFormat(request.mulaw ?? false),
    );
  }

  /**
   * Speaks `request.text` over a pooled WebSocket session (`/v1/realtime/ws`), yielding the
   * binary audio frames as `HamsaTtsSession.speak()` does — without opening a connection per
   * utterance. The module keeps at most `tts.maxSessions` sessions, each speaking one utterance at
   * a time and serving the next once Hamsa sent `end`; when all are busy, the call waits for one
   * (that wait, a new connection's included, is bounded by `options.timeoutMs`). Idle sessions are
   * pinged, and replaced when half-open or close to Hamsa's 60-minute idle close. A retryable
   * failure (a closed connection, a server error, a silence) before any audio reached the caller
   * is asked again on another session, within the module's `retries`; the failed session is
   * closed. After audio reached the caller, a failure is thrown, never replayed.
   *
   * The request is sent when iteration starts, once a cloned voice is ready. `options.timeoutMs`
   * (default `requestTimeoutMs`) also bounds Hamsa's silences, and `options.signal` aborts, as in
   * `HamsaTtsSession.speak()`.
   *
   * @example
   * for await (const frame of tts.speak({ text: 'مرحبا', speaker: voiceId })) player.write(frame);
   *
   * @throws HamsaTtsRequestError at once for an invalid request (dialect `"modern"` is accepted) or
   * `timeoutMs`. Iteration fails with `HamsaTimeoutError` when no session came free in time, the
   * voice's error (`VoicePreloadFailedError`, `VoiceNotReadyError`), the errors of
   * `HamsaTtsSession.speak()`, `VoiceNotReadyError` (reason `shutdown`) once the application shuts
   * down, or the signal's reason.
   */
  speak(
    request: HamsaTtsSessionRequest,
    options: HamsaTtsSpeakOptions = {},
  ): AsyncIterable<Buffer> {
    validateTtsRequest(request, true);
    validateSpeakOptions(options);
    return this.sessions.speak(request, options);
  }

  /**
   * Speaks text as it is generated — a string, or an LLM's tokens — for a voice agent: cuts it
   * into segments as `splitSpeechText()` does (each requested as soon as its end is known, not
   * when the text ends), synthesizes the segment being yielded and up to `lookahead` (default 2)
   * after it at the same time, and yields their audio in text order, bare PCM (or µ-law) with one
   * WAV header first when `wav: true`. Each segment is a `speak()` call (`transport:
   * 'websocket'`, the default: pooled connections) or a `stream()` call (`'stream'`), retried as
   * those are; the speaker's readiness is awaited once. Synthesis starts when iteration starts.
   *
   * Barge-in: aborting `signal`, or leaving the loop, cancels every request in flight and every
   * queued segment at once (an aborted iteration throws the signal's reason). `report` then
   * says what was spoken: `spokenText` is what an agent may write into its history.
   *
   * @example
   * const speech = tts.speakText(llmTokens, { speaker: voiceId, signal: userInterrupted });
   * for await (const audio of speech) player.write(audio);
   * const { spokenText } = await speech.report;
   *
   * @throws HamsaTtsRequestError at once for invalid options; iteration fails with the first
   * failing segment's error (as `speak()`/`stream()`), the text stream's error, or the signal's
   * reason.
   */
  speakText(text: string | AsyncIterable<string>, options: HamsaSpeakTextOptions): HamsaSpeech {
    const resolved = validateSpeakText(text, options);
    const { speaker, dialect, mulaw, languageId, transport, voiceTimeoutMs } = resolved;
    const parent = this.telemetry.activeContext();
    return new Speech({
      ...resolved,
      text,
      segmenter: speechSegmenter(),
      voiceReady: (signal) => this.voiceReady(speaker, voiceTimeoutMs, signal),
      record: () => this.telemetry.speakText(transport, parent),
      synthesize: (segment, signal) => {
        const request = { text: segment, speaker, dialect, mulaw, languageId };
        const callOptions = { signal, [VOICE_CHECKED]: true } as const;
        return transport === 'websocket'
          ? this.speak(request, callOptions)
          : this.stream(request as HamsaTtsRequest, callOptions);
      },
    });
  }

  /**
   * Opens a WebSocket session (`/v1/realtime/ws`), resolving once Hamsa said hello (`info`),
   * within `requestTimeoutMs` — or at once with an idle session of the `speak()` pool, which
   * `tts.warmSessions` keeps open (a replacement then opens behind it). The session is the caller's either way.
   * Aborting `options.signal` cancels the opening, or closes the session.
   *
   * @throws the typed error of a refused upgrade or close code (e.g. `HamsaAuthenticationError`
   * for 4001), `HamsaConnectionError`, `HamsaTimeoutError`, or the signal's reason.
   */
  openSession(options: HamsaTtsSessionOptions = {}): Promise<HamsaTtsSession> {
    return this.sessions.open(options);
  }

  /**
   * Starts the warm sessions (`tts.warmSessions`) in the background: bootstrap does not wait for
   * them, and their failures are logged and retried. Hamsa wants a cloned voice preloaded before
   * a connection opens, so they open once the configured voices have settled.
   */
  onApplicationBootstrap(): void {
    const { waitForReady, failOnError } = this.options;
    void this.readiness.whenAllReady().then(
      () => this.sessions.warmUp(),
      // A failed voice makes this bootstrap fail (no warm sessions then), or is only logged.
      () => (waitForReady && failOnError ? undefined : this.sessions.warmUp()),
    );
  }

  /**
   * Shutdown began: REST/stream requests still waiting for a connection (`tts.maxSockets`) are
   * refused, and so is every later one (`VoiceNotReadyError` reason `shutdown`); none is sent.
   */
  onModuleDestroy(): void {
    this.http.beginShutdown();
  }

  /**
   * Lets the TTS calls in flight go on for at most `shutdownGraceMs`, then ends them
   * (`VoiceNotReadyError` reason `shutdown`) and closes the WebSocket sessions: Nest's HTTP
   * server waits for its responses before the application shuts down, and a response fed by a
   * call that never ends (a client that stopped reading, a trickling upstream) would hold it.
   */
  beforeApplicationShutdown(): void {
    clearTimeout(this.graceTimer);
    this.graceTimer = setTimeout(
      () => void this.endCalls().catch(() => undefined),
      this.options.shutdownGraceMs,
    );
    // Cleared at onApplicationShutdown; unref'd should a later hook fail and that never come.
    this.graceTimer.unref();
  }

  /**
   * Ends whatever is still running (the HTTP server has closed by now), stops the warm sessions
   * and closes every session still open.
   */
  async onApplicationShutdown(): Promise<void> {
    clearTimeout(this.graceTimer);
    await this.endCalls();
  }

  /** Ends every call in flight and closes the sessions, once. */
  private endCalls(): Promise<void> {
    this.calls.endAll(new Error('the application shut down: shutdownGraceMs is over'));
    return (this.sessionsClosed ??= this.sessions.close());
  }

  /** Resolves once `speaker` may be used (see `SpeakerReadiness`). */
  private voiceReady(
    speaker: string,
    timeoutMs: number | undefined,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    return this.speakers.whenUsable(speaker, timeoutMs ?? this.options.deadlineMs, signal);
  }

  /** Logs a retried TTS attempt, and counts it in `hamsa.tts.retries`. */
  private logRetry(
    transport: TtsTransport,
    what: string,
    error: HamsaError,
    retryNumber: number,
    waitMs: number,
  ): void {
    this.telemetry.ttsRetry(transport, error);
    this.logger.warn(
      `TTS (${escapeForLog(what)}): attempt ${retryNumber} failed ` +
        `(${error.name}: ${escapeForLog(error.message)}); ` +
        `retrying in ${waitMs} ms`,
    );
  }
}
