import { Injectable } from '@nestjs/common';
import { type HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { HamsaQuotaExceededError } from '../errors/hamsa-api.error.js';
import { VoiceReadinessService } from '../readiness/voice-readiness.service.js';
import { canonicalVoiceId } from '../voice/voice-id.js';
import { voiceStates } from '../readiness/voice-states.js';
import {
  type HamsaVoiceHealthDetails,
  type HamsaVoiceHealthOptions,
  type HamsaVoiceHealthState,
} from './hamsa-voice-health.interfaces.js';

type HealthIndicatorSession = ReturnType<HealthIndicatorService['check']>;

/**
 * A `@nestjs/terminus` health indicator of the preloaded Hamsa voices, for a readiness probe.
 * It reads readiness state only and never calls Hamsa, so a probe costs nothing upstream.
 *
 * Provide it in the module of your health controller, next to `TerminusModule` and where
 * `VoiceReadinessService` can be injected (that module imports `HamsaVoiceModule`, or it is global).
 *
 * @example
 * ```ts
 * @Get('health/ready')
 * @HealthCheck()
 * ready() {
 *   return this.health.check([() => this.voices.isHealthy()]);
 * }
 * ```
 */
@Injectable()
export class HamsaVoiceHealthIndicator {
  constructor(
    private readonly readiness: VoiceReadinessService,
    private readonly health: HealthIndicatorService,
  ) {}

  /**
   * `up` when every selected voice is ready; `down` while any is pending, loading, failed or
   * unknown, and from the start of application shutdown on (`readiness: 'shutting_down'`).
   * With `allowPartial`, some ready voices are enough: `degraded` (HTTP 200) until all are.
   *
   * @param key The key of the result in the health check's `details`.
   */
  async isHealthy<const Key extends string = 'hamsa-voices'>(
    key: Key = 'hamsa-voices' as Key,
    options: HamsaVoiceHealthOptions = {},
  ): Promise<HealthIndicatorResult<Key>> {
    const details = this.details(options.voiceIds);
    const session = this.health.check(key);
    if (this.readiness.isShuttingDown()) return session.down(verdict('shutting_down', details));
    if (details.ready === details.total) return session.up(verdict('ready', details));
    if (options.allowPartial && details.ready > 0) {
      return degraded(session, verdict('degraded', details)) as HealthIndicatorResult<Key>;
    }
    return session.down(verdict('not_ready', details));
  }

  private details(voiceIds?: string[]): HamsaVoiceHealthDetails {
    const selected = voiceIds
      ? [...new Set(voiceIds.map(canonicalVoiceId))]
      : this.readiness.getRequiredStatuses().map((status) => status.voiceId);
    const voices = voiceStates(this.readiness, selected);
    const ready = Object.values(voices).filter((state) => state === 'ready').length;
    const reasons = this.reasons(selected);
    const coordinator = this.readiness.getCoordinatorState();
    const fallbackRatePerSecond = this.readiness.getCoordinatorFallbackRate();
    return {
      ready,
      total: selected.length,
      voices,
      ...(reasons && { reasons }),
      ...(coordinator && { coordinator }),
      ...(fallbackRatePerSecond !== undefined && { fallbackRatePerSecond }),
    };
  }

  /** `quota` for each selected voice that failed because the quota was spent; none: `undefined`. */
  private reasons(voiceIds: string[]): HamsaVoiceHealthDetails['reasons'] {
    const quota = voiceIds.filter(
      (voiceId) => this.readiness.getStatus(voiceId)?.error?.name === HamsaQuotaExceededError.name,
    );
    if (quota.length === 0) return undefined;
    return Object.fromEntries(quota.map((voiceId) => [voiceId, 'quota' as const]));
  }
}

type Verdict = HamsaVoiceHealthDetails & { readiness: HamsaVoiceHealthState };

function verdict(readiness: HamsaVoiceHealthState, details: HamsaVoiceHealthDetails): Verdict {
  return { readiness, ...details };
}

/** `degraded` exists from @nestjs/terminus 12.1 on (HTTP 200, overall status `degraded`); before, `up`. */
function degraded(session: HealthIndicatorSession, data: Verdict): HealthIndicatorResult {
  const { degraded } = session as { degraded?: (data: Verdict) => HealthIndicatorResult };
  return degraded ? degraded.call(session, data) : session.up(data);
}
