import { Controller, Get, Header } from '@nestjs/common';
import { PROMETHEUS_CONTENT_TYPE, Telemetry } from './telemetry.js';

/** Prometheus' scrape endpoint, on the app's own HTTP server. */
@Controller('metrics')
export class MetricsController {
  constructor(private readonly telemetry: Telemetry) {}

  /** `GET /metrics` → the OpenTelemetry metrics in Prometheus' text format. */
  @Get()
  @Header('Content-Type', PROMETHEUS_CONTENT_TYPE)
  scrape(): Promise<string> {
    return this.telemetry.scrape();
  }
}
