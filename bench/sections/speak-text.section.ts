import { type INestApplication } from '@nestjs/common';
import { HamsaTtsService, splitSpeechText } from '../../lib/index.js';
import { FakeHamsaServer } from '../../lib/testing/index.js';
import { type SectionReport } from '../report/report.interfaces.js';
import { createBenchApp } from '../support/bench-app.js';
import { type BenchSettings } from '../support/bench-settings.js';
import { ms } from '../support/format.js';
import { median } from '../support/measure.js';
import {
  arrivals,
  firstEndKnownToken,
  llmTokens,
  playbackGapsMs,
} from '../support/speech-playback.js';

const SPEAKER = 'Amjad';
const TOKEN_INTERVAL_MS = 25;
/** The fake answers after 150 ms and makes audio 3× faster than real time (16 kHz 16-bit). */
const FAKE = {
  coldStartMs: 0,
  ttsLatencyMs: 150,
  ttsBytesPerSecond: 96_000,
  ttsChunkSizes: [3200],
};
/** Five Arabic sentences of ~60 characters. */
const ANSWER = [
  'شكرا لتواصلك معنا اليوم، يسعدنا أن نساعدك في كل ما تحتاجه الآن.',
  'لقد راجعت حسابك ووجدت أن آخر دفعة وصلت إلينا يوم الثلاثاء الماضي.',
  'رصيدك الحالي يكفي لتجديد الاشتراك الشهري دون أي رسوم إضافية عليك.',
  'إذا أردت تغيير الباقة فيمكنني أن أرسل لك رابطا آمنا عبر الرسائل.',
  'هل هناك أي شيء آخر تود أن تسألني عنه قبل أن ننهي هذه المكالمة؟',
].join(' ');

interface Run {
  firstAudioMs: number;
  /** The bound: first sentence's end known + that segment's time to first audio + 10 ms. */
  boundMs: number;
  gapsMs: number;
}

/**
 * `speakText()` fed by an LLM-like token stream, against speaking the whole text once it is
 * complete and sentence by sentence without lookahead; barge-in latency; `splitSpeechText`
 * throughput.
 */
export async function benchSpeakText(settings: BenchSettings): Promise<SectionReport> {
  const rounds = settings.isQuick ? 3 : 10;
  const server = await FakeHamsaServer.start(FAKE);
  const app = await createBenchApp({ apiKey: server.apiKey, baseUrl: server.url, voiceIds: [] });
  try {
    await app.init();
    const tts = app.get(HamsaTtsService);
    await runSpeakText(tts, 2); // opens the pool's sessions
    const lookahead: Run[] = [];
    const sequential: Run[] = [];
    const whole: number[] = [];
    const bargeIns: (number | undefined)[] = [];
    for (let round = 0; round < rounds; round++) {
      lookahead.push(await runSpeakText(tts, 2));
      sequential.push(await runSpeakText(tts, 0));
      whole.push(await runWhole(tts));
      bargeIns.push(await bargeInMs(tts, server));
    }
    return report(rounds, { lookahead, sequential, whole, bargeIns, split: splitThroughput() });
  } finally {
    await closeQuietly(app);
    await server.close();
  }
}

async function runSpeakText(tts: HamsaTtsService, lookahead: number): Promise<Run> {
  const producedAt: number[] = [];
  const speech = tts.speakText(llmTokens(ANSWER, TOKEN_INTERVAL_MS, producedAt), {
    speaker: SPEAKER,
    lookahead,
  });
  const audio = await arrivals(speech);
  const { segments } = await speech.report;
  const startedAt = producedAt[0];
  const endKnownMs = producedAt[firstEndKnownToken(ANSWER)] - startedAt;
  return {
    firstAudioMs: audio[0].at - startedAt,
    boundMs: endKnownMs + (segments[0].firstAudioMs ?? Number.NaN) + 10,
    gapsMs: playbackGapsMs(audio),
  };
}

/** The whole answer spoken at once, asked for when its last token came. */
async function runWhole(tts: HamsaTtsService): Promise<number> {
  const producedAt: number[] = [];
  let text = '';
  for await (const token of llmTokens(ANSWER, TOKEN_INTERVAL_MS, producedAt)) text += token;
  const audio = await arrivals(tts.speak({ text, speaker: SPEAKER }));
  return audio[0].at - producedAt[0];
}

/**
 * From `abort()`, 1 s into playback by a real-time player (it reads no faster than it plays), to
 * the last Hamsa request closed (at the fake); `undefined` when none was in flight at the abort.
 */
