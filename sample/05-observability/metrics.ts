import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { metrics } from '@opentelemetry/api';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';

/** nestjs-hamsa's histograms whose unit is the second. */
const SECONDS_HISTOGRAMS = [
  'hamsa.voice.preload.duration',
  'hamsa.tts.duration',
  'hamsa.tts.time_to_first_audio',
];

/**
 * Views that name each histogram in seconds with its unit, as Prometheus names do
 * (`hamsa_voice_preload_duration_seconds_bucket`): the exporter (0.223) does not add the unit
 * itself, as an OTLP pipeline into Prometheus would.
 */
function inSeconds() {
  return SECONDS_HISTOGRAMS.map((name) => ({ instrumentName: name, name: `${name}.seconds` }));
}

/** The content type of Prometheus' text exposition format. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * The app's OpenTelemetry metrics: a `MeterProvider` registered as the global one, so that
 * nestjs-hamsa, which takes its meter from the global API at module init, records into it; read in
 * Prometheus' text format by `GET /metrics`, on the app's own port.
 *
 * It registers when Nest creates it, before any `onModuleInit`: a meter taken from the API before a
 * provider is registered stays a no-op. It unregisters at shutdown, so that the next app in the same
 * process (the tests start several) can register its own.
 */
@Injectable()
export class Metrics implements OnApplicationShutdown {
  // Collected on demand, by scrape(): no server of its own, no timer.
  private readonly exporter = new PrometheusExporter({ preventServerStart: true });
  private readonly serializer = new PrometheusSerializer();
  private readonly provider = new MeterProvider({ readers: [this.exporter], views: inSeconds() });

  constructor() {
    if (!metrics.setGlobalMeterProvider(this.provider)) {
      throw new Error(
        'A global OpenTelemetry MeterProvider is already registered: is another app still running in this process?',
      );
    }
  }

  /** Every metric recorded so far, in Prometheus' text format. */
  async scrape(): Promise<string> {
    const { resourceMetrics } = await this.exporter.collect();
    return this.serializer.serialize(resourceMetrics);
  }

  async onApplicationShutdown(): Promise<void> {
    metrics.disable();
    await this.provider.shutdown();
  }
}
