import { type HamsaVoiceModuleOptions } from '../../lib/index.js';
import { fakeVoiceId } from '../../lib/testing/index.js';
import { type SectionReport, type TargetCheck } from '../report/report.interfaces.js';
import { type BenchSettings } from '../support/bench-settings.js';
import { ms, times } from '../support/format.js';
import { measure, median } from '../support/measure.js';
import { RemoteFakeServer } from '../../test/support/fleet/remote-fake-server.js';
import {
  drain,
  REAL_TIME_STREAMS,
  speechBytes,
  speechText,
  startTtsApp,
  type TtsApp,
} from '../support/tts-streams.js';

const MAX_RATIO = 1.2;
/** The TTS socket cap before `tts.maxSockets`: preload's `concurrency`, 4 by default. */
const OLD_CAP = 4;

/** One way of configuring the module, and its app. */
interface Setup {
  label: string;
  maxSockets: number;
  isDefault: boolean;
  options: Partial<HamsaVoiceModuleOptions>;
  tts?: TtsApp;
}

/** One point: N streams at once with one setup, its runs reduced to medians (peak: maximum). */
interface StreamsPoint {
  setup: Setup;
  streams: number;
  idealMs: number;
  wallMs: number[];
  cpuMs: number[];
  peakInFlight: number;
}

/**
 * 9: N `stream()` calls at once, each about `streams.seconds` of speech that the fake (in its own
 * process) sends in real time, against one alone: with the default `tts.maxSockets` (64) and with
 * the old cap of 4 sockets (`tts: { maxSockets: 4 }`), side by side in one run.
 */
export async function benchConcurrentStreams(settings: BenchSettings): Promise<SectionReport> {
  const { seconds, counts, oldCapCounts, rounds, roundsBudgetMs } = settings.streams;
  const text = speechText(seconds);
  const expectedBytes = speechBytes(text);
  const streamMs = seconds * 1000;
  const server = await RemoteFakeServer.start({ ...REAL_TIME_STREAMS, coldStartMs: 0 });
  const speaker = fakeVoiceId(1);
  const setups: Setup[] = [
    { label: 'default (`tts.maxSockets` 64)', maxSockets: 64, isDefault: true, options: {} },
    {
      label: `\`tts: { maxSockets: ${OLD_CAP} }\` (the old cap)`,
      maxSockets: OLD_CAP,
      isDefault: false,
      // A call waiting for one of the 4 sockets counts that wait against requestTimeoutMs now:
      // long enough for 64 calls of real-time audio to take turns.
      options: { tts: { maxSockets: OLD_CAP }, requestTimeoutMs: 120_000 },
    },
  ];
  try {
    for (const setup of setups) {
      setup.tts = await startTtsApp(server, [speaker], setup.options);
    }
    const burst = async (setup: Setup, streams: number) => {
      const stream = () => drain(setup.tts!.tts.stream({ text, speaker }));
      let sizes: number[] = [];
      await server.stats();
      const { wallMs, cpuMs } = await measure(
        async () => (sizes = await Promise.all(Array.from({ length: streams }, stream))),
      );
      if (sizes.some((size) => size !== expectedBytes)) throw new Error('a stream was cut short');
      return { wallMs, cpuMs, peakInFlight: (await server.stats()).peakInFlight };
    };
    // Warm up the JIT and open each pool's sockets, at the cost of one stream's time each.
    for (const setup of setups) await burst(setup, setup.maxSockets);

    const points: StreamsPoint[] = counts.flatMap((streams) =>
      setups
        .filter((setup) => setup.isDefault || oldCapCounts.includes(streams))
        .map((setup) => ({
          setup,
          streams,
          idealMs: Math.ceil(streams / setup.maxSockets) * streamMs,
          wallMs: [],
          cpuMs: [],
          peakInFlight: 0,
        })),
    );
    // Interleaved rounds, as in section bootstrap; a point whose ideal time is long takes part in fewer.
    for (let round = 0; round < rounds; round++) {
      for (const point of points) {
        if (round > 0 && (round + 1) * point.idealMs > roundsBudgetMs) continue;
        const run = await burst(point.setup, point.streams);
        point.wallMs.push(run.wallMs);
        point.cpuMs.push(run.cpuMs);
        point.peakInFlight = Math.max(point.peakInFlight, run.peakInFlight);
      }
    }
    return report(points, settings, text.length);
  } finally {
    for (const setup of setups) await setup.tts?.app.close();
    await server.close();
  }
}

function report(points: StreamsPoint[], settings: BenchSettings, characters: number) {
  const { seconds, rounds, roundsBudgetMs } = settings.streams;
  const alone = (setup: Setup) =>
    median(points.find((point) => point.setup === setup && point.streams === 1)!.wallMs);
  const ratioOf = (point: StreamsPoint) => median(point.wallMs) / alone(point.setup);
  const targets: TargetCheck[] = points
    .filter((point) => point.setup.isDefault && point.streams > 1)
    .map((point) => {
      const old = points.find((p) => !p.setup.isDefault && p.streams === point.streams);
      return {
        name: `[concurrent-streams] ${point.streams} stream() calls at once vs one alone`,
        target: `≤ ${MAX_RATIO}×`,
        measured: times(ratioOf(point), 3),
        met: ratioOf(point) <= MAX_RATIO,
        note:
          `client CPU ${ms(median(point.cpuMs))} during the burst` +
          (old ? `; with the old cap of ${OLD_CAP} sockets: ${times(ratioOf(old))}` : ''),
      };
    });
  const section: SectionReport = {
    title: '[concurrent-streams] Concurrent streams',
    description:
      `N \`stream()\` calls at once, each of ${seconds} s of speech (${characters} characters) ` +
      'that the fake server, in its own process, sends in real time (100 ms of audio every ' +
      '100 ms); wall time until every stream ended, against one stream alone with the same ' +
      'options. Default options beside `tts: { maxSockets: 4 }`, the cap real-time calls had ' +
      "before they got a pool of their own (preload's `concurrency`). Medians of up to " +
      `${rounds} interleaved rounds (as many as fit in ${roundsBudgetMs / 1000} s of a point's ` +
      'ideal time, ceil(N / sockets) × one stream, at least one); client CPU is this ' +
      'process\'s CPU time during the burst; "in flight" is the most streams the server was ' +
      'sending at once.',
    table: [
      ['options', 'N', 'time', '× one alone', 'client CPU', 'in flight', 'runs'],
      ...points.map((point) => [
        point.setup.label,
        String(point.streams),
        ms(median(point.wallMs)),
        times(ratioOf(point)),
        ms(median(point.cpuMs)),
        String(point.peakInFlight),
        String(point.wallMs.length),
      ]),
    ],
    targets,
  };
  return section;
}
