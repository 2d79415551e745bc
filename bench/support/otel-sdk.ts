import { metrics, trace } from '@opentelemetry/api';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  InMemorySpanExporter,
} from '@opentelemetry/sdk-trace-base';

/** Whether a run records through the OpenTelemetry SDK or through the API's no-ops. */
export type TelemetryMode = 'off' | 'sdk';

/** A reader that exports nothing: the bench collects once, after the measured work. */
class CollectingReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

/** What the SDK recorded while it was registered: proof that the run did not measure no-ops. */
export interface Recorded {
  spans: number;
  metricPoints: number;
}

/**
 * The OpenTelemetry SDK 2.x registered globally, as an application registers it: a
 * `MeterProvider` with a reader that collects, and a `BasicTracerProvider` whose
 * `BatchSpanProcessor` (what `NodeSDK` sets up for an exporter) hands every ended span, in batches,
 * to an `InMemorySpanExporter` that keeps it. Not a `SimpleSpanProcessor`: it exports each span
 * on its own, and this exporter answers each export through a `setTimeout`, a cost per span that
 * no production exporter has.
 */
export class GlobalOtelSdk {
  private readonly reader = new CollectingReader();
  private readonly exporter = new InMemorySpanExporter();
  private readonly meterProvider = new MeterProvider({ readers: [this.reader] });
  private readonly tracerProvider = new BasicTracerProvider({
    spanProcessors: [new BatchSpanProcessor(this.exporter)],
  });

  /** Registers both providers; the API accepts one of each per process until `unregister()`. */
  private constructor() {
    if (!metrics.setGlobalMeterProvider(this.meterProvider))
      throw new Error('a meter provider is registered already');
    if (!trace.setGlobalTracerProvider(this.tracerProvider))
      throw new Error('a tracer provider is registered already');
  }

  /**
   * Runs `run` with telemetry `mode`: for `'sdk'`, between registering a fresh SDK and
   * unregistering it (`disable()`, then shutdown), and checks that the SDK recorded spans and
   * metric points; for `'off'`, with no provider registered. Start the app inside `run`: the
   * module takes its meter and tracer at module init.
   */
  static async run<T>(
    mode: TelemetryMode,
    run: () => Promise<T>,
  ): Promise<{ result: T; recorded?: Recorded }> {
    if (mode === 'off') return { result: await run() };
    const sdk = new GlobalOtelSdk();
    try {
      const result = await run();
      const recorded = await sdk.recorded();
      if (recorded.spans === 0 || recorded.metricPoints === 0) {
        throw new Error(
          `the SDK recorded ${recorded.spans} spans, ${recorded.metricPoints} points`,
        );
      }
      return { result, recorded };
    } finally {
      await sdk.unregister();
    }
  }

  private async recorded(): Promise<Recorded> {
    await this.tracerProvider.forceFlush();
    const { resourceMetrics } = await this.reader.collect();
    const metricPoints = resourceMetrics.scopeMetrics
      .flatMap((scope) => scope.metrics)
      .reduce((sum, metric) => sum + metric.dataPoints.length, 0);
    return { spans: this.exporter.getFinishedSpans().length, metricPoints };
  }

  private async unregister(): Promise<void> {
    metrics.disable();
    trace.disable();
    await this.meterProvider.shutdown();
    await this.tracerProvider.shutdown();
  }
}