async function bargeInMs(
  tts: HamsaTtsService,
  server: FakeHamsaServer,
): Promise<number | undefined> {
  server.reset();
  const controller = new AbortController();
  const text = `${ANSWER} ${ANSWER}`;
  let abortedAt = 0;
  let playedMs = 0;
  let firstAt = 0;
  try {
    for await (const audio of tts.speakText(text, {
      speaker: SPEAKER,
      signal: controller.signal,
    })) {
      firstAt ||= performance.now();
      playedMs += audio.length / 32;
      const aheadMs = playedMs - (performance.now() - firstAt);
      if (aheadMs > 0) await new Promise((resolve) => setTimeout(resolve, aheadMs));
      if (performance.now() - firstAt >= 1000) {
        abortedAt = Date.now();
        controller.abort(new Error('barge-in'));
      }
    }
  } catch {
    // The aborted iteration throws the signal's reason.
  }
  const inFlight = server.ttsCalls.filter((call) => (call.endedAt ?? Infinity) >= abortedAt);
  while (inFlight.some((call) => call.endedAt === undefined)) {
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return inFlight.length === 0
    ? undefined
    : Math.max(...inFlight.map((call) => call.endedAt!)) - abortedAt;
}

/** MB/s of `splitSpeechText` on 1 MB of mixed Arabic and English text (median of 5). */
function splitThroughput(): number {
  const paragraph =
    'مرحبا بك في همسة، منصة الصوت العربي. The price is 3.5 SAR per minute! ' +
    'زوروا https://example.com/ar?x=1 للمزيد… Any questions? نعم؛ سأجيب الآن.\n';
  const text = paragraph.repeat(Math.ceil(2 ** 20 / paragraph.length)).slice(0, 2 ** 20);
  const times: number[] = [];
  for (let run = 0; run < 5; run++) {
    const startedAt = performance.now();
    splitSpeechText(text);
    times.push(performance.now() - startedAt);
  }
  return 1000 / median(times);
}

function report(
  rounds: number,
  runs: {
    lookahead: Run[];
    sequential: Run[];
    whole: number[];
    bargeIns: (number | undefined)[];
    split: number;
  },
): SectionReport {
  const firstAudio = median(runs.lookahead.map((run) => run.firstAudioMs));
  const bound = median(runs.lookahead.map((run) => run.boundMs));
  const overBound = Math.max(...runs.lookahead.map((run) => run.firstAudioMs - run.boundMs));
  const gaps = Math.max(...runs.lookahead.map((run) => run.gapsMs));
  const sequentialGaps = median(runs.sequential.map((run) => run.gapsMs));
  const measuredBargeIns = runs.bargeIns.filter((value) => value !== undefined);
  const bargeIn = Math.max(...measuredBargeIns);
  return {
    title: '[speak-text] Speaking text as it is generated',
    description:
      `An LLM-like stream of ${splitSpeechText(ANSWER).length} Arabic sentences (~60 characters), one ` +
      `word every ${TOKEN_INTERVAL_MS} ms; the fake answers after ${FAKE.ttsLatencyMs} ms and makes ` +
      `audio 3× faster than real time; WebSocket transport (pooled). Time to first audio from the ` +
      `first token; playback gaps of a real-time player after the first audio; medians (gaps and ` +
      `barge-in: worst) over ${rounds} rounds.`,
    table: [
      ['way', 'time to first audio', 'playback gaps'],
      ['`speakText()` (lookahead 2)', ms(firstAudio), ms(gaps)],
      [
        '`speakText()` sentence by sentence (lookahead 0)',
        ms(median(runs.sequential.map((run) => run.firstAudioMs))),
        ms(sequentialGaps),
      ],
      ['whole text at once, when complete (`speak()`)', ms(median(runs.whole)), '—'],
    ],
    targets: [
      {
        name: '[speak-text] time to first audio',
        target: '≤ first sentence’s end known + its segment’s time to first audio + 10 ms',
        measured: `${ms(firstAudio)} vs ${ms(bound)} (smallest margin ${ms(-overBound)})`,
        met: overBound <= 0,
        note: 'a sentence end is known at the next word’s token (it could be "3.5")',
      },
      {
        name: '[speak-text] playback gaps after the first audio',
        target: '0 ms',
        measured: ms(gaps),
        met: gaps === 0,
      },
      {
        name: '[speak-text] barge-in: `abort()` to the last Hamsa request closed',
        target: '≤ 50 ms',
        measured: `${ms(bargeIn)} (worst of ${measuredBargeIns.length} with requests in flight)`,
        met: measuredBargeIns.length > 0 && bargeIn <= 50,
      },
      {
        name: '[speak-text] `splitSpeechText` on 1 MB of mixed Arabic/English',
        target: 'reported',
        measured: `${runs.split.toFixed(1)} MB/s`,
        met: true,
      },
    ],
  };
}

async function closeQuietly(app: INestApplication): Promise<void> {
  await app.close().catch(() => undefined);
}
