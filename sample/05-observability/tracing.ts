import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  ConsoleSpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

/**
 * The app's OpenTelemetry traces: a global `TracerProvider` that prints every finished span
 * (nestjs-hamsa's `hamsa.voice.preload`, `hamsa.tts.*`) on stdout. In production, swap the
 * `ConsoleSpanExporter` for an OTLP exporter and the `SimpleSpanProcessor` for a
 * `BatchSpanProcessor`.
 *
 * The context manager links a TTS call's span to the request's span, when the app has one.
 * Both are unregistered at shutdown, so that the next app in the same process can register its own.
 */
@Injectable()
export class Tracing implements OnApplicationShutdown {
  private readonly provider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(new ConsoleSpanExporter())],
  });

  constructor() {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    trace.setGlobalTracerProvider(this.provider);
  }

  async onApplicationShutdown(): Promise<void> {
    trace.disable();
    context.disable();
    await this.provider.shutdown();
  }
}
