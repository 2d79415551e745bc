import { HamsaConnectionError } from '../errors/hamsa-transport.error.js';
import { CallScope, sharedAbortController } from '../gateway/call-scope.js';
import { type RetryPolicy, withRetries } from '../gateway/retry.js';
import { type ResolvedHamsaVoiceOptions } from '../options/hamsa-voice-options.interface.js';
import { type HamsaTtsSessionOptions } from './hamsa-tts.interfaces.js';
import { HamsaTtsSession, type HamsaTtsSessionContext } from './hamsa-tts.session.js';
import { ttsRetryPolicy } from './tts-retry.js';
import { WarmSessionPool } from './warm-session-pool.js';
import { connectWebSocket, helloTimeout } from '../gateway/ws-connect.js';

/** What `TtsSessions` needs from `HamsaTtsService` (internal). */
export interface TtsSessionsDeps {
  voiceReady: HamsaTtsSessionContext['voiceReady'];
  redact(text: string): string;
  /** Logs a retry of opening a session for a caller. */
  onRetry: RetryPolicy['onRetry'];
  /** Logs a warning line (the warm pool's failures). */
  warn(line: string): void;
  telemetry: HamsaTtsSessionContext['telemetry'];
}

/**
 * The WebSocket sessions of `HamsaTtsService`: opens them (taking a warm one when the pool has
 * one), hands each to its caller, and closes the pool and every session still open at shutdown.
 */
export class TtsSessions {
  private readonly handedOut = new Set<HamsaTtsSession>();
  private readonly stopping = sharedAbortController();
  private readonly context: HamsaTtsSessionContext;
  private readonly pool: WarmSessionPool;

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
      audio: { minAudioMs: options.tts.minAudioMs, maxAudioBytes: options.tts.maxAudioBytes },
      telemetry: deps.telemetry,
    };
    this.pool = new WarmSessionPool(
      options.tts.warmSessions,
      (signal) => this.connect(signal),
      options,
      deps.warn,
    );
  }

  /** Starts keeping `tts.warmSessions` sessions open (none when it is 0). */
  warmUp(): void {
    if (this.options.tts.warmSessions > 0) this.pool.start();
  }

  /** A warm session if one is open, otherwise a new one (retried only if it never started). */
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
    await this.pool.stop();
    await Promise.all([...this.handedOut].map((session) => session.close()));
  }

  private async connectWithRetries(signal: AbortSignal | undefined): Promise<HamsaTtsSession> {
    const scope = new CallScope(signal, this.stopping.signal);
    try {
      return await withRetries(
        () => this.connect(scope.signal),
        ttsRetryPolicy(this.options, this.deps.onRetry),
        scope.signal,
      );
    } catch (error) {
      throw scope.failure(error);
    } finally {
      scope.dispose();
    }
  }

  /** One attempt: Hamsa must say hello within `requestTimeoutMs`. */
  private async connect(signal: AbortSignal): Promise<HamsaTtsSession> {
    const { baseUrl, apiKey, requestTimeoutMs } = this.options;
    const attempt = new CallScope(signal);
    attempt.limit(requestTimeoutMs, () => helloTimeout(requestTimeoutMs));
    try {
      const socket = await connectWebSocket({
        baseUrl,
        apiKey,
        signal: attempt.signal,
        redact: this.deps.redact,
      });
      return new HamsaTtsSession(socket, this.context);
    } finally {
      attempt.dispose();
    }
  }
}
