import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { AsyncSubject, type Observable, Subject } from 'rxjs';
import { type HamsaError } from '../errors/hamsa.error.js';
import { HAMSA_VOICE_RESOLVED_OPTIONS } from '../hamsa-voice.constants.js';
import { type ResolvedHamsaVoiceOptions } from '../options/hamsa-voice-options.interface.js';
import { type VoiceStatus } from './voice-status.interface.js';

/**
 * The readiness state of every known voice, and the stream of its transitions.
 * Written by the preloader only; read by `VoiceReadinessService` and its consumers.
 */
@Injectable()
export class VoiceStatusStore implements OnModuleDestroy {
  private readonly statuses = new Map<string, VoiceStatus>();
  /** The error behind each failed voice, kept whole for `VoicePreloadFailedError.cause`. */
  private readonly failures = new Map<string, HamsaError>();
  private readonly changesSubject = new Subject<VoiceStatus>();
  private readonly shutdownSubject = new AsyncSubject<void>();
  private shuttingDown = false;

  /** Every state transition, as a copy of the voice's new status. */
  readonly changes$: Observable<VoiceStatus> = this.changesSubject.asObservable();
  /** Emits once, and to late subscribers too, when the application shuts down. */
  readonly shutdown$: Observable<void> = this.shutdownSubject.asObservable();

  constructor(@Inject(HAMSA_VOICE_RESOLVED_OPTIONS) options: ResolvedHamsaVoiceOptions) {
    for (const voiceId of options.voiceIds) this.statuses.set(voiceId, pending(voiceId));
  }

  get(voiceId: string): VoiceStatus | undefined {
    const status = this.statuses.get(voiceId);
    return status && copy(status);
  }

  all(): VoiceStatus[] {
    return [...this.statuses.values()].map(copy);
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /** The error that made a voice fail, while it is in state `failed`. */
  failureOf(voiceId: string): HamsaError | undefined {
    return this.failures.get(voiceId);
  }

  /**
   * Replaces a voice's status (adding the voice when new) and announces the transition.
   * `failure` is the error behind a `failed` status.
   */
  set(status: VoiceStatus, failure?: HamsaError): void {
    if (failure) this.failures.set(status.voiceId, failure);
    else this.failures.delete(status.voiceId);
    this.statuses.set(status.voiceId, status);
    this.changesSubject.next(copy(status));
  }

  /** Updates fields of a known voice that are not a transition (the attempt count), silently. */
  patch(voiceId: string, fields: Partial<VoiceStatus>): void {
    const status = this.statuses.get(voiceId);
    if (status) this.statuses.set(voiceId, { ...status, ...fields });
  }

  onModuleDestroy(): void {
    this.shuttingDown = true;
    this.shutdownSubject.next();
    this.shutdownSubject.complete();
    this.changesSubject.complete();
  }
}

/** The status of a voice that is known but whose preload has not started. */
export function pending(voiceId: string): VoiceStatus {
  return { voiceId, state: 'pending', attempts: 0 };
}

function copy(status: VoiceStatus): VoiceStatus {
  return status.error ? { ...status, error: { ...status.error } } : { ...status };
}
