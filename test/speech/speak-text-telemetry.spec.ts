import { describe, expect, it } from '@jest/globals';
import { trace } from '@opentelemetry/api';
import { HamsaTtsService, splitSpeechText } from '../../lib/index.js';
import { useHamsaHarness } from '../support/hamsa-harness.js';
import { points, useOtelSdk } from '../telemetry/otel-sdk.js';
import { collect, voice } from '../tts/tts-harness.js';

const ANSWER = 'أهلا بك في خدمة العملاء الخاصة بنا. Your next bill is due on the 3rd of May.';

describe('HamsaTtsService.speakText() telemetry', () => {
  const harness = useHamsaHarness();
  const otel = useOtelSdk();

  it.each(['websocket', 'stream'] as const)(
    'records a hamsa.tts.speak_text span (%s) with the segment calls as its children',
    async (transport) => {
      const server = await harness.server({ coldStartMs: 0 });
      const app = await harness.start(server, { voiceIds: [voice] });
      const tts = app.moduleRef.get(HamsaTtsService);
      const tracer = trace.getTracer('the-app');

      const parentId = await tracer.startActiveSpan('POST /agent', async (request) => {
        await collect(tts.speakText(ANSWER, { speaker: voice, transport }));
        request.end();
        return request.spanContext().spanId;
      });

      const [speech] = otel.spans().filter((span) => span.name === 'hamsa.tts.speak_text');
      expect(speech.parentSpanContext?.spanId).toBe(parentId);
      expect(speech.attributes['hamsa.tts.segments']).toBe(splitSpeechText(ANSWER).length);
      expect(speech.attributes['hamsa.tts.interrupted']).toBe(false);
      const callName = transport === 'websocket' ? 'hamsa.tts.speak' : 'hamsa.tts.stream';
      const calls = otel.spans().filter((span) => span.name === callName);
      expect(calls).toHaveLength(2);
      for (const call of calls) {
        expect(call.parentSpanContext?.spanId).toBe(speech.spanContext().spanId);
      }
      const firstAudio = points((await otel.metrics()).get('hamsa.tts.time_to_first_audio'));
      const ofSpeech = firstAudio.filter(
        (point) => point.attributes['hamsa.tts.operation'] === 'speak_text',
      );
      expect(ofSpeech.map((point) => (point.value as { count: number }).count)).toEqual([1]);
    },
  );

  it('says interrupted when the caller left the loop', async () => {
    const server = await harness.server({ coldStartMs: 0 });
    const app = await harness.start(server, { voiceIds: [voice] });
    const tts = app.moduleRef.get(HamsaTtsService);

    for await (const _audio of tts.speakText(ANSWER, { speaker: voice })) break;

    const [speech] = otel.spans().filter((span) => span.name === 'hamsa.tts.speak_text');
    expect(speech.attributes['hamsa.tts.interrupted']).toBe(true);
  });
});
