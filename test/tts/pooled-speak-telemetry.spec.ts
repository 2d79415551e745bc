import { describe, expect, it } from '@jest/globals';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { HamsaTtsService } from '../../lib/index.js';
import { useHamsaHarness } from '../support/hamsa-harness.js';
import { points, useOtelSdk } from '../telemetry/otel-sdk.js';
import { collect, text, voice } from './tts-harness.js';

describe('HamsaTtsService.speak() telemetry', () => {
  const harness = useHamsaHarness();
  const otel = useOtelSdk();

  it('records one hamsa.tts.speak call per utterance, however many sessions it was asked on', async () => {
    const server = await harness.server({ coldStartMs: 0 });
    const app = await harness.start(server, { voiceIds: [voice] });
    const tts = app.moduleRef.get(HamsaTtsService);
    server.scriptTts(voice, { closeCode: 4500 });
    const tracer = trace.getTracer('the-app');

    const parentId = await tracer.startActiveSpan('GET /speak', async (request) => {
      await collect(tts.speak({ text, speaker: voice }));
      request.end();
      return request.spanContext().spanId;
    });

    const spans = otel.spans().filter((span) => span.name === 'hamsa.tts.speak');
    expect(spans).toHaveLength(1);
    expect(spans[0].attributes['hamsa.tts.transport']).toBe('websocket');
    expect(spans[0].status.code).not.toBe(SpanStatusCode.ERROR);
    expect(spans[0].parentSpanContext?.spanId).toBe(parentId);
    const recorded = await otel.metrics();
    const durations = points(recorded.get('hamsa.tts.duration'));
    expect(durations.map((point) => (point.value as { count: number }).count)).toEqual([1]);
  });

  it('records utterances of a pooled session handed to openSession() as the session’s own', async () => {
    const server = await harness.server({ coldStartMs: 0 });
    const app = await harness.start(server, { voiceIds: [voice] });
    const tts = app.moduleRef.get(HamsaTtsService);
    await collect(tts.speak({ text, speaker: voice }));

    const session = await tts.openSession();
    await collect(session.speak({ text, speaker: voice }));
    await session.close();

    expect(otel.spans().filter((span) => span.name === 'hamsa.tts.speak')).toHaveLength(2);
  });
});
