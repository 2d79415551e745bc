import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { metrics, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { type HistogramMetricData } from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { HamsaTtsService } from '../../lib/index.js';
import { PACKAGE_VERSION } from '../../lib/telemetry/telemetry.constants.js';
import { fakeVoiceId } from '../../lib/testing/index.js';
import { settled, useHamsaHarness } from '../support/hamsa-harness.js';
import { collect, text } from '../tts/tts-harness.js';
import { points, useOtelSdk } from './otel-sdk.js';

const [voiceA, voiceB] = [1, 2].map(fakeVoiceId);

describe('OpenTelemetry metrics and spans', () => {
  const harness = useHamsaHarness();
  const otel = useOtelSdk();

  it('records a successful boot: preload durations, attempts, voice states and spans', async () => {
    const server = await harness.server();
    await harness.start(server, { voiceIds: [voiceA, voiceB] });

    const recorded = await otel.metrics();
    const durations = points(recorded.get('hamsa.voice.preload.duration'));
    expect(recorded.get('hamsa.voice.preload.duration')?.descriptor.unit).toBe('s');
    expect(durations.map((point) => point.attributes)).toEqual(
      expect.arrayContaining([
        { 'hamsa.voice.id': voiceA, 'hamsa.preload.outcome': 'ready' },
        { 'hamsa.voice.id': voiceB, 'hamsa.preload.outcome': 'ready' },
      ]),
    );
    expect(points(recorded.get('hamsa.voice.preload.attempts'))).toEqual([
      expect.objectContaining({ attributes: { 'http.response.status_code': 200 }, value: 2 }),
    ]);
    const states = points(recorded.get('hamsa.voices')).map((p) => [
      p.attributes['hamsa.voice.state'],
      p.value,
    ]);
    expect(new Map(states as [string, number][])).toEqual(
      new Map([
        ['pending', 0],
        ['loading', 0],
        ['ready', 2],
        ['failed', 0],
      ]),
    );
    const spans = otel.spans().filter((span) => span.name === 'hamsa.voice.preload');
    expect(spans.map((span) => span.attributes)).toEqual(
      expect.arrayContaining([
        { 'hamsa.voice.id': voiceA, 'hamsa.preload.attempts': 1 },
        { 'hamsa.voice.id': voiceB, 'hamsa.preload.attempts': 1 },
      ]),
    );
    expect(spans[0].kind).toBe(SpanKind.CLIENT);
    expect(spans[0].instrumentationScope).toEqual(
      expect.objectContaining({ name: 'nestjs-hamsa', version: PACKAGE_VERSION }),
    );
  });

  it('records a failed voice with retries: each attempt, a retry event each, status ERROR', async () => {
    const server = await harness.server();
    server.script(voiceA, { status: 503 }, { status: 503 }, { status: 503 });
    await harness.start(server, {
      voiceIds: [voiceA],
      retries: 2,
      retryDelayMs: 1,
      failOnError: false,
      recoveryDelayMs: 0,
    });

    const recorded = await otel.metrics();
    expect(points(recorded.get('hamsa.voice.preload.attempts'))).toEqual([
      expect.objectContaining({
        attributes: { 'http.response.status_code': 503, 'error.type': 'HamsaServerError' },
        value: 3,
      }),
    ]);
    expect(points(recorded.get('hamsa.voice.preload.duration'))).toEqual([
      expect.objectContaining({
        attributes: {
          'hamsa.voice.id': voiceA,
          'hamsa.preload.outcome': 'failed',
          'error.type': 'HamsaServerError',
        },
      }),
    ]);
    const [span] = otel.spans().filter((s) => s.name === 'hamsa.voice.preload');
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes).toMatchObject({ 'hamsa.preload.attempts': 3 });
    const retries = span.events.filter((event) => event.name === 'retry');
    expect(retries.map((event) => event.attributes?.['hamsa.preload.retry'])).toEqual([1, 2]);
    expect(retries[0].attributes?.['hamsa.preload.wait_ms']).toEqual(expect.any(Number));
    expect(span.events.map((event) => event.name)).toContain('exception');
  });

  it('records each TTS transport: a CLIENT span, duration and time to first audio', async () => {
    const server = await harness.server({ coldStartMs: 0 });
    const app = await harness.start(server, { voiceIds: [voiceA] });
    const tts = app.moduleRef.get(HamsaTtsService);

    await tts.synthesize({ text, speaker: voiceA });
    await collect(tts.stream({ text, speaker: voiceA }));
    const session = await tts.openSession();
    await collect(session.speak({ text, speaker: voiceA }));
    await session.close();

    const names = ['hamsa.tts.synthesize', 'hamsa.tts.stream', 'hamsa.tts.speak'];
    const spans = otel.spans().filter((span) => names.includes(span.name));
    expect(spans.map((span) => [span.name, span.attributes['hamsa.tts.transport']])).toEqual([
      ['hamsa.tts.synthesize', 'rest'],
      ['hamsa.tts.stream', 'stream'],
      ['hamsa.tts.speak', 'websocket'],
    ]);
    for (const span of spans) expect(span.kind).toBe(SpanKind.CLIENT);
    const recorded = await otel.metrics();
    for (const name of ['hamsa.tts.duration', 'hamsa.tts.time_to_first_audio']) {
      const byTransport = points(recorded.get(name)).map((point) => [
        point.attributes,
        (point.value as { count: number }).count,
      ]);
      expect(byTransport).toEqual(
        expect.arrayContaining([
          [{ 'hamsa.tts.transport': 'rest' }, 1],
          [{ 'hamsa.tts.transport': 'stream' }, 1],
          [{ 'hamsa.tts.transport': 'websocket' }, 1],
        ]),
      );
    }
  });

  it('records TTS spans from a tracer provider registered after the module started', async () => {
    // Nothing registered when the module starts: a TTS call has nothing to record then.
    metrics.disable();
    trace.disable();
    const server = await harness.server({ coldStartMs: 0 });
    const app = await harness.start(server, { voiceIds: [voiceA] });
    const tts = app.moduleRef.get(HamsaTtsService);
    await collect(tts.stream({ text, speaker: voiceA }));
    const exporter = new InMemorySpanExporter();
    const late = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    trace.setGlobalTracerProvider(late);

    try {
      await collect(tts.stream({ text, speaker: voiceA }));
      expect(exporter.getFinishedSpans().map((span) => span.name)).toEqual(['hamsa.tts.stream']);
    } finally {
      trace.disable();
      await late.shutdown();
    }
  });

  it('makes TTS spans children of the span active when the call is made', async () => {
    const server = await harness.server({ coldStartMs: 0 });
    const app = await harness.start(server, { voiceIds: [voiceA] });
    const tts = app.moduleRef.get(HamsaTtsService);
    const tracer = trace.getTracer('the-app');

    const parentId = await tracer.startActiveSpan('GET /speak', async (request) => {
      await tts.synthesize({ text, speaker: voiceA });
      const stream = tts.stream({ text, speaker: 'Amjad' });
      await collect(stream);
      request.end();
      return request.spanContext().spanId;
    });

    const children = otel.spans().filter((span) => span.name.startsWith('hamsa.tts.'));
    expect(children).toHaveLength(2);
    for (const child of children) expect(child.parentSpanContext?.spanId).toBe(parentId);
  });

  it('records a failed TTS call with its error type, and the API key in no datum', async () => {
    const server = await harness.server({ coldStartMs: 0 });
    const app = await harness.start(server, { voiceIds: [voiceA], retries: 0 });
    const tts = app.moduleRef.get(HamsaTtsService);
    server.scriptTts(voiceA, { status: 500, body: `boom ${server.apiKey}` });

    expect(await settled(tts.synthesize({ text, speaker: voiceA }))).toMatchObject({
      name: 'HamsaServerError',
    });
    // A key Hamsa rejects: every voice fails with HamsaAuthenticationError, recorded without it.
    const wrongKey = 'sk-wrong-key-never-exported';
    await harness.start(server, { apiKey: wrongKey, voiceIds: [voiceB], failOnError: false });

    const recorded = await otel.metrics();
    const failed = points(recorded.get('hamsa.tts.duration')).find(
      (point) => point.attributes['error.type'],
    );
    expect(failed?.attributes).toEqual({
      'hamsa.tts.transport': 'rest',
      'error.type': 'HamsaServerError',
    });
    const everything = JSON.stringify({
      metrics: [...recorded.values()],
      spans: otel.spans().map(({ name, attributes, events, status, links }) => ({
        name,
        attributes,
        events,
        status,
        links,
      })),
    });
    expect(everything).toContain('HamsaServerError');
    expect(everything).toContain('HamsaAuthenticationError');
    expect(everything).not.toContain(server.apiKey);
    expect(everything).not.toContain(wrongKey);
  });

  it('keeps metric attributes bounded under 1,000 distinct unknown speakers', async () => {
    const server = await harness.server({ voiceIds: [voiceA], coldStartMs: 0 });
    const app = await harness.start(server, { voiceIds: [voiceA] });
    const tts = app.moduleRef.get(HamsaTtsService);
    const speakers = Array.from({ length: 1000 }, (_, i) => fakeVoiceId(1000 + i));

    for (let i = 0; i < speakers.length; i += 50) {
      await Promise.all(
        speakers.slice(i, i + 50).map((speaker) => settled(tts.synthesize({ text, speaker }))),
      );
    }

    const recorded = await otel.metrics();
    const voiceIds = new Set(
      points(recorded.get('hamsa.voice.preload.duration')).map(
        (point) => point.attributes['hamsa.voice.id'],
      ),
    );
    expect(voiceIds).toEqual(new Set([voiceA, 'other']));
    const other = (recorded.get('hamsa.voice.preload.duration') as HistogramMetricData).dataPoints
      .filter((point) => point.attributes['hamsa.voice.id'] === 'other')
      .reduce((sum, point) => sum + point.value.count, 0);
    expect(other).toBeGreaterThan(0);
    for (const metric of recorded.values()) expect(metric.dataPoints.length).toBeLessThan(10);
    const serialised = JSON.stringify([...recorded.values()]);
    for (const speaker of speakers) expect(serialised).not.toContain(speaker);
  }, 30_000);

  it('names the meter and the tracer with the package version', () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(PACKAGE_VERSION).toBe(version);
  });
});
