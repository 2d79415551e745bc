import { backoffMs } from '../gateway/backoff.js';
import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { type Subscription } from 'rxjs';
import { HamsaCoordination } from '../coordination/hamsa-coordination.js';
import { toHamsaError } from '../errors/to-hamsa-error.js';
import { CallScope } from '../gateway/call-scope.js';
import {
  HAMSA_VOICE_LOGGER_CONTEXT,
  HAMSA_VOICE_RESOLVED_OPTIONS,
} from '../hamsa-voice.constants.js';
import { HamsaAuthenticationError, HamsaVoiceNotFoundError } from '../errors/hamsa-api.error.js';
import { type HamsaError } from '../errors/hamsa.error.js';
import { HamsaHttpClient } from '../gateway/hamsa-http.client.js';
import { type ResolvedHamsaVoiceOptions } from '../options/resolved-options.js';
import { escapeForLog } from '../voice/escape-for-log.js';
import { type VoiceStatus } from '../voice/voice-status.interface.js';
import { failedStatus, preloadAttempt } from './preload-attempt.js';
import { VoiceTimers } from './voice-timers.js';
import { VoiceStatusStore } from '../state/voice-status.store.js';
import { HamsaTelemetry } from '../telemetry/hamsa-telemetry.js';

/**
 * Keep-warm (`refreshIntervalMs` > 0): re-preloads each ready configured or runtime voice (not
 * on-demand ones) about every interval, one attempt each time, without taking it out of `ready`.
 * Only Hamsa saying the voice is gone (404) or the key is revoked (401/403) makes voices `failed`;
 * any other failure waits for the next turn.
 */
@Injectable()
export class VoiceRefresher implements OnModuleDestroy {
  private readonly logger = new Logger(HAMSA_VOICE_LOGGER_CONTEXT);
  private readonly timers = new VoiceTimers();
  /** The scope of each refresh request in flight; disposing it aborts the request. */
  private readonly inFlight = new Map<string, AbortController>();
  private readonly subscription?: Subscription;
  private isStopped = false;

  constructor(
    private readonly http: HamsaHttpClient,
    private readonly store: VoiceStatusStore,
    private readonly telemetry: HamsaTelemetry,
    private readonly coordination: HamsaCoordination,
    @Inject(HAMSA_VOICE_RESOLVED_OPTIONS) private readonly options: ResolvedHamsaVoiceOptions,
  ) {
    if (options.refreshIntervalMs > 0) {
      this.subscription = store.changes$.subscribe((status) => this.onTransition(status));
    }
  }

  onModuleDestroy(): void {
    this.isStopped = true;
    this.subscription?.unsubscribe();
    this.timers.clear();
    for (const request of this.inFlight.values()) request.abort();
    this.inFlight.clear();
  }

  private onTransition({ voiceId, state, source }: VoiceStatus): void {
    this.cancel(voiceId);
    // On-demand voices are callers' speakers: keeping them warm would spend quota for them.
    if (state === 'ready' && source !== 'on-demand') this.schedule(voiceId);
  }

  private schedule(voiceId: string): void {
    if (this.isStopped) return;
    // 80-100 % of the interval: voices (and replicas) that became ready together drift apart,
    // and no refresh comes later than the interval.
    const { refreshIntervalMs } = this.options;
    const delayMs = backoffMs(1, {
      baseMs: refreshIntervalMs,
      capMs: refreshIntervalMs,
      jitter: 0.2,
    });
    this.timers.schedule(voiceId, delayMs, () => void this.refreshIfDue(voiceId));
  }

  private cancel(voiceId: string): void {
    this.timers.cancel(voiceId);
    this.inFlight.get(voiceId)?.abort();
    this.inFlight.delete(voiceId);
  }

  /** Refreshes the voice, unless another replica did in this interval (then waits for the next). */
  private async refreshIfDue(voiceId: string): Promise<void> {
    const { coordinator } = this.coordination;
    const isDue = await coordinator.claimRefresh(voiceId, this.options.refreshIntervalMs);
    // Meanwhile the voice may have left `ready`, or come back to it with a timer of its own.
    if (this.isStopped || !this.isReady(voiceId) || this.timers.has(voiceId)) return;
    if (isDue) this.refresh(voiceId);
    else this.schedule(voiceId);
  }

  private refresh(voiceId: string): void {
    const { requestTimeoutMs } = this.options;
    const { coordinator } = this.coordination;
    const startedAt = performance.now();
    const request = new AbortController();
    this.inFlight.set(voiceId, request);
    // A key rejected by another refresh or a preload stops this one too.
    const scope = new CallScope(request.signal, this.http.keyRejected);
    const attempt = { voiceId, requestTimeoutMs, purpose: 'Refresh' as const };
    const { telemetry } = this;
    preloadAttempt(this.http, { ...attempt, signal: scope.signal, telemetry, coordinator })
      .then(
        () => this.settle(voiceId, request, startedAt),
        (error: unknown) =>
          this.settle(voiceId, request, startedAt, toHamsaError(scope.failure(error))),
      )
      .finally(() => scope.dispose());
  }

  private settle(
    voiceId: string,
    request: AbortController,
    startedAt: number,
    error?: HamsaError,
  ): void {
    // Aborted: shutdown, or the voice left `ready` meanwhile (a revoked key fails every voice).
    if (request.signal.aborted) return;
    this.inFlight.delete(voiceId);
    if (this.isStopped || this.store.isShuttingDown || !this.isReady(voiceId)) return;
    const durationMs = Math.round(performance.now() - startedAt);
    if (!error) {
      this.store.patch(voiceId, { refreshedAt: new Date() });
      this.logger.debug(`voice ${voiceId} refreshed in ${durationMs} ms`);
      this.schedule(voiceId);
    } else if (error instanceof HamsaAuthenticationError) {
      this.logger.error(
        `Hamsa rejected the API key (${error.status}) while refreshing voice ${voiceId}; ` +
          'every ready voice is now failed',
      );
      for (const { voiceId: readyId } of this.store.all().filter((s) => s.state === 'ready')) {
        this.fail(readyId, durationMs, error);
      }
    } else if (error instanceof HamsaVoiceNotFoundError) {
      this.logger.error(
        `voice ${voiceId} failed to refresh: ${error.name}: ${escapeForLog(error.message)}`,
      );
      this.fail(voiceId, durationMs, error);
    } else {
      this.logger.warn(
        `voice ${voiceId}: refresh failed (${error.name}: ${escapeForLog(error.message)}); ` +
          'it stays ready, next refresh at the next interval',
      );
      this.schedule(voiceId);
    }
  }

  private fail(voiceId: string, durationMs: number, error: HamsaError): void {
    this.store.set(failedStatus(voiceId, 1, durationMs, error), error);
  }

  private isReady(voiceId: string): boolean {
    return this.store.get(voiceId)?.state === 'ready';
  }
}
