import { type HamsaTtsRequest } from '../../lib/index.js';
import { fakeVoiceId } from '../../lib/testing/index.js';
import { type SectionReport } from '../report/report.interfaces.js';
import { type BenchSettings } from '../support/bench-settings.js';
import { ms, times } from '../support/format.js';
import { measure, median } from '../support/measure.js';
import { RemoteFakeServer } from '../../test/support/fleet/remote-fake-server.js';
import {
  REAL_TIME_STREAMS,
  speechBytes,
  speechText,
  startTtsApp,
  type TtsApp,
} from '../support/tts-streams.js';

const MAX_RATIO = 1.2;

/**
 * 10: `preload()` of a voice never seen, while `streams.besidePreload` streams are open on the
 * same module, against the same `preload()` with nothing else going on; the fake server (preload
 * latency L, streams sent in real time) runs in its own process.
 */
export async function benchPreloadBesideStreams(settings: BenchSettings): Promise<SectionReport> {
  const { seconds, besidePreload: streams, preloadRounds: rounds } = settings.streams;
  const { latencyMs } = settings;
  const text = speechText(seconds);
  const server = await RemoteFakeServer.start({
    ...REAL_TIME_STREAMS,
    latencyMs,
    coldStartMs: 0,
  });
  const speaker = fakeVoiceId(1);
  let nextVoice = 1_000;
  let tts: TtsApp | undefined;
  try {
    tts = await startTtsApp(server, [speaker]);
    const { readiness } = tts;
    const preloadFresh = async () =>
      (await measure(() => readiness.preload(fakeVoiceId(nextVoice++)))).wallMs;
    const besideStreams = () =>
      preloadBesideStreams(tts!, streams, { text, speaker }, preloadFresh);
    // Warm up: the JIT, the preload socket, and the TTS pool's sockets.
    await preloadFresh();
    await besideStreams();
    const alone: number[] = [];
    const beside: number[] = [];
    let streamsEndedFirst = 0;
    for (let round = 0; round < rounds; round++) {
      alone.push(await preloadFresh());
      const run = await besideStreams();
      beside.push(run.preloadMs);
      streamsEndedFirst += run.streamsEndedFirst;
    }
    if (streamsEndedFirst > 0) throw new Error('streams ended before the preload beside them');
    const ratio = median(beside) / median(alone);
    return {
      title: '[preload-beside-streams] Preload beside open streams',
      description:
        `\`preload()\` of a voice never seen, while ${streams} \`stream()\` calls of ${seconds} s ` +
        'of speech are open on the same module (each already received its first chunk), against ' +
        `a \`preload()\` with nothing else going on; the fake server (preload latency ` +
        `L = ${latencyMs} ms, streams sent in real time) runs in its own process. Medians of ` +
        `${rounds} alternating rounds.`,
      table: [
        ['preload()', 'time'],
        ['alone', ms(median(alone))],
        [`beside ${streams} open streams`, ms(median(beside))],
        ['ratio', times(ratio)],
      ],
      targets: [
        {
          name: `[preload-beside-streams] preload() beside ${streams} open streams vs alone`,
          target: `≤ ${MAX_RATIO}×`,
          measured: times(ratio, 3),
          met: ratio <= MAX_RATIO,
        },
      ],
    };
  } finally {
    await tts?.app.close();
    await server.close();
  }
}

/**
 * Opens `count` streams, waits until each has received its first chunk, times `preload` while
 * they are open, then reads them to their end.
 */
async function preloadBesideStreams(
  { tts }: TtsApp,
  count: number,
  request: HamsaTtsRequest,
  preload: () => Promise<number>,
): Promise<{ preloadMs: number; streamsEndedFirst: number }> {
  const expectedBytes = speechBytes(request.text);
  let ended = 0;
  const opened: Promise<void>[] = [];
  const streams = Array.from({ length: count }, () => {
    let onFirstChunk!: () => void;
    opened.push(new Promise<void>((resolve) => (onFirstChunk = resolve)));
    return (async () => {
      let bytes = 0;
      for await (const chunk of tts.stream(request)) {
        if (bytes === 0) onFirstChunk();
        bytes += chunk.length;
      }
      ended++;
      if (bytes !== expectedBytes) throw new Error('a stream was cut short');
    })();
  });
  await Promise.race([Promise.all(opened), Promise.all(streams)]);
  const preloadMs = await preload();
  const streamsEndedFirst = ended;
  await Promise.all(streams);
  return { preloadMs, streamsEndedFirst };
}
