import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { HamsaVoiceHealthIndicator } from 'nestjs-hamsa/terminus';

/**
 * Kubernetes probes: `live` says the process answers and never looks at Hamsa; `ready` says the
 * voices are preloaded, and turns 503 as soon as shutdown begins.
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly voices: HamsaVoiceHealthIndicator,
  ) {}

  /** Liveness (and startup) probe: the event loop runs. A Hamsa outage must not restart pods. */
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness probe: 200 once every configured voice is ready, 503 while loading or shutting down. */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([() => this.voices.isHealthy()]);
  }
}
