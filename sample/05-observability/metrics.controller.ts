import { Controller, Get, Header } from '@nestjs/common';
import { Metrics, PROMETHEUS_CONTENT_TYPE } from './metrics.js';

/** Prometheus' scrape endpoint, on the app's own HTTP server. */
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  /** `GET /metrics` → the OpenTelemetry metrics in Prometheus' text format. */
  @Get()
  @Header('Content-Type', PROMETHEUS_CONTENT_TYPE)
  scrape(): Promise<string> {
    return this.metrics.scrape();
  }
}
