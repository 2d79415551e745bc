// First: node:http is patched before any module graph imports it (see http-instrumentation.ts).
import { httpInstrumentation } from './http-instrumentation.js';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { SpanKind, trace } from '@opentelemetry/api';
import { type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { useOtelSdk } from './otel-sdk.js';

const { HamsaTtsService } = await import('../../lib/index.js');
const { fakeVoiceId } = await import('../../lib/testing/index.js');
const { useHamsaHarness } = await import('../support/hamsa-harness.js');
const { collect, text } = await import('../tts/tts-harness.js');

const voiceA = fakeVoiceId(1);

describe('HTTP client spans (@opentelemetry/instrumentation-http) nest in the module spans', () => {
  const harness = useHamsaHarness();
  const otel = useOtelSdk();

  beforeEach(() => {
    // The SDK's tracer provider is a fresh one in each test (useOtelSdk).
    httpInstrumentation.setTracerProvider(trace.getTracerProvider());
  });

  /** The HTTP client spans the instrumentation recorded (the fake's server spans left out). */
  function httpClientSpans(): ReadableSpan[] {
    return otel
      .spans()
      .filter(
        (span) =>
          span.instrumentationScope.name === '@opentelemetry/instrumentation-http' &&
          span.kind === SpanKind.CLIENT,
      );
  }

  /** The one finished span named `name`. */
  function only(name: string): ReadableSpan {
    const spans = otel.spans().filter((span) => span.name === name);
    expect(spans).toHaveLength(1);
    return spans[0];
  }

  /** The HTTP client spans whose parent is `parent`. */
  function childrenOf(parent: ReadableSpan): ReadableSpan[] {
    const { spanId, traceId } = parent.spanContext();
    return httpClientSpans().filter(
      (span) => span.parentSpanContext?.spanId === spanId && span.spanContext().traceId === traceId,
    );
  }

  it("parents each preload request's HTTP span by its hamsa.voice.preload span", async () => {
    const server = await harness.server();
    server.script(voiceA, { status: 503 });
    await harness.start(server, { voiceIds: [voiceA], retries: 1 });

    const preload = only('hamsa.voice.preload');
    // Both attempts (503, then 200): two requests, two children, no other HTTP client span.
    expect(server.requests).toHaveLength(2);
    expect(childrenOf(preload)).toHaveLength(2);
    expect(httpClientSpans()).toHaveLength(2);
  });

  it("parents a synthesize() request's HTTP span by its hamsa.tts.synthesize span", async () => {
    const server = await harness.server({ coldStartMs: 0 });
    const app = await harness.start(server, { voiceIds: [voiceA] });
    const tts = app.moduleRef.get(HamsaTtsService);

    await tts.synthesize({ text, speaker: voiceA });

    const synthesize = only('hamsa.tts.synthesize');
    expect(childrenOf(synthesize)).toHaveLength(1);
    expect(childrenOf(only('hamsa.voice.preload'))).toHaveLength(1);
    expect(httpClientSpans()).toHaveLength(2);
  });

  it("parents a stream() request's HTTP span by its hamsa.tts.stream span, also on a retry", async () => {
    const server = await harness.server({ coldStartMs: 0 });
    const app = await harness.start(server, { voiceIds: [voiceA], retries: 1 });
    const tts = app.moduleRef.get(HamsaTtsService);
    server.scriptTts(voiceA, { status: 503 });

    await collect(tts.stream({ text, speaker: voiceA }));

    const stream = only('hamsa.tts.stream');
    expect(server.ttsCalls).toHaveLength(2);
    expect(childrenOf(stream)).toHaveLength(2);
    expect(httpClientSpans()).toHaveLength(3);
  });
});
