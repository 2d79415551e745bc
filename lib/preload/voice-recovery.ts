import { backoffMs } from '../gateway/backoff.js';
import { type Subscription } from 'rxjs';
import { HamsaQuotaExceededError } from '../errors/hamsa-api.error.js';
import { type HamsaError } from '../errors/hamsa.error.js';
import { type ResolvedHamsaVoiceOptions } from '../options/resolved-options.js';
import { type VoiceStatusStore } from '../state/voice-status.store.js';
import { type VoiceStatus } from '../voice/voice-status.interface.js';
import { VoiceTimers } from './voice-timers.js';

/** The longest wait between two background recoveries of one voice (unless `recoveryDelayMs` is longer). */
const MAX_RECOVERY_DELAY_MS = 5 * 60_000;

/**
 * Background recovery (`recoveryDelayMs` > 0): a configured or runtime voice that failed with a
 * retryable error, or because the account's quota was spent (a wallet gets topped up), is
 * preloaded again after `recoveryDelayMs`, the wait doubling up to 5 minutes, until it is ready
 * or the application shuts down. Failures that cannot heal (400, 401/403, 404, a wrong endpoint)
 * and on-demand voices are left alone. Owned by `VoicePreloader`, which starts it once bootstrap
 * has not failed and stops it at shutdown.
 */
export class VoiceRecovery {
  private readonly timers = new VoiceTimers();
  /** Recoveries in a row per voice, for the doubling wait; reset when the voice is ready. */
  private readonly rounds = new Map<string, number>();
  private subscription?: Subscription;

  constructor(
    private readonly store: VoiceStatusStore,
    private readonly options: ResolvedHamsaVoiceOptions,
    private readonly preload: (voiceId: string) => Promise<void>,
  ) {}

  /** Watches transitions from now on, and schedules the voices already failed. */
  start(): void {
    if (this.options.recoveryDelayMs === 0 || this.subscription || this.store.isShuttingDown) {
      return;
    }
    this.subscription = this.store.changes$.subscribe((status) => this.onTransition(status));
    for (const status of this.store.all()) this.onTransition(status);
  }

  stop(): void {
    this.subscription?.unsubscribe();
    this.timers.clear();
  }

  private onTransition({ voiceId, state, source }: VoiceStatus): void {
    if (source === 'on-demand') return;
    this.timers.cancel(voiceId);
    if (state === 'ready') this.rounds.delete(voiceId);
    if (state === 'failed' && healsWithTime(this.store.failureOf(voiceId))) this.schedule(voiceId);
  }

  private schedule(voiceId: string): void {
    const round = (this.rounds.get(voiceId) ?? 0) + 1;
    this.rounds.set(voiceId, round);
    const { recoveryDelayMs } = this.options;
    const cap = Math.max(recoveryDelayMs, MAX_RECOVERY_DELAY_MS);
    const delayMs = backoffMs(round, { baseMs: recoveryDelayMs, capMs: cap, jitter: 0 });
    // A failure lands in the voice's status (and schedules the next round): nothing to catch here.
    this.timers.schedule(voiceId, delayMs, () => void this.preload(voiceId).catch(() => undefined));
  }
}

/** Whether a failure may be gone later without a change on this side. */
function healsWithTime(error: HamsaError | undefined): boolean {
  return error !== undefined && (error.retryable || error instanceof HamsaQuotaExceededError);
}
