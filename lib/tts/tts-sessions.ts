import { type HamsaError } from '../errors/hamsa.error.js';
import { HamsaConnectionError } from '../errors/hamsa-transport.error.js';
import { CallScope, sharedAbortController } from '../gateway/call-scope.js';
import { type RetryPolicy, withRetries } from '../gateway/retry.js';
import { type ResolvedHamsaVoiceOptions } from '../options/resolved-options.js';
import { NO_TTS_RECORDING } from '../telemetry/recordings.js';
import {
  type HamsaTtsSessionOptions,
  type HamsaTtsSessionRequest,
  type HamsaTtsSpeakOptions,
} from './hamsa-tts.interfaces.js';
import { HamsaTtsSession, type HamsaTtsSessionContext } from './hamsa-tts.session.js';
import { speakPooled } from './pooled-speak.js';
import { SessionPool } from './session-pool.js';
import { ttsRetryPolicy } from './tts-retry.js';
import { WarmSessions } from './warm-sessions.js';
import { connectWebSocket, helloTimeout } from '../gateway/ws-connect.js';

/** What `TtsSessions` needs from `HamsaTtsService` (internal). */
export interface TtsSessionsDeps {
  voiceReady: HamsaTtsSessionContext['voiceReady'];
  redact(text: string): string;
  /** Logs a retry of opening a session for a caller. */
  onRetry: RetryPolicy['onRetry'];
  /** Logs that a pooled utterance is asked again on another session. */
  onSpeakRetry(error: HamsaError, retryNumber: number, speaker: string): void;
  /** Logs a warning line (the warm pool's failures). */
  warn(line: string): void;
  telemetry: HamsaTtsSessionContext['telemetry'];
}

/**
 * The WebSocket sessions of `HamsaTtsService`: the pool that `speak()` runs on (kept warm with
 * `tts.warmSessions`), the sessions `openSession()` hands to their callers (an idle pooled one
 * when there is one), and closing all of them at shutdown.
 */
export class TtsSessions {
  private readonly handedOut = new Set<HamsaTtsSession>();
  private readonly stopping = sharedAbortController();
  private readonly context: HamsaTtsSessionContext;
  private readonly pool: SessionPool;
  private readonly warm: WarmSessions;

  constructor(
    private readonly options: ResolvedHamsaVoiceOptions,
    private readonly deps: TtsSessionsDeps,
  ) {
    const { requestTimeoutMs } = options;
    this.context = {
      voiceReady: deps.voiceReady,
      redact: deps.redact,
      requestTimeoutMs,
      closeTimeoutMs: requestTimeoutMs,
      utteranceLimitMs: options.deadlineMs,
      audio: { minAudioMs: options.tts.minAudioMs, maxAudioBytes: options.tts.maxAudioBytes },
      telemetry: deps.telemetry,
    };
    this.warm = new WarmSessions(
      options.tts.warmSessions,
      (signal) => this.connect(signal),
      options,
      deps.warn,
    );
    this.pool = new SessionPool(
      options.tts.maxSessions,
      (signal) => this.connectWithRetries(signal),
      this.warm,
    );
  }

  /** Starts keeping `tts.warmSessions` sessions open in the pool (none when it is 0). */
  warmUp(): void {
    if (this.options.tts.warmSessions > 0) this.warm.start(this.pool);
  }

  /** One utterance on a pooled session (see `HamsaTtsService.speak()`). */
  speak(request: HamsaTtsSessionRequest, options: HamsaTtsSpeakOptions): AsyncIterable<Buffer> {
    const { retries, requestTimeoutMs } = this.options;
    const deps = {
      pool: this.pool,
      voiceReady: this.deps.voiceReady,
      telemetry: this.deps.telemetry,
      stopping: this.stopping.signal,
      retries,
      requestTimeoutMs,
      onRetry: (error: HamsaError, retryNumber: number) =>
        this.deps.onSpeakRetry(error, retryNumber, request.speaker),
    };
    return speakPooled(deps, request, options, this.deps.telemetry.activeContext());
  }

  /** An idle pooled session if one is open, otherwise a new one (retried only if it never started). */
  async open(options: HamsaTtsSessionOptions): Promise<HamsaTtsSession> {
    options.signal?.throwIfAborted();
    const session = this.pool.take() ?? (await this.connectWithRetries(options.signal));
    if (this.stopping.signal.aborted) {
      await session.close();
      throw this.stopping.signal.reason;
    }
    this.handedOut.add(session);
    void session.closed.then(() => this.handedOut.delete(session));
    session.handTo(options);
    return session;
  }

  /** Stops the pool and closes every session (openings in flight fail). */
  async close(): Promise<void> {
    this.stopping.abort(
      new HamsaConnectionError('The application is shutting down: no new Hamsa TTS session'),
    );
    this.warm.stop();
    await this.pool.stop(this.stopping.signal.reason);
    await Promise.all([...this.handedOut].map((session) => session.close()));
  }

  private async connectWithRetries(signal: AbortSignal | undefined): Promise<HamsaTtsSession> {
    const scope = new CallScope(signal, this.stopping.signal);
    try {
      return await withRetries(
        () => this.connect(scope.signal),
        ttsRetryPolicy(this.options, this.deps.onRetry),
        scope,
      );
    } catch (error) {
      throw scope.failure(error);
    } finally {
      scope.dispose();
    }
  }

  /** One attempt: Hamsa must say hello within `requestTimeoutMs`. */
  private async connect(signal: AbortSignal): Promise<HamsaTtsSession> {
    const { baseUrl, apiKey, requestTimeoutMs, tts } = this.options;
    const attempt = new CallScope(signal);
    attempt.limit(requestTimeoutMs, () => helloTimeout(requestTimeoutMs));
    try {
      const socket = await connectWebSocket({
        baseUrl,
        apiKey,
        auth: tts.webSocketAuth,
        signal: attempt.signal,
      });
      const session: HamsaTtsSession = new HamsaTtsSession(socket, {
        ...this.context,
        telemetry: this.ownerTelemetry(() => session),
      });
      return session;
    } finally {
      attempt.dispose();
    }
  }

  /**
   * A session's own recording of its utterances, while it is its caller's: in the pool, the
   * pooled `speak()` records each utterance once, however many sessions it was asked on.
   */
  private ownerTelemetry(session: () => HamsaTtsSession): HamsaTtsSessionContext['telemetry'] {
    const { telemetry } = this.deps;
    return {
      activeContext: () => telemetry.activeContext(),
      tts: (transport, parent) =>
        this.pool.owns(session()) ? NO_TTS_RECORDING : telemetry.tts(transport, parent),
    };
  }
}
