import { Readable } from 'node:stream';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import {
  HAMSA_VOICE_LOGGER_CONTEXT,
  HAMSA_VOICE_RESOLVED_OPTIONS,
} from '../hamsa-voice.constants.js';
import { VoiceNotReadyError } from '../errors/voice-readiness.error.js';
import { type HamsaError } from '../errors/hamsa.error.js';
import { CallScope } from '../gateway/call-scope.js';
import { HAMSA_ENDPOINTS } from '../gateway/hamsa-endpoints.js';
import { HamsaHttpClient } from '../gateway/hamsa-http.client.js';
import { withRetries } from '../gateway/retry.js';
import { HamsaTelemetry, type TelemetryContext } from '../telemetry/hamsa-telemetry.js';
import { type ResolvedHamsaVoiceOptions } from '../options/hamsa-voice-options.interface.js';
import { VoiceReadinessService } from '../readiness/voice-readiness.service.js';
import {
  type HamsaTtsCallOptions,
  type HamsaTtsRequest,
  type HamsaTtsSessionOptions,
} from './hamsa-tts.interfaces.js';
import { type HamsaTtsSession } from './hamsa-tts.session.js';
import { SpeakerReadiness } from './speaker-readiness.js';
import { startAudio } from './tts-audio.request.js';
import { ttsAnswerRetryPolicy } from './tts-retry.js';
import { TtsSessions } from './tts-sessions.js';
import { validateTtsRequest } from './validate-tts-request.js';
import { bareStreamFormat } from './wav.js';
import { toWavStream } from './wav-stream.js';

/** Which endpoint a REST or stream call uses, and how it is recorded. */
interface AudioCall {
  path: string;
  transport: 'rest' | 'stream';
  /** The trace context active when the call was made. */
  parent: TelemetryContext;
}

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
export class HamsaTtsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(HAMSA_VOICE_LOGGER_CONTEXT);
  private readonly sessions: TtsSessions;

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
        this.logRetry('opening a WebSocket', error, retryNumber, waitMs),
      warn: (line) => this.logger.warn(line),
      telemetry,
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
    const call = {
      path: HAMSA_ENDPOINTS.tts,
      transport: 'rest' as const,
      parent: this.telemetry.activeContext(),
    };
    for await (const chunk of this.audio(call, request, options)) chunks.push(chunk);
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
    return this.audio(this.streamCall(), request, options);
  }

  /** `stream()` as a Node `Readable` of bytes, e.g. to `pipe()` into an HTTP response. */
  streamReadable(request: HamsaTtsRequest, options: HamsaTtsCallOptions = {}): Readable {
    return Readable.from(this.stream(request, options), { objectMode: false });
  }

  /**
   * `stream()` as a playable WAV: a 44-byte header of its own (sizes 0xFFFFFFFF, "length
   * unknown", as Hamsa's streamed header has them), the server's own header dropped if it sent
   * one, then whole samples only.
   */
  streamWav(request: HamsaTtsRequest, options: HamsaTtsCallOptions = {}): AsyncIterable<Buffer> {
    validateTtsRequest(request);
    return toWavStream(
      this.audio(this.streamCall(), request, options),
      bareStreamFormat(request.mulaw ?? false),
    );
  }

  /**
   * Opens a WebSocket session (`/v1/realtime/ws`), resolving once Hamsa said hello (`info`),
   * within `requestTimeoutMs` — or at once with a warm session when `tts.warmSessions` keeps
   * some open (a replacement then opens behind it). The session is the caller's either way.
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
   * Stops the warm sessions and closes every session still open, once the HTTP server has
   * drained (a request still speaking during the drain keeps its session).
   */
  async onApplicationShutdown(): Promise<void> {
    await this.sessions.close();
  }

  /**
   * Readiness first, then the request until its first audio arrived (retried only if it never
   * started or was empty: nothing reached the caller yet), then the rest of the body.
   */
  private async *audio(
    call: AudioCall,
    request: HamsaTtsRequest,
    options: HamsaTtsCallOptions,
  ): AsyncGenerator<Buffer> {
    const { speaker } = request;
    const { requestTimeoutMs: timeoutMs, tts } = this.options;
    const recording = this.telemetry.tts(call.transport, call.parent);
    const scope = new CallScope(options.signal);
    const { minAudioMs, maxAudioBytes } = tts;
    const answer = { minAudioMs, maxAudioBytes, timeoutMs, requireWav: call.transport === 'rest' };
    let failure: unknown;
    let rest: AsyncGenerator<Buffer> | undefined;
    try {
      await this.voiceReady(speaker, options.voiceTimeoutMs, scope.signal);
      const started = await withRetries(
        () => startAudio(this.http, call.path, request, scope, answer),
        ttsAnswerRetryPolicy(this.options, (error, retryNumber, waitMs) =>
          this.logRetry(`speaker ${speaker}`, error, retryNumber, waitMs),
        ),
        scope.signal,
      );
      rest = started.rest;
      for (let next = started.first; !next.done; next = await rest.next()) {
        recording.firstAudio();
        yield next.value;
      }
    } catch (error) {
      // Its socket was closed under it: the application shut down, Hamsa did not fail.
      failure = this.http.isShutDown
        ? new VoiceNotReadyError(speaker, undefined, 'shutdown')
        : scope.failure(error);
      throw failure;
    } finally {
      // Left early: releases the socket.
      await rest?.return(undefined);
      recording.ended(failure);
      scope.dispose();
    }
  }

  /** A streamed call, parented by the trace context active now (it starts when iterated). */
  private streamCall(): AudioCall {
    return {
      path: HAMSA_ENDPOINTS.ttsStream,
      transport: 'stream',
      parent: this.telemetry.activeContext(),
    };
  }

  /** Resolves once `speaker` may be used (see `SpeakerReadiness`). */
  private voiceReady(
    speaker: string,
    timeoutMs: number | undefined,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    return this.speakers.whenUsable(speaker, timeoutMs ?? this.options.deadlineMs, signal);
  }

  private logRetry(what: string, error: HamsaError, retryNumber: number, waitMs: number): void {
    this.logger.warn(
      `TTS (${what}): attempt ${retryNumber} failed (${error.name}: ${error.message}); ` +
        `retrying in ${waitMs} ms`,
    );
  }
}
