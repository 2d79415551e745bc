import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HamsaVoiceHealthIndicator } from 'nestjs-hamsa/terminus';
import { HealthCheckLogger } from './health-check.logger.js';
import { HealthController } from './health.controller.js';

/**
 * After SIGTERM, how long the server keeps answering (readiness already 503) before it closes, so
 * that load balancers stop sending traffic first; `SHUTDOWN_DELAY_MS` overrides it. Keep it below
 * the pod's `terminationGracePeriodSeconds`.
 */
const DEFAULT_SHUTDOWN_DELAY_MS = 5_000;

/** `GET /health/live` and `GET /health/ready`, and the drain after SIGTERM. */
@Module({
  imports: [
    TerminusModule.forRootAsync({
      useFactory: () => ({
        // Without the error line terminus writes for every failing probe (see HealthCheckLogger).
        logger: new HealthCheckLogger(),
        // Waits on SIGTERM only (not on Ctrl-C), between readiness turning 503 and the server closing.
        gracefulShutdownTimeoutMs: Number(
          process.env.SHUTDOWN_DELAY_MS ?? DEFAULT_SHUTDOWN_DELAY_MS,
        ),
      }),
    }),
  ],
  controllers: [HealthController],
  providers: [HamsaVoiceHealthIndicator],
})
export class HealthModule {}
