import { HamsaCoordination } from '../coordination/hamsa-coordination.js';
import { type HamsaCoordinatorState } from '../coordination/hamsa-coordinator.interface.js';
import { Injectable } from '@nestjs/common';
import {
  concat,
  defer,
  filter,
  first,
  firstValueFrom,
  forkJoin,
  fromEvent,
  map,
  merge,
  type Observable,
  of,
  timer,
} from 'rxjs';
import { InvalidVoiceIdError } from '../errors/invalid-voice-id.error.js';
import {
  UnknownVoiceError,
  VoiceNotReadyError,
  type VoiceNotReadyReason,
  VoicePreloadFailedError,
} from '../errors/voice-readiness.error.js';
import { VoicePreloader } from '../preload/voice-preloader.js';
import { speakerKind } from '../voice/speaker-kind.js';
import { canonicalVoiceId } from '../voice/voice-id.js';
import { type VoiceStatus } from '../voice/voice-status.interface.js';
import { VoiceStatusStore } from '../state/voice-status.store.js';

/** Bounds on waiting for readiness. */
export interface WhenReadyOptions {
  /** Give up after this many ms with `VoiceNotReadyError`. Default: wait as long as it takes. */
  timeoutMs?: number;
  /** Give up when aborted, with `VoiceNotReadyError`. */
  signal?: AbortSignal;
}

/**
 * Tells any provider whether a cloned voice is preloaded, or waits until it is, before it
 * makes a real-time TTS call. Exported by `HamsaVoiceModule`. Voice IDs are UUIDs and
 * case-insensitive: every method takes either case, and statuses report them in lower case.
 * A built-in speaker's name ("Amjad") needs no preload, so it is always ready; a string that looks
 * meant as a UUID but is not one (`InvalidVoiceIdError`) never is.
 *
 * @example
 * constructor(private readonly voices: VoiceReadinessService) {}
 *
 * async speak(text: string, voiceId: string) {
 *   await this.voices.whenReady(voiceId, { timeoutMs: 5_000 });
 *   // … call /v1/realtime/tts with speaker: voiceId
 * }
 */
@Injectable()
export class VoiceReadinessService {
  /** Every state transition of every voice. Completes when the application shuts down. */
  readonly changes$: Observable<VoiceStatus>;

  /** @internal Nest creates it: inject it, do not construct it. */
  constructor(
    private readonly store: VoiceStatusStore,
    private readonly preloader: VoicePreloader,
    private readonly coordination: HamsaCoordination,
  ) {
    this.changes$ = store.changes$;
  }

  /**
   * Whether the voice is preloaded and safe to use with the real-time APIs; always `true` for a
   * built-in speaker's name, which needs no preload.
   */
  isReady(voiceId: string): boolean {
    const state = this.store.stateOf(canonicalVoiceId(voiceId));
    if (state) return state === 'ready';
    return isSpeakerName(voiceId);
  }

  /**
   * Whether every configured voice (and every one added with `preload()`) is ready; `true` when
   * there are none. Voices that only TTS calls brought in (on-demand) do not count.
   */
  isAllReady(): boolean {
    return this.store.required().every((status) => status.state === 'ready');
  }

  /**
   * Whether the application has begun shutting down (from `onModuleDestroy` on). Health checks
   * read it to report not-ready while the server drains.
   */
  isShuttingDown(): boolean {
    return this.store.isShuttingDown;
  }

  /**
   * Whether replicas coordinate through the `coordinator` option (`connected`) or this one acts
   * alone because the coordinator's store is unreachable (`degraded`); `undefined` without one.
   */
  getCoordinatorState(): HamsaCoordinatorState | undefined {
    return this.coordination.state;
  }

  /**
   * The preload requests per second this replica allows itself while its coordinator is
   * `degraded` (`RedisHamsaCoordinator`: `rateLimitPerSecond / fleetSize`); `undefined` when the
   * coordinator has no such rate.
   */
  getCoordinatorFallbackRate(): number | undefined {
    return this.coordination.fallbackRatePerSecond;
  }

  /** A snapshot of the voice's preload, or `undefined` for a voice never configured nor requested. */
  getStatus(voiceId: string): VoiceStatus | undefined {
    return this.store.get(canonicalVoiceId(voiceId));
  }

  /**
   * Snapshots of every known voice, configured ones first; on-demand voices (speakers of TTS
   * calls, at most `onDemandPreload.maxVoices`) are listed too, with `source: 'on-demand'`.
   */
  getAllStatuses(): VoiceStatus[] {
    return this.store.all();
  }

  /**
   * Snapshots of the voices the application depends on: configured ones and those added with
   * `preload()`, not on-demand ones. Health checks and `@RequireVoices()` without IDs read these.
   */
  getRequiredStatuses(): VoiceStatus[] {
    return this.store.required();
  }

  /**
   * Throws unless the voice is ready (a built-in speaker's name always is).
   *
   * @throws VoiceNotReadyError carrying the voice's current state; `UnknownVoiceError` (a
   * subclass) for a voice never configured nor requested; `InvalidVoiceIdError` for a string that
   * looks meant as a UUID but is not one.
   */
  assertReady(voiceId: string): void {
    const canonical = canonicalVoiceId(voiceId);
    const state = this.store.stateOf(canonical);
    if (!state) {
      const unknown = unknownVoiceError(canonical);
      if (unknown) throw unknown;
    } else if (state !== 'ready') {
      throw new VoiceNotReadyError(canonical, state, 'not_ready');
    }
  }

