import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import {
  catchError,
  defer,
  firstValueFrom,
  map,
  merge,
  mergeMap,
  type Observable,
  of,
  race,
  ReplaySubject,
  retry,
  Subject,
  type Subscription,
  take,
  tap,
  throwError,
  timeout,
  timer,
} from 'rxjs';
import {
  HAMSA_VOICE_LOGGER_CONTEXT,
  HAMSA_VOICE_RESOLVED_OPTIONS,
} from '../hamsa-voice.constants.js';
import { HamsaAuthenticationError } from '../errors/hamsa-api.error.js';
import { HamsaError } from '../errors/hamsa.error.js';
import { HamsaPreloadError, type VoicePreloadFailure } from '../errors/hamsa-preload.error.js';
import { VoiceNotReadyError } from '../errors/voice-readiness.error.js';
import { HamsaHttpClient } from '../http/hamsa-http.client.js';
import { type ResolvedHamsaVoiceOptions } from '../options/hamsa-voice-options.interface.js';
import { VoiceStatusStore } from '../readiness/voice-status.store.js';
import { InvalidVoiceIdError } from '../errors/invalid-voice-id.error.js';
import { isUuid } from '../voice/voice-id.js';
import { backoffDelayMs } from './backoff.js';
import { VoiceRecovery } from './voice-recovery.js';
import {
  failedStatus,
  preloadAttempt$,
  toHamsaError,
  voiceTimeoutError,
} from './preload-attempt.js';
import { type PreloadJob, startJob } from './preload-job.js';

/**
 * Preloads voices: all configured ones at bootstrap, others on request. Never more than
 * `concurrency` voices in progress; retries, deadlines and the stop on a rejected API key
 * are rxjs operators on each voice's pipeline. Writes every outcome to the status store.
 */
