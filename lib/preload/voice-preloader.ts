import { backoffMs } from '../gateway/backoff.js';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { firstValueFrom, race, timer } from 'rxjs';
import {
  HAMSA_VOICE_LOGGER_CONTEXT,
  HAMSA_VOICE_RESOLVED_OPTIONS,
} from '../hamsa-voice.constants.js';
import { HamsaCoordination } from '../coordination/hamsa-coordination.js';
import { HamsaError } from '../errors/hamsa.error.js';
import { HamsaPreloadError, type VoicePreloadFailure } from '../errors/hamsa-preload.error.js';
import { InvalidVoiceIdError } from '../errors/invalid-voice-id.error.js';
import { toHamsaError } from '../errors/to-hamsa-error.js';
import { VoiceNotReadyError } from '../errors/voice-readiness.error.js';
import { CallScope } from '../gateway/call-scope.js';
import { HamsaHttpClient } from '../gateway/hamsa-http.client.js';
import { type RetryPolicy, withRetries } from '../gateway/retry.js';
import { type ResolvedHamsaVoiceOptions } from '../options/resolved-options.js';
import { VoiceStatusStore } from '../state/voice-status.store.js';
import { HamsaTelemetry } from '../telemetry/hamsa-telemetry.js';
import { escapeForLog } from '../voice/escape-for-log.js';
import { canonicalVoiceId, isUuid } from '../voice/voice-id.js';
import {
  failedStatus,
  preloadAttempt,
  type PreloadAttemptOutcome,
  voiceTimeoutError,
} from './preload-attempt.js';
import { OnDemandBudget } from './on-demand-budget.js';
import { PreloadFailureLog } from './preload-failure-log.js';
import { PreloadHalt } from './preload-halt.js';
import { type PreloadJob, startJob } from './preload-job.js';
import { PreloadLane } from './preload-lane.js';
import { VoiceRecovery } from './voice-recovery.js';

/**
 * Preloads voices: all configured ones at bootstrap, others on request. Never more than
 * `concurrency` voices in progress (the `PreloadLane`, where the application's own voices go
 * before on-demand ones); each voice's attempts, retries and deadline run on the transport
 * layer's `withRetries` and `CallScope`, which also stop every voice once Hamsa rejects the key,
 * and the `PreloadHalt` stops the voices queued or in flight at an account-wide failure (quota,
 * wrong endpoint). On-demand preloads are bounded by `onDemandPreload.maxPreloadsPerMinute`.
 * Writes every outcome to the status store, and owns background recovery.
 */
