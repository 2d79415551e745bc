import { afterAll, beforeAll, beforeEach } from '@jest/globals';
import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  type DataPoint,
  MeterProvider,
  MetricReader,
  type MetricData,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

/** A reader that exports nothing: the test collects on demand. */
class CollectingReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

/** The OpenTelemetry SDK registered globally for one test file, as an app would register it. */
export interface OtelSdk {
  /** Every metric recorded so far (cumulative), by name. */
  metrics(): Promise<Map<string, MetricData>>;
  /** Every span ended so far. */
  spans(): ReadableSpan[];
}

/**
 * Registers a meter provider, a tracer provider (spans kept in memory) and an AsyncLocalStorage
 * context manager before the file's tests, and a fresh one of each before every test (so that
 * each test reads only its own data); unregisters them after.
 */
export function useOtelSdk(): OtelSdk {
  let reader: CollectingReader;
  let exporter: InMemorySpanExporter;
  let meterProvider: MeterProvider;
  let tracerProvider: BasicTracerProvider;

  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  });
  beforeEach(async () => {
    metrics.disable();
    trace.disable();
    await meterProvider?.shutdown();
    await tracerProvider?.shutdown();
    reader = new CollectingReader();
    meterProvider = new MeterProvider({ readers: [reader] });
    exporter = new InMemorySpanExporter();
    tracerProvider = new BasicTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    metrics.setGlobalMeterProvider(meterProvider);
    trace.setGlobalTracerProvider(tracerProvider);
  });
  afterAll(async () => {
    metrics.disable();
    trace.disable();
    context.disable();
    await meterProvider?.shutdown();
    await tracerProvider?.shutdown();
  });

  return {
    async metrics() {
      const { resourceMetrics } = await reader.collect();
      const all = resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics);
      return new Map(all.map((metric) => [metric.descriptor.name, metric]));
    },
    spans: () => exporter.getFinishedSpans(),
  };
}

/** The data points of a metric, as `{ attributes, value }`. */
export function points(metric: MetricData | undefined): DataPoint<unknown>[] {
  return (metric?.dataPoints ?? []) as DataPoint<unknown>[];
}
