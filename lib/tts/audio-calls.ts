import { VoiceNotReadyError } from '../errors/voice-readiness.error.js';
import { type HamsaError } from '../errors/hamsa.error.js';
import { CallScope } from '../gateway/call-scope.js';
import { HAMSA_ENDPOINTS } from '../gateway/hamsa-endpoints.js';
import { type HamsaHttpClient } from '../gateway/hamsa-http.client.js';
import { withRetries } from '../gateway/retry.js';
import { type ResolvedHamsaVoiceOptions } from '../options/resolved-options.js';
import {
  type HamsaTelemetry,
  type TelemetryContext,
  type TtsTransport,
} from '../telemetry/hamsa-telemetry.js';
import { type HamsaTtsCallOptions, type HamsaTtsRequest } from './hamsa-tts.interfaces.js';
import { type AudioReader } from './audio-reader.js';
import { startAudio } from './tts-audio.request.js';
import { ttsAnswerRetryPolicy } from './tts-retry.js';
import { isVoiceChecked } from './voice-checked.js';

/** Which endpoint a REST or stream call uses, and how it is recorded. */
export interface AudioCall {
  path: string;
  transport: 'rest' | 'stream';
  /** The trace context active when the call was made. */
  parent: TelemetryContext;
}

/** What the REST and stream calls need from `HamsaTtsService` (internal). */
export interface AudioCallsDeps {
  http: HamsaHttpClient;
  telemetry: HamsaTelemetry;
  options: ResolvedHamsaVoiceOptions;
  /** Resolves once `speaker` may be used (the readiness gate). */
  voiceReady(speaker: string, timeoutMs: number | undefined, signal: AbortSignal): Promise<void>;
  /** Whether `speaker` may be used now, without waiting (the gate's common case). */
  voiceUsableNow(speaker: string): boolean;
  /** Logs a retried attempt and counts it. */
  onRetry(
    transport: TtsTransport,
    what: string,
    error: HamsaError,
    retryNumber: number,
    waitMs: number,
  ): void;
}

/**
 * The REST (`/v1/realtime/tts`) and stream (`/v1/realtime/tts-stream`) calls of
 * `HamsaTtsService`: readiness, the request with its retries, the answer read through its audio
 * checks, telemetry, and what a call fails with at shutdown.
 */
export class AudioCalls {
  /** The calls in flight, so that shutdown can end them (a set: no listener on a shared signal). */
  private readonly inFlight = new Set<CallScope>();
  /** Why shutdown ended the calls, once it did: later calls end at once. */
  private endedBy?: Error;

  constructor(private readonly deps: AudioCallsDeps) {}

  /** Ends every call in flight, and every later one, with `reason` (shutdown). */
  endAll(reason: Error): void {
    this.endedBy ??= reason;
    for (const scope of this.inFlight) scope.abort(this.endedBy);
  }

  /** A REST call, parented by the trace context active now. */
  rest(): AudioCall {
    return {
      path: HAMSA_ENDPOINTS.tts,
      transport: 'rest',
      parent: this.deps.telemetry.activeContext(),
    };
  }

  /** A streamed call, parented by the trace context active now (it starts when iterated). */
  stream(): AudioCall {
    return {
      path: HAMSA_ENDPOINTS.ttsStream,
      transport: 'stream',
      parent: this.deps.telemetry.activeContext(),
    };
  }

  /**
   * Readiness first, then the request until its first audio arrived (retried only if it never
   * started or was empty: nothing reached the caller yet), then the rest of the body.
   * `interrupt` hears of a failure at once, even while the reader is not asking for a chunk.
   */
  async *run(
    call: AudioCall,
    request: HamsaTtsRequest,
    options: HamsaTtsCallOptions,
    interrupt?: (error: unknown) => void,
  ): AsyncGenerator<Buffer> {
    const { http, telemetry } = this.deps;
    const { speaker } = request;
    const { requestTimeoutMs: timeoutMs, tts } = this.deps.options;
    const recording = telemetry.tts(call.transport, call.parent);
    const scope = new CallScope(options.signal);
    if (this.endedBy) scope.abort(this.endedBy);
    this.inFlight.add(scope);
    const unlinkAbort = scope.onAbort(() =>
      interrupt?.(this.failureOf(scope.reason, scope, speaker)),
    );
    const { minAudioMs, maxAudioBytes, readerIdleTimeoutMs } = tts;
    const requireWav = call.transport === 'rest';
    const answer = { minAudioMs, maxAudioBytes, timeoutMs, readerIdleTimeoutMs, requireWav };
    let failure: unknown;
    let reader: AudioReader | undefined;
    try {
      if (!isVoiceChecked(options) && !this.deps.voiceUsableNow(speaker)) {
        await this.deps.voiceReady(speaker, options.voiceTimeoutMs, scope.signal);
      }
      const started = await withRetries(
        // In the call's span: the HTTP client span of each attempt is its child.
        () => recording.within(() => startAudio(http, call.path, request, scope, answer)),
        ttsAnswerRetryPolicy(this.deps.options, (error, retryNumber, waitMs) =>
          this.deps.onRetry(call.transport, `speaker ${speaker}`, error, retryNumber, waitMs),
        ),
        scope,
      );
      reader = started.reader;
      for (let audio = started.first; audio !== undefined; audio = await reader.next()) {
        recording.firstAudio();
        yield audio;
      }
    } catch (error) {
      failure = this.failureOf(error, scope, speaker);
      throw failure;
    } finally {
      // Left early: releases the socket.
      reader?.close();
      recording.ended(failure);
      unlinkAbort();
      scope.dispose();
      this.inFlight.delete(scope);
    }
  }

  /** What a call fails with: ended or cut off by shutdown, it says so, whatever broke under it. */
  private failureOf(error: unknown, scope: CallScope, speaker: string): unknown {
    const { http } = this.deps;
    const ended = this.endedBy !== undefined && scope.reason === this.endedBy;
    // http.isShutDown: its socket was closed under it, Hamsa did not fail.
    return ended || http.isShutDown
      ? new VoiceNotReadyError(speaker, undefined, 'shutdown')
      : scope.failure(error);
  }
}