@Injectable()
export class VoicePreloader implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(HAMSA_VOICE_LOGGER_CONTEXT);
  private readonly queue$ = new Subject<PreloadJob>();
  private readonly jobs = new Map<string, PreloadJob>();
  /** Set once Hamsa rejects the key: every voice fails with this one error, no more requests. */
  private readonly authFailure$ = new ReplaySubject<HamsaAuthenticationError>(1);
  private isKeyRejected = false;
  private readonly subscription: Subscription;
  private readonly recovery: VoiceRecovery;

  constructor(
    private readonly http: HamsaHttpClient,
    private readonly store: VoiceStatusStore,
    @Inject(HAMSA_VOICE_RESOLVED_OPTIONS) private readonly options: ResolvedHamsaVoiceOptions,
  ) {
    this.subscription = this.queue$
      .pipe(mergeMap((job) => this.run(job), options.concurrency))
      .subscribe();
    this.recovery = new VoiceRecovery(store, options, (voiceId) => this.preload(voiceId));
  }

  async onApplicationBootstrap(): Promise<void> {
    const { voiceIds, waitForReady, failOnError } = this.options;
    if (voiceIds.length === 0) return this.recovery.start();
    const failures = this.preloadAll(voiceIds);
    // In the background, preloadAll never rejects: failures land in status and logs.
    if (!waitForReady) return this.recovery.start();
    const failed = await failures;
    if (failed.length > 0 && failOnError) {
      // NestJS 11's close() after a failed init re-throws without running any shutdown hook,
      // so the keep-alive sockets would stay open: close them now.
      this.http.closeSockets();
      throw new HamsaPreloadError(failed, voiceIds.length);
    }
    this.recovery.start();
  }

  onModuleDestroy(): void {
    this.recovery.stop();
    // Unsubscribing aborts in-flight requests and clears backoff and deadline timers.
    this.subscription.unsubscribe();
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
   * @param source `runtime` for `VoiceReadinessService.preload()`, `on-demand` for a TTS speaker.
   * @param retries Retries after the first attempt; default the module's `retries`.
   */
  preload(
    voiceId: string,
    source: 'runtime' | 'on-demand' = 'runtime',
    retries = this.options.retries,
  ): Promise<void> {
    if (!isUuid(voiceId)) return Promise.reject(new InvalidVoiceIdError(voiceId));
    if (this.store.isShuttingDown) {
      return Promise.reject(
        new VoiceNotReadyError(voiceId, this.store.get(voiceId)?.state, 'shutdown'),
      );
    }
    if (!this.store.track(voiceId, source)) {
      return Promise.reject(new VoiceNotReadyError(voiceId, undefined, 'capacity'));
    }
    if (this.store.get(voiceId)?.state === 'ready') return Promise.resolve();
    const running = this.jobs.get(voiceId);
    if (running) return running.promise;

    const job = startJob(voiceId, retries);
    this.jobs.set(voiceId, job);
    if (this.store.get(voiceId)?.state !== 'pending') {
      this.store.set({ voiceId, state: 'pending', attempts: 0 });
    }
    this.queue$.next(job);
    return job.promise;
  }

  private async preloadAll(voiceIds: string[]): Promise<VoicePreloadFailure[]> {
    const startedAt = Date.now();
    const outcomes = await Promise.all(
      voiceIds.map((voiceId) =>
        this.afterStartupJitter(() => this.preload(voiceId)).then(
          () => undefined,
          (error: HamsaError) => ({ voiceId, error }),
        ),
      ),
    );
    const failures = outcomes.filter((outcome) => outcome !== undefined);
    const wasShutDown = this.subscription.closed;
    if (!wasShutDown) {
      const ready = voiceIds.length - failures.length;
      const summary = `preloaded ${ready}/${voiceIds.length} voices in ${Date.now() - startedAt} ms`;
      if (failures.length > 0) this.logger.warn(summary);
      else this.logger.log(summary);
    }
    return failures;
  }

  /**
   * Runs `start` after a random wait of up to `startupJitterMs` (at once, synchronously, when it
   * is 0), so that replicas started together do not all send in the same instant. Shutdown cuts
   * the wait short; `preload()` then rejects with reason `shutdown`.
   */
  private afterStartupJitter(start: () => Promise<void>): Promise<void> {
    const { startupJitterMs } = this.options;
    if (startupJitterMs === 0) return start();
    const wait$ = race(timer(Math.random() * startupJitterMs), this.store.shutdown$);
    return firstValueFrom(wait$, { defaultValue: undefined }).then(start);
  }

  /** One voice's whole preload: attempts, retries, deadline. Never errors. */
  private run(job: PreloadJob): Observable<unknown> {
    return defer(() => {
      const { voiceId } = job;
      const startedAt = Date.now();
      this.store.set({ voiceId, state: 'loading', attempts: 0 });
      const stopOnAuthFailure$ = this.authFailure$.pipe(map((error) => raise(error)));
      // The stop comes first so that, once the key is known bad, no request starts.
      return merge(stopOnAuthFailure$, this.attempts$(job, startedAt)).pipe(
        take(1),
        tap(() => this.succeed(job, startedAt)),
        catchError((error: unknown) => of(this.fail(job, startedAt, toHamsaError(error)))),
      );
    });
  }

  private attempts$({ voiceId, retries }: PreloadJob, startedAt: number): Observable<void> {
    const { requestTimeoutMs, deadlineMs } = this.options;
    return defer(() => {
      this.store.patch(voiceId, { attempts: (this.store.get(voiceId)?.attempts ?? 0) + 1 });
      return preloadAttempt$(this.http, voiceId, requestTimeoutMs, 'Preload');
    }).pipe(
      retry({
        count: retries,
        delay: (error: unknown, retryNumber) =>
          this.backoff$(voiceId, error, retryNumber, startedAt),
      }),
      timeout({
        first: deadlineMs,
        with: () =>
          throwError(() => voiceTimeoutError('Preload', voiceId, 'deadlineMs', deadlineMs)),
      }),
    );
  }

  /** The wait before a retry, or the error itself when it must not (or cannot in time) be retried. */
  private backoff$(voiceId: string, error: unknown, retryNumber: number, startedAt: number) {
    if (!(error instanceof HamsaError) || !error.retryable) return throwError(() => error);
    const waitMs = backoffDelayMs(error, retryNumber, this.options);
    if (Date.now() - startedAt + waitMs > this.options.deadlineMs) return throwError(() => error);
    this.logger.warn(
      `voice ${voiceId}: attempt ${retryNumber} failed (${error.name}: ${error.message}); ` +
        `retrying in ${waitMs} ms`,
    );
    return timer(waitMs);
  }

  private succeed(job: PreloadJob, startedAt: number): void {
    const { voiceId } = job;
    const durationMs = Date.now() - startedAt;
    const attempts = this.store.get(voiceId)?.attempts ?? 0;
    this.store.set({ voiceId, state: 'ready', attempts, readyAt: new Date(), durationMs });
    this.logger.log(`voice ${voiceId} ready in ${durationMs} ms (${attempts} attempt(s))`);
    this.jobs.delete(voiceId);
    job.resolve();
  }

  private fail(job: PreloadJob, startedAt: number, error: HamsaError): void {
    const { voiceId } = job;
    const attempts = this.store.get(voiceId)?.attempts ?? 0;
    this.store.set(failedStatus(voiceId, attempts, Date.now() - startedAt, error), error);
    if (error instanceof HamsaAuthenticationError) this.reportAuthFailure(error);
    else this.logger.error(`voice ${voiceId} failed to preload: ${error.name}: ${error.message}`);
    this.jobs.delete(voiceId);
    job.reject(error);
  }

  /** A rejected key fails every voice with one error: log it once, and stop the rest. */
  private reportAuthFailure(error: HamsaAuthenticationError): void {
    if (this.isKeyRejected) return;
    this.isKeyRejected = true;
    this.logger.error(`Hamsa rejected the API key (${error.status}); no voice will be preloaded`);
    this.authFailure$.next(error);
  }
}

function raise(error: Error): never {
  throw error;
}
