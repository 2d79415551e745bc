import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { AsyncSubject, type Observable, Subject } from 'rxjs';
import { type HamsaError } from '../errors/hamsa.error.js';
import { HAMSA_VOICE_RESOLVED_OPTIONS } from '../hamsa-voice.constants.js';
import { type ResolvedHamsaVoiceOptions } from '../options/resolved-options.js';
import {
  type VoiceSource,
  type VoiceState,
  type VoiceStatus,
} from '../voice/voice-status.interface.js';

/** A status as the preloader writes it: the store keeps each voice's `source` itself. */
export type VoiceStatusUpdate = Omit<VoiceStatus, 'source'>;

/** Why a voice failed, and when (`performance.now()`: a clock step must not stretch a TTL). */
interface Failure {
  error: HamsaError;
  at: number;
}

/**
 * The readiness state of every known voice, and the stream of its transitions.
 * Written by the preloader only; read by `VoiceReadinessService` and its consumers.
 *
 * Configured and runtime voices stay for the application's life. On-demand voices (speakers of
 * TTS calls) are a bounded set: at most `onDemandPreload.maxVoices`, the least recently used
 * settled one forgotten first.
 */
@Injectable()
export class VoiceStatusStore implements OnModuleDestroy {
  private readonly statuses = new Map<string, VoiceStatus>();
  /** The error behind each failed voice, kept whole for `VoicePreloadFailedError.cause`. */
  private readonly failures = new Map<string, Failure>();
  /** On-demand voice IDs, least recently used first. */
  private readonly onDemand = new Set<string>();
  private readonly maxOnDemand: number;
  private readonly changesSubject = new Subject<VoiceStatus>();
  private readonly shutdownSubject = new AsyncSubject<void>();
  private shuttingDown = false;

  /** Every state transition, as a copy of the voice's new status. */
  readonly changes$: Observable<VoiceStatus> = this.changesSubject.asObservable();
  /** Emits once, and to late subscribers too, when the application shuts down. */
  readonly shutdown$: Observable<void> = this.shutdownSubject.asObservable();

  constructor(@Inject(HAMSA_VOICE_RESOLVED_OPTIONS) options: ResolvedHamsaVoiceOptions) {
    for (const voiceId of options.voiceIds)
      this.statuses.set(voiceId, pending(voiceId, 'configured'));
    this.maxOnDemand = options.onDemandPreload ? options.onDemandPreload.maxVoices : 0;
  }

  get(voiceId: string): VoiceStatus | undefined {
    const status = this.statuses.get(voiceId);
    return status && copy(status);
  }

  /** The voice's state alone, without copying its status (the readiness hot path). */
  stateOf(voiceId: string): VoiceState | undefined {
    return this.statuses.get(voiceId)?.state;
  }

  /** Every known voice, configured ones first. */
  all(): VoiceStatus[] {
    return [...this.statuses.values()].map(copy);
  }

  /** The voices readiness checks are about: configured and runtime ones, not on-demand ones. */
  required(): VoiceStatus[] {
    return this.all().filter((status) => status.source !== 'on-demand');
  }

  /** How many on-demand voices are tracked now. */
  get onDemandCount(): number {
    return this.onDemand.size;
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /** The error that made a voice fail, while it is in state `failed`. */
  failureOf(voiceId: string): HamsaError | undefined {
    return this.failures.get(voiceId)?.error;
  }

  /** How long ago the voice failed, in ms, while it is in state `failed`. */
  failedForMs(voiceId: string): number | undefined {
    const failure = this.failures.get(voiceId);
    return failure && performance.now() - failure.at;
  }

  /**
   * Starts tracking a voice as `pending` (announced), or makes an on-demand one `runtime` when
   * `preload()` asks for it. An on-demand voice is counted as used. Returns `false`, tracking
   * nothing, when every on-demand slot holds a voice still loading.
   */
  track(voiceId: string, source: 'runtime' | 'on-demand'): boolean {
    const known = this.statuses.get(voiceId);
    if (known) {
      if (known.source === 'on-demand' && source === 'runtime') {
        this.onDemand.delete(voiceId);
        this.statuses.set(voiceId, { ...known, source });
      } else if (known.source === 'on-demand') {
        this.touch(voiceId);
      }
      return true;
    }
    if (source === 'on-demand' && !this.makeRoom()) return false;
    if (source === 'on-demand') this.onDemand.add(voiceId);
    this.announce(pending(voiceId, source));
    return true;
  }

  /** Marks an on-demand voice as just used, so it is forgotten last. */
  touch(voiceId: string): void {
    if (!this.onDemand.delete(voiceId)) return;
    this.onDemand.add(voiceId);
  }

  /**
   * Replaces a tracked voice's status and announces the transition; a voice no longer tracked
   * (an on-demand one forgotten meanwhile) is left out. `failure` is the error behind a `failed`
   * status.
   */
  set(update: VoiceStatusUpdate, failure?: HamsaError): void {
    const known = this.statuses.get(update.voiceId);
    if (!known) return;
    if (failure) this.failures.set(update.voiceId, { error: failure, at: performance.now() });
    else this.failures.delete(update.voiceId);
    this.announce({ ...update, source: known.source });
  }

  /** Updates fields of a known voice that are not a transition (the attempt count), silently. */
  patch(voiceId: string, fields: Partial<VoiceStatusUpdate>): void {
    const status = this.statuses.get(voiceId);
    if (status) this.statuses.set(voiceId, { ...status, ...fields });
  }

  onModuleDestroy(): void {
    this.shuttingDown = true;
    this.shutdownSubject.next();
    this.shutdownSubject.complete();
    this.changesSubject.complete();
  }

  private announce(status: VoiceStatus): void {
    this.statuses.set(status.voiceId, status);
    this.changesSubject.next(copy(status));
  }

  /** Forgets settled on-demand voices, least recently used first, until one more fits. */
  private makeRoom(): boolean {
    for (const voiceId of this.onDemand) {
      if (this.onDemand.size < this.maxOnDemand) return true;
      const state = this.statuses.get(voiceId)?.state;
      if (state === 'ready' || state === 'failed') this.forget(voiceId);
    }
    return this.onDemand.size < this.maxOnDemand;
  }

  private forget(voiceId: string): void {
    this.onDemand.delete(voiceId);
    this.statuses.delete(voiceId);
    this.failures.delete(voiceId);
  }
}

/** The status of a voice that is known but whose preload has not started. */
export function pending(voiceId: string, source: VoiceSource): VoiceStatus {
  return { voiceId, state: 'pending', attempts: 0, source };
}

function copy(status: VoiceStatus): VoiceStatus {
  return status.error ? { ...status, error: { ...status.error } } : { ...status };
}
