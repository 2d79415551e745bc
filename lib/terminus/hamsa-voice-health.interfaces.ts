import { type HamsaCoordinatorState } from '../coordination/hamsa-coordinator.interface.js';
import { type VoiceStates } from '../voice/voice-status.interface.js';

/** What `HamsaVoiceHealthIndicator.isHealthy()` checks. */
export interface HamsaVoiceHealthOptions {
  /** Voices to check. Default: every voice the module knows (configured or preloaded at run time). */
  voiceIds?: string[];
  /**
   * Report `degraded` (still HTTP 200) instead of `down` while at least one selected voice is
   * ready and others are not. Default `false`: every selected voice must be ready.
   */
  allowPartial?: boolean;
}

/**
 * The indicator's verdict, in its result as `readiness`: `ready` (status `up`), `degraded`
 * (status `degraded`, or `up` before @nestjs/terminus 12.1), `not_ready` and `shutting_down`
 * (status `down`).
 */
export type HamsaVoiceHealthState = 'ready' | 'degraded' | 'not_ready' | 'shutting_down';

/** Why a voice failed, as the indicator's `reasons` detail says it. */
export type HamsaVoiceFailureReason = 'quota';

/**
 * The data of the indicator's result, besides `status` and `readiness`. (A type, not an
 * interface: terminus takes only data with an index signature.)
 */
export type HamsaVoiceHealthDetails = {
  /** How many selected voices are ready. */
  ready: number;
  /** How many voices were selected. */
  total: number;
  /** The state of each selected voice; `unknown` for one the module was never asked to preload. */
  voices: VoiceStates;
  /**
   * Why failed voices failed, where that tells an operator what to do: `quota` for a voice
   * stopped because the account's quota or wallet was spent (top it up; configured voices are
   * preloaded again in the background). Present only when one such voice is selected.
   */
  reasons?: Record<string, HamsaVoiceFailureReason>;
  /**
   * With a `coordinator` option: whether replicas coordinate (`connected`) or this one acts alone
   * (`degraded`). Informative only: a coordinator's outage never fails readiness.
   */
  coordinator?: HamsaCoordinatorState;
  /**
   * With a coordinator that has one (`RedisHamsaCoordinator` with `rateLimitPerSecond`): the
   * preload requests per second this replica allows itself while the coordinator is `degraded`,
   * `rateLimitPerSecond / fleetSize`.
   */
  fallbackRatePerSecond?: number;
};