@Injectable()
export class VoicePreloader implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(HAMSA_VOICE_LOGGER_CONTEXT);
  private readonly jobs = new Map<string, PreloadJob>();
  private readonly lane: PreloadLane;
  private readonly halt = new PreloadHalt();
  private readonly failureLog: PreloadFailureLog;
  private readonly onDemandBudget?: OnDemandBudget;
  private readonly recovery: VoiceRecovery;

  constructor(
    private readonly http: HamsaHttpClient,
    private readonly store: VoiceStatusStore,
    private readonly telemetry: HamsaTelemetry,
    private readonly coordination: HamsaCoordination,
    @Inject(HAMSA_VOICE_RESOLVED_OPTIONS) private readonly options: ResolvedHamsaVoiceOptions,
  ) {
    this.lane = new PreloadLane(options.concurrency, (job, shutdown) => this.run(job, shutdown));
    this.failureLog = new PreloadFailureLog(this.logger, options.recoveryDelayMs);
    const { onDemandPreload } = options;
    if (onDemandPreload) {
      this.onDemandBudget = new OnDemandBudget(onDemandPreload.maxPreloadsPerMinute);
    }
    this.recovery = new VoiceRecovery(store, options, (voiceId) => this.preload(voiceId));
  }

  async onApplicationBootstrap(): Promise<void> {
    const { voiceIds, waitForReady, failOnError } = this.options;
    if (voiceIds.length === 0) return this.recovery.start();
    const failures = this.preloadAll(voiceIds);
    // In the background, preloadAll never rejects: failures land in status and logs.
    if (!waitForReady) return this.recovery.start();
    const failed = await failures;
    // Nest may run the shutdown while this hook still waits (a SIGTERM during `app.listen()`):
    // not a failed startup, so resolve and let that shutdown finish, as after a started one.
    if (this.isShutDown) return this.logger.log(interruptedStartup(failed.length, voiceIds.length));
    if (failed.length > 0 && failOnError) {
      // NestJS 11's close() after a failed init re-throws without running any shutdown hook,
      // so the keep-alive sockets (and the coordinator's connection) would stay open: close them now.
      this.http.closeSockets();
      await this.coordination.coordinator.close();
      throw new HamsaPreloadError(failed, voiceIds.length);
    }
    this.recovery.start();
  }

  onModuleDestroy(): void {
    this.recovery.stop();
    this.failureLog.close();
    // Closing the lane aborts every voice's scope: requests in flight, backoff and deadline timers.
    this.lane.close();
    for (const job of this.jobs.values()) {
      job.reject(
        new VoiceNotReadyError(job.voiceId, this.store.get(job.voiceId)?.state, 'shutdown'),
      );
    }
    this.jobs.clear();
  }

  /**
   * Preloads one voice, resolving when it is ready. Concurrent calls for one voice share one
   * preload; a ready voice resolves at once; a failed one is tried again. An ID that is not a
   * UUID is rejected at once, without a request.
   *
   * @param source `runtime` for `VoiceReadinessService.preload()`, `on-demand` for a TTS speaker
   * (refused with reason `capacity`, without a request, over `onDemandPreload`'s bounds).
   * @param retries Retries after the first attempt; default the module's `retries`.
   */
  preload(
    voiceId: string,
    source: 'runtime' | 'on-demand' = 'runtime',
    retries = this.options.retries,
  ): Promise<void> {
    if (!isUuid(voiceId)) return Promise.reject(new InvalidVoiceIdError(voiceId));
    voiceId = canonicalVoiceId(voiceId);
    if (this.store.isShuttingDown) {
      return Promise.reject(
        new VoiceNotReadyError(voiceId, this.store.get(voiceId)?.state, 'shutdown'),
      );
    }
    const running = this.jobs.get(voiceId);
    if (source === 'on-demand' && !running && this.wouldSendOnDemand(voiceId)) {
      if (!this.onDemandBudget?.take()) return this.refuse(voiceId, 'maxPreloadsPerMinute');
    }
    if (!this.store.track(voiceId, source)) return this.refuse(voiceId, 'maxVoices');
    if (this.store.get(voiceId)?.state === 'ready') return Promise.resolve();
    if (running) return running.promise;

    const job = startJob(voiceId, retries, this.isOnDemand(voiceId), this.halt.signal);
    this.jobs.set(voiceId, job);
    if (this.store.get(voiceId)?.state !== 'pending') {
      this.store.set({ voiceId, state: 'pending', attempts: 0 });
    }
    this.lane.push(job);
    return job.promise;
  }

  /** An on-demand speaker turned away over `onDemandPreload`'s `limit`, without a request. */
  private refuse(voiceId: string, limit: 'maxVoices' | 'maxPreloadsPerMinute'): Promise<never> {
    const { onDemandPreload } = this.options;
    const bound = onDemandPreload ? onDemandPreload[limit] : 0;
    this.failureLog.refused(voiceId, `onDemandPreload.${limit} ${bound}`);
    return Promise.reject(new VoiceNotReadyError(voiceId, undefined, 'capacity'));
  }

  /** Whether an on-demand `preload()` of this voice would start a preload (unknown, or failed). */
  private wouldSendOnDemand(voiceId: string): boolean {
    const status = this.store.get(voiceId);
    return !status || (status.source === 'on-demand' && status.state !== 'ready');
  }

  private isOnDemand(voiceId: string): boolean {
    return this.store.get(voiceId)?.source === 'on-demand';
  }

  private async preloadAll(voiceIds: string[]): Promise<VoicePreloadFailure[]> {
    const startedAt = performance.now();
    const outcomes = await Promise.all(
      voiceIds.map((voiceId) =>
        this.afterStartupJitter(() => this.preload(voiceId)).then(
          () => undefined,
          (error: HamsaError) => ({ voiceId, error }),
        ),
      ),
    );
    const failures = outcomes.filter((outcome) => outcome !== undefined);
    if (!this.isShutDown) {
      const ready = voiceIds.length - failures.length;
      const summary = `preloaded ${ready}/${voiceIds.length} voices in ${Math.round(performance.now() - startedAt)} ms`;
      if (failures.length > 0) this.logger.warn(summary);
      else this.logger.log(summary);
    }
    return failures;
  }

  /** Whether shutdown began (`onModuleDestroy`): every voice's preload was stopped. */
  private get isShutDown(): boolean {
    return this.lane.isClosed;
  }

  /**
   * Runs `start` after a random wait of up to `startupJitterMs` (at once, synchronously, when it
   * is 0), so that replicas started together do not all send in the same instant. Shutdown cuts
   * the wait short; `preload()` then rejects with reason `shutdown`.
   */
  private afterStartupJitter(start: () => Promise<void>): Promise<void> {
    const { startupJitterMs } = this.options;
    if (startupJitterMs === 0) return start();
    const waitMs = backoffMs(1, { baseMs: startupJitterMs, capMs: startupJitterMs, jitter: 1 });
    const wait$ = race(timer(waitMs), this.store.shutdown$);
    return firstValueFrom(wait$, { defaultValue: undefined }).then(start);
  }

  /** One voice's whole preload: attempts, retries, deadline. Never rejects. */
  private async run(job: PreloadJob, shutdown: AbortSignal): Promise<void> {
    const { voiceId, retries } = job;
    const { requestTimeoutMs, deadlineMs } = this.options;
    // Monotonic: a clock step (NTP, a VM resumed) must not stretch or cut a deadline.
    const startedAt = performance.now();
    this.store.set({ voiceId, state: 'loading', attempts: 0 });
    // Following the key's rejection (once Hamsa rejects the key, no request starts) and the
    // halt of the jobs queued with this one.
    const scope = new CallScope(shutdown, this.http.keyRejected, job.halted);
    scope.limit(deadlineMs, () => voiceTimeoutError('Preload', voiceId, 'deadlineMs', deadlineMs));
    const purpose = 'Preload' as const;
    const recording = this.telemetry.preload(voiceId);
    const attempt = (attempts: number) => {
      this.store.patch(voiceId, { attempts });
      const { signal } = scope;
      const { telemetry } = this;
      const { coordinator } = this.coordination;
      const request = { voiceId, requestTimeoutMs, purpose, signal, telemetry, coordinator };
      // In the preload's span: the HTTP client span of the request is its child.
      return recording
        .within(() => preloadAttempt(this.http, request))
        .catch((error: unknown) => {
          this.halt.haltOn(job.halted, error);
          throw error;
        });
    };
    const policy: RetryPolicy = {
      ...this.options,
      retries,
      canRetry: (error): error is HamsaError => error instanceof HamsaError && error.retryable,
      giveUpAt: startedAt + deadlineMs,
      onRetry: (error, retryNumber, waitMs) => {
        recording.retrying(retryNumber, waitMs, error);
        this.logger.warn(
          `voice ${voiceId}: attempt ${retryNumber} failed ` +
            `(${error.name}: ${escapeForLog(error.message)}); retrying in ${waitMs} ms`,
        );
      },
    };
    try {
      const outcome = await withRetries(attempt, policy, scope);
      recording.settled(this.succeed(job, startedAt, outcome));
    } catch (error) {
      // At shutdown the job was rejected already, and the store takes no more transitions.
      if (shutdown.aborted) return recording.abandoned();
      const failure = toHamsaError(scope.failure(error));
      recording.settled(this.fail(job, startedAt, failure), failure);
    } finally {
      scope.dispose();
    }
  }

  /** Marks the voice ready; returns its attempts. */
  private succeed(job: PreloadJob, startedAt: number, outcome: PreloadAttemptOutcome): number {
    const { voiceId } = job;
    const durationMs = Math.round(performance.now() - startedAt);
    const attempts = this.store.get(voiceId)?.attempts ?? 0;
    this.store.set({ voiceId, state: 'ready', attempts, readyAt: new Date(), durationMs });
    const how = outcome === 'sent' ? `${attempts} attempt(s)` : 'preloaded by another replica';
    this.logger.log(`voice ${voiceId} ready in ${durationMs} ms (${how})`);
    this.jobs.delete(voiceId);
    job.resolve();
    return attempts;
  }

  /** Marks the voice failed; returns its attempts. */
  private fail(job: PreloadJob, startedAt: number, error: HamsaError): number {
    const { voiceId } = job;
    const attempts = this.store.get(voiceId)?.attempts ?? 0;
    const source = this.store.get(voiceId)?.source ?? 'runtime';
    this.store.set(
      failedStatus(voiceId, attempts, Math.round(performance.now() - startedAt), error),
      error,
    );
    this.failureLog.failed(voiceId, source, error);
    this.jobs.delete(voiceId);
    job.reject(error);
    return attempts;
  }
}

/** The one line a startup cut short by shutdown logs, instead of a `HamsaPreloadError`. */
function interruptedStartup(notReady: number, voices: number): string {
  return `startup interrupted by shutdown: stopped waiting for ${notReady} of ${voices} voices`;
}
