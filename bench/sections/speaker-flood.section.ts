import { randomUUID } from 'node:crypto';
import { DEFAULT_OPTIONS } from '../../lib/options/default-options.js';
import { fakeVoiceId } from '../../lib/testing/index.js';
import { type SectionReport } from '../report/report.interfaces.js';
import { type BenchSettings } from '../support/bench-settings.js';
import { bytes, ms } from '../support/format.js';
import { collectGarbage, measure } from '../support/measure.js';
import { RemoteFakeServer } from '../../test/support/fleet/remote-fake-server.js';
import { startTtsApp, type TtsApp } from '../support/tts-streams.js';

const MAX_HEAP_GROWTH = 5 * 1024 ** 2;
const TEXT = 'مرحبا بك';
/** Calls of the warm-up app, closed before the measured one starts, at most. */
const WARM_UP_CALLS = 500;
/** Calls between two readings of `getAllStatuses()`. */
const SAMPLE_EVERY = 100;

/** What a run of TTS calls ended with. */
interface Flood {
  wallMs: number;
  /** How many calls ended with each error name (`ok` for none). */
  outcomes: Map<string, number>;
  /** The most voices `getAllStatuses()` listed, sampled every `SAMPLE_EVERY` calls and at the end. */
  peakTracked: number;
}

/**
 * 12: TTS calls naming unknown speakers, as untrusted input would: `speakers` distinct random
 * UUIDs that the fake answers 404, `inFlight` calls at a time, with the default `onDemandPreload`;
 * then one unknown speaker called `repeats` times. Heap after GC, voices tracked, and preload
 * requests the fake (in its own process) received.
 */
export async function benchSpeakerFlood(settings: BenchSettings): Promise<SectionReport> {
  const { speakers, repeats, inFlight } = settings.flood;
  const onDemand = DEFAULT_OPTIONS.onDemandPreload;
  if (!onDemand) throw new Error('onDemandPreload is on by default');
  const configured = fakeVoiceId(1);
  const server = await RemoteFakeServer.start({ voiceIds: [configured] });
  let tts: TtsApp | undefined;
  try {
    // Warm up the JIT with an app of its own, so that the measured heap holds no first-call code.
    const warmUp = await startTtsApp(server, [configured]);
    await flood(warmUp, randomSpeakers(Math.min(WARM_UP_CALLS, speakers / 10)), inFlight);
    await warmUp.app.close();

    tts = await startTtsApp(server, [configured]);
    collectGarbage();
    const heapBefore = process.memoryUsage().heapUsed;
    await server.stats();
    const many = await flood(tts, randomSpeakers(speakers), inFlight);
    const manyAtServer = await server.stats();
    collectGarbage();
    const heapAfter = process.memoryUsage().heapUsed;
    const repeated = await flood(tts, Array<string>(repeats).fill(randomUUID()), inFlight);
    const repeatedAtServer = await server.stats();

    const growth = heapAfter - heapBefore;
    const maxTracked = onDemand.maxVoices + 1;
    return {
      title: '[speaker-flood] Unknown-speaker flood',
      description:
        `${speakers} \`synthesize()\` calls, each naming a different random UUID that the fake ` +
        `server (in its own process) answers 404, ${inFlight} in flight at a time, with the ` +
        `default \`onDemandPreload\` (\`maxVoices\` ${onDemand.maxVoices}, \`failedVoiceTtlMs\` ` +
        `${onDemand.failedVoiceTtlMs}) and 1 configured voice; then one more unknown speaker ` +
        `called ${repeats} times, ${inFlight} in flight. Heap used after GC before the flood and ` +
        'after it (the app still running); voices tracked: the most `getAllStatuses()` listed, ' +
        `read every ${SAMPLE_EVERY} calls and at the end.`,
      table: [
        ['calls', 'time', 'outcomes', 'voices tracked (most)', 'preload requests', 'TTS requests'],
        floodRow(`${speakers} distinct unknown speakers`, many, manyAtServer),
        floodRow(`1 unknown speaker × ${repeats}`, repeated, repeatedAtServer),
      ],
      targets: [
        {
          name: `[speaker-flood] heap after GC, after ${speakers} unknown speakers`,
          target: `≤ +${bytes(MAX_HEAP_GROWTH)}`,
          measured: `${growth >= 0 ? '+' : '−'}${bytes(Math.abs(growth))} (${bytes(heapBefore)} → ${bytes(heapAfter)})`,
          met: growth <= MAX_HEAP_GROWTH,
        },
        {
          name: `[speaker-flood] voices tracked during ${speakers} unknown speakers`,
          target: `≤ maxVoices + configured = ${maxTracked}`,
          measured: String(many.peakTracked),
          met: many.peakTracked <= maxTracked,
        },
        {
          name: `[speaker-flood] preload requests for ${speakers} unknown speakers`,
          target: `≤ onDemandPreload.maxPreloadsPerMinute = ${onDemand.maxPreloadsPerMinute}`,
          measured: String(manyAtServer.preloads),
          met: manyAtServer.preloads <= onDemand.maxPreloadsPerMinute,
        },
        {
          name: `[speaker-flood] preload requests for 1 unknown speaker called ${repeats} times`,
          // After the flood the minute's budget is spent: the repeated speaker costs 0 or 1.
          target: '≤ 1',
          measured: String(repeatedAtServer.preloads),
          met: repeatedAtServer.preloads <= 1,
        },
      ],
    };
  } finally {
    await tts?.app.close();
    await server.close();
  }
}

function randomSpeakers(count: number): string[] {
  return Array.from({ length: count }, () => randomUUID());
}

/** Calls `synthesize()` once per speaker, `inFlight` at a time, counting how each call ended. */
async function flood(
  { tts, readiness }: TtsApp,
  speakers: string[],
  inFlight: number,
): Promise<Flood> {
  const outcomes = new Map<string, number>();
  let peakTracked = 0;
  let next = 0;
  const call = async (speaker: string) => {
    let outcome = 'ok';
    try {
      await tts.synthesize({ text: TEXT, speaker });
    } catch (error) {
      outcome = error instanceof Error ? error.name : String(error);
    }
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
  };
  const { wallMs } = await measure(() =>
    Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (next < speakers.length) {
          const n = next++;
          await call(speakers[n]);
          if (n % SAMPLE_EVERY === 0) {
            peakTracked = Math.max(peakTracked, readiness.getAllStatuses().length);
          }
        }
      }),
    ),
  );
  peakTracked = Math.max(peakTracked, readiness.getAllStatuses().length);
  return { wallMs, outcomes, peakTracked };
}

function floodRow(
  label: string,
  run: Flood,
  atServer: { requests: number; preloads: number },
): string[] {
  const outcomes = [...run.outcomes].map(([name, count]) => `${count} ${name}`).join(', ');
  return [
    label,
    ms(run.wallMs),
    outcomes,
    String(run.peakTracked),
    String(atServer.preloads),
    String(atServer.requests - atServer.preloads),
  ];
}
