import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import {
  HAMSA_VOICE_LOGGER_CONTEXT,
  HAMSA_VOICE_RESOLVED_OPTIONS,
} from '../hamsa-voice.constants.js';
import { type ResolvedHamsaVoiceOptions } from '../options/resolved-options.js';
import { ACTING_ALONE } from './acting-alone.js';
import { GuardedCoordinator } from './guarded-coordinator.js';
import {
  type HamsaCoordinator,
  type HamsaCoordinatorState,
} from './hamsa-coordinator.interface.js';

/**
 * The module's hold on the `coordinator` option: the coordinator preloads and refreshes go
 * through (acting alone without one; guarded, so that a failing call acts alone), its state for
 * health checks, and its closing at shutdown.
 */
@Injectable()
export class HamsaCoordination implements OnApplicationShutdown {
  readonly coordinator: HamsaCoordinator;

  constructor(
    @Inject(HAMSA_VOICE_RESOLVED_OPTIONS) private readonly options: ResolvedHamsaVoiceOptions,
  ) {
    const { coordinator } = options;
    const logger = new Logger(HAMSA_VOICE_LOGGER_CONTEXT);
    this.coordinator = coordinator ? new GuardedCoordinator(coordinator, logger) : ACTING_ALONE;
  }

  /** The configured coordinator's state; `undefined` without one. */
  get state(): HamsaCoordinatorState | undefined {
    return this.options.coordinator?.state;
  }

  /** The configured coordinator's fallback rate, when it has one (see `HamsaCoordinator`). */
  get fallbackRatePerSecond(): number | undefined {
    return this.options.coordinator?.fallbackRatePerSecond;
  }

  onApplicationShutdown(): Promise<void> {
    return this.coordinator.close();
  }
}
