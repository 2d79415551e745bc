import { type Logger } from '@nestjs/common';
import { escapeForLog } from '../voice/escape-for-log.js';
import { ACTING_ALONE, OWN_LEASE } from './acting-alone.js';
import {
  type HamsaCoordinator,
  type HamsaCoordinatorState,
  type PreloadClaim,
  type PreloadLease,
} from './hamsa-coordinator.interface.js';

type CoordinatorCall =
  'takeToken' | 'claimPreload' | 'claimRefresh' | 'reportRateLimited' | 'settle' | 'close';

/**
 * A custom coordinator held to its contract ("never fails the module"): a call that throws or
 * rejects, other than with the caller's aborted signal, is answered as if this replica acted
 * alone (a token at once, its own lease, a refresh to do), and logged once per method, escaped.
 * Without this, a rejecting `claimRefresh` or `settle` would be an unhandled rejection.
 */
export class GuardedCoordinator implements HamsaCoordinator {
  private readonly reported = new Set<CoordinatorCall>();

  constructor(
    private readonly coordinator: HamsaCoordinator,
    private readonly logger: Logger,
  ) {}

  get state(): HamsaCoordinatorState {
    return this.coordinator.state;
  }

  get fallbackRatePerSecond(): number | undefined {
    return this.coordinator.fallbackRatePerSecond;
  }

  takeToken(voiceId: string, signal: AbortSignal): Promise<void> {
    return this.guard(
      'takeToken',
      () => this.coordinator.takeToken(voiceId, signal),
      () => ACTING_ALONE.takeToken(voiceId, signal),
      signal,
    );
  }

  async claimPreload(
    voiceId: string,
    attemptTimeoutMs: number,
    signal: AbortSignal,
  ): Promise<PreloadClaim> {
    const claim = await this.guard(
      'claimPreload',
      () => this.coordinator.claimPreload(voiceId, attemptTimeoutMs, signal),
      () => Promise.resolve(OWN_LEASE),
      signal,
    );
    if (claim === 'preloaded') return claim;
    return typeof claim?.settle === 'function' ? this.guardedLease(claim) : OWN_LEASE;
  }

  claimRefresh(voiceId: string, refreshIntervalMs: number): Promise<boolean> {
    return this.guard(
      'claimRefresh',
      () => this.coordinator.claimRefresh(voiceId, refreshIntervalMs),
      () => ACTING_ALONE.claimRefresh(voiceId, refreshIntervalMs),
    );
  }

  /** Forwards to the coordinator's method, if it has one; a throw or rejection is logged once. */
  reportRateLimited(voiceId: string, retryAfterMs: number | undefined): void {
    void this.guard(
      'reportRateLimited',
      async () => this.coordinator.reportRateLimited?.(voiceId, retryAfterMs),
      () => Promise.resolve(),
    );
  }

  close(): Promise<void> {
    return this.guard(
      'close',
      () => this.coordinator.close(),
      () => ACTING_ALONE.close(),
    );
  }

  private guardedLease(lease: PreloadLease): PreloadLease {
    return {
      settle: (succeeded) =>
        this.guard(
          'settle',
          () => lease.settle(succeeded),
          () => OWN_LEASE.settle(succeeded),
        ),
    };
  }

  /** `call()`, or `alone()` when it throws or rejects (but the signal's own abort goes through). */
  private async guard<T>(
    method: CoordinatorCall,
    call: () => Promise<T>,
    alone: () => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      this.report(method, error);
      return alone();
    }
  }

  private report(method: CoordinatorCall, error: unknown): void {
    if (this.reported.has(method)) return;
    this.reported.add(method);
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    this.logger.warn(
      `coordinator ${method}() failed (${escapeForLog(reason)}); this replica acts alone for ` +
        'such calls when it fails (logged once)',
    );
  }
}