  /**
   * Resolves when the voice is ready (at once if it is, or is a built-in speaker's name).
   *
   * @throws VoicePreloadFailedError if the voice failed; VoiceNotReadyError on timeout, abort or
   * shutdown (also when called during or after shutdown); UnknownVoiceError for a voice never
   * configured nor requested; InvalidVoiceIdError for a string that looks meant as a UUID but is
   * not one.
   */
  whenReady(voiceId: string, options: WhenReadyOptions = {}): Promise<void> {
    const canonical = canonicalVoiceId(voiceId);
    const state = this.store.stateOf(canonical);
    if (this.store.isShuttingDown) return Promise.reject(this.shutdownError(canonical));
    if (!state) {
      const unknown = unknownVoiceError(canonical);
      return unknown ? Promise.reject(unknown) : Promise.resolve();
    }
    // The common case, before every real-time call: no pipeline to build (measured 0.14 µs, not 7.6).
    if (state === 'ready') return Promise.resolve();
    return firstValueFrom(merge(this.giveUp$([canonical], options), this.settled$(canonical)));
  }

  /**
   * Resolves when every configured voice (and every one added with `preload()`) is ready;
   * rejects as `whenReady` does for the first that cannot. On-demand voices do not count.
   */
  whenAllReady(options: WhenReadyOptions = {}): Promise<void> {
    const voiceIds = this.store.required().map((status) => status.voiceId);
    if (this.store.isShuttingDown) return Promise.reject(this.shutdownError(voiceIds[0]));
    if (voiceIds.length === 0) return Promise.resolve();
    const allSettled$ = forkJoin(voiceIds.map((voiceId) => this.settled$(voiceId)));
    // giveUp$ first: at shutdown it errors before settled$ sees changes$ complete.
    return firstValueFrom(
      merge(this.giveUp$(voiceIds, options), allSettled$).pipe(map(() => undefined)),
    );
  }

  /**
   * Preloads a voice at run time, or tries a failed one again; resolves when it is ready.
   * Concurrent calls for one voice share one request; a ready voice resolves at once.
   *
   * @throws the typed `HamsaError` of the failure (e.g. `HamsaVoiceNotFoundError`),
   * `VoiceNotReadyError` when the application shuts down first, or `InvalidVoiceIdError`, with
   * no request sent, when `voiceId` is not a UUID (built-in speakers need no preload). A voice
   * that a TTS call brought in on demand becomes a runtime voice, counted by readiness checks.
   */
  preload(voiceId: string): Promise<void> {
    return this.preloader.preload(voiceId);
  }

  private shutdownError(voiceId = '(all voices)'): VoiceNotReadyError {
    return new VoiceNotReadyError(voiceId, this.store.get(voiceId)?.state, 'shutdown');
  }

  /** Emits once when the voice is ready; errors with `VoicePreloadFailedError` if it fails. */
  private settled$(voiceId: string): Observable<void> {
    const current$ = defer(() => of(this.store.get(voiceId)));
    const updates$ = this.store.changes$.pipe(filter((status) => status.voiceId === voiceId));
    return concat(current$, updates$).pipe(
      first((status) => status?.state === 'ready' || status?.state === 'failed'),
      map((status) => {
        const failure = this.store.failureOf(voiceId);
        if (status?.state === 'failed' && failure)
          throw new VoicePreloadFailedError(voiceId, failure);
      }),
    );
  }

  /** Errors with `VoiceNotReadyError` on timeout, abort or shutdown, whichever comes first. */
  private giveUp$(voiceIds: string[], { timeoutMs, signal }: WhenReadyOptions): Observable<never> {
    const reasons: Observable<VoiceNotReadyReason>[] = [
      this.store.shutdown$.pipe(map(() => 'shutdown' as const)),
    ];
    if (timeoutMs !== undefined) reasons.push(timer(timeoutMs).pipe(map(() => 'timeout' as const)));
    if (signal?.aborted) reasons.push(of('aborted' as const));
    else if (signal) reasons.push(fromEvent(signal, 'abort').pipe(map(() => 'aborted' as const)));
    return merge(...reasons).pipe(
      map((reason) => {
        const waitingFor = voiceIds.find((voiceId) => !this.isReady(voiceId)) ?? voiceIds[0];
        throw new VoiceNotReadyError(waitingFor, this.store.get(waitingFor)?.state, reason);
      }),
    );
  }
}

/** Whether `voiceId` names a built-in speaker (no preload needed) rather than a cloned voice. */
function isSpeakerName(voiceId: unknown): boolean {
  return typeof voiceId === 'string' && voiceId.trim() !== '' && speakerKind(voiceId) === 'name';
}

/**
 * What the readiness API says of a voice the module does not track: nothing for a built-in
 * speaker's name (it is ready), `InvalidVoiceIdError` for a malformed UUID, else `UnknownVoiceError`.
 */
function unknownVoiceError(voiceId: string): UnknownVoiceError | InvalidVoiceIdError | undefined {
  if (isSpeakerName(voiceId)) return undefined;
  if (typeof voiceId === 'string' && speakerKind(voiceId) === 'malformed-uuid') {
    return new InvalidVoiceIdError(voiceId);
  }
  return new UnknownVoiceError(voiceId);
}
