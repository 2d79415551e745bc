import { describe, expect, it } from '@jest/globals';
import { HamsaTtsService, type HamsaVoiceModuleOptions } from '../../lib/index.js';
import { fakeVoiceId } from '../../lib/testing/index.js';
import {
  failOnUnhandledRejections,
  useHamsaHarness,
  waitFor,
  within,
} from '../support/hamsa-harness.js';
import { collect, text } from '../tts/tts-harness.js';

const [voice, other] = [1, 2].map(fakeVoiceId);
const STREAMS = 16;
/** How long the fake waits before answering each stream: they overlap for that long. */
const STREAM_DELAY_MS = 300;

describe('TTS sockets, apart from the preload ones', () => {
  const harness = useHamsaHarness();
  failOnUnhandledRejections('each');

  /** An app with `voice` ready and a fake whose next `STREAMS` streams each wait before answering. */
  async function start(overrides: Partial<HamsaVoiceModuleOptions>) {
    const server = await harness.server({ coldStartMs: 0 });
    const app = await harness.start(server, { voiceIds: [voice], concurrency: 2, ...overrides });
    server.reset();
    for (let i = 0; i < STREAMS; i++) server.scriptTts(voice, { delayMs: STREAM_DELAY_MS });
    return { server, app, tts: app.moduleRef.get(HamsaTtsService) };
  }

  /** Starts `STREAMS` streams, each recording when it ended (`Date.now()`) into `endedAt`. */
  function startStreams(tts: HamsaTtsService, endedAt: number[]): Promise<Buffer[]> {
    return Promise.all(
      Array.from({ length: STREAMS }, () =>
        collect(tts.stream({ text, speaker: voice })).finally(() => endedAt.push(Date.now())),
      ),
    );
  }

  it(`with concurrency 2 and the default tts.maxSockets, has all ${STREAMS} streams in flight at once, and a preload does not wait for them`, async () => {
    const { server, app, tts } = await start({});
    const endedAt: number[] = [];

    const streams = startStreams(tts, endedAt);
    await waitFor(
      () => server.inFlight === STREAMS,
      `all ${STREAMS} streams to reach the fake together`,
    );
    await app.readiness.preload(other);
    const streamsEndedBeforePreload = endedAt.length;
    await within(5_000, 'the streams', streams);

    expect(server.ttsCalls).toHaveLength(STREAMS);
    expect(streamsEndedBeforePreload).toBe(0);
    expect(server.requestsFor(other)).toHaveLength(1);
    expect(server.requestsFor(other)[0].receivedAt).toBeLessThan(Math.min(...endedAt));
    expect(server.peakInFlight).toBe(STREAMS + 1);
  });

  it(`with tts.maxSockets 4, serves the ${STREAMS} streams at most 4 at a time`, async () => {
    const { server, tts } = await start({ tts: { maxSockets: 4 } });
    const endedAt: number[] = [];

    await within(10_000, 'the streams', startStreams(tts, endedAt));

    expect(server.ttsCalls).toHaveLength(STREAMS);
    expect(server.peakInFlight).toBe(4);
    // The fifth request needs a socket, which only a finished stream gives back.
    const firstEnd = Math.min(...endedAt);
    const beforeFirstEnd = server.ttsCalls.filter((call) => call.receivedAt < firstEnd);
    expect(beforeFirstEnd).toHaveLength(4);
  });
});
