import { Agent } from 'node:http';
import { fakeVoiceId } from '../../lib/testing/index.js';
import { type SectionReport } from '../report/report.interfaces.js';
import { type BenchSettings } from '../support/bench-settings.js';
import {
  bareAxiosStream,
  bareHttpStream,
  type StreamCall,
  type StreamTarget,
  timeChunks,
} from '../support/bare-tts.js';
import { ms3, times } from '../support/format.js';
import { measure, median, quartiles } from '../support/measure.js';
import { RemoteFakeServer } from '../../test/support/fleet/remote-fake-server.js';
import { speechBytes, startTtsApp } from '../support/tts-streams.js';

const MAX_FIRST_BYTE_MS = 0.25;
const MAX_CPU_RATIO = 1.3;
/** Calls of each client before any is measured. */
const WARM_UP_CALLS = 500;
const TEXT = 'مرحبا بك';
import { HAMSA_ENDPOINTS } from '../../lib/gateway/hamsa-endpoints.js';

/** One way of making the call, and what its batches measured. */
interface Client {
  label: string;
  call: () => Promise<StreamCall>;
  firstByteMs: number[];
  cpuPerCallMs: number[];
}

const client = (label: string, call: () => Promise<StreamCall>): Client => ({
  label,
  call,
  firstByteMs: [],
  cpuPerCallMs: [],
});

/**
 * 11: what one `stream()` call costs over a bare keep-alive `node:http` request to the same fake
 * server (in its own process, so that this process's CPU time is the client's alone): time to the
 * first audio byte, and CPU time per call over many sequential calls.
 */
export async function benchPerCallCost(settings: BenchSettings): Promise<SectionReport> {
  const { calls, rounds } = settings.perCall;
  const server = await RemoteFakeServer.start({ coldStartMs: 0 });
  const speaker = fakeVoiceId(1);
  const target: StreamTarget = {
    url: `${server.url}${HAMSA_ENDPOINTS.ttsStream}`,
    apiKey: server.apiKey,
    body: JSON.stringify({ text: TEXT, speaker }),
  };
  const agent = new Agent({ keepAlive: true });
  const expectedBytes = speechBytes(TEXT);
  const tts = await startTtsApp(server, [speaker]);
  try {
    const bareCall = () => bareHttpStream(agent, target);
    const bare = client('bare `node:http`', bareCall);
    const module = client('module `stream()`', () => {
      const startedAt = performance.now();
      return timeChunks(tts.tts.stream({ text: TEXT, speaker }), startedAt);
    });
    const axiosClient = client('bare `axios.post` (stream)', () => bareAxiosStream(agent, target));
    const batch = async (measured: Client) => {
      const firstByteMs: number[] = [];
      const { cpuMs } = await measure(async () => {
        for (let i = 0; i < calls; i++) {
          const result = await measured.call();
          if (result.bytes !== expectedBytes) throw new Error(`${measured.label}: cut short`);
          firstByteMs.push(result.firstByteMs);
        }
      });
      measured.firstByteMs.push(...firstByteMs);
      measured.cpuPerCallMs.push(cpuMs / calls);
    };
    /**
     * Rounds of one batch of `floor` and one of `other`, each first in turn, after
     * `WARM_UP_CALLS` of each (the JIT optimizes a deep call path only after many calls; the
     * keep-alive sockets): a ratio compares batches run moments apart.
     */
    const compare = async (floor: Client, other: Client) => {
      for (let i = 0; i < WARM_UP_CALLS; i++) await Promise.all([floor.call(), other.call()]);
      for (let round = 0; round < rounds; round++) {
        const pair = round % 2 === 0 ? [floor, other] : [other, floor];
        for (const measured of pair) await batch(measured);
      }
    };
    // The module against bare node:http, then axios against bare node:http of its own: axios
    // leaves the caches cold for whatever runs next, so it runs beside neither of the two.
    await compare(bare, module);
    const bareBesideAxios = client(bare.label, bareCall);
    await compare(bareBesideAxios, axiosClient);
    const clients = [bare, axiosClient, module];
    const firstByteOf = (measured: Client) => median(measured.firstByteMs);
    const cpuOf = (measured: Client) => median(measured.cpuPerCallMs);
    // CPU against bare node:http: the median of the rounds' ratios, each of two batches run
    // moments apart, so that the machine's drift over the section cancels out.
    const floorOf = (measured: Client) => (measured === axiosClient ? bareBesideAxios : bare);
    const ratiosOf = (measured: Client) =>
      measured.cpuPerCallMs.map((cpuMs, round) => cpuMs / floorOf(measured).cpuPerCallMs[round]);
    const ratioOf = (measured: Client) => median(ratiosOf(measured));
    const extraFirstByteMs = firstByteOf(module) - firstByteOf(bare);
    const cpuRatio = ratioOf(module);
    const [low, high] = quartiles(ratiosOf(module));
    return {
      title: '[per-call-cost] Per-call cost of stream()',
      description:
        `${calls} sequential streamed TTS calls (${TEXT.length} characters, ` +
        `${expectedBytes} bytes of audio) per batch, against the fake server in a child process, ` +
        "so that the CPU time counted (`process.cpuUsage`, user + system) is the client's " +
        `alone: ${rounds} rounds of one batch of the module and one of bare \`node:http\`, each ` +
        `first in turn, after ${WARM_UP_CALLS} calls of each to warm up; then ${rounds} rounds of bare \`axios.post\` and ` +
        'bare `node:http` the same way (axios leaves the caches cold for whatever runs next, so ' +
        'it runs beside neither of the first two). Bare `node:http` is a keep-alive agent, one ' +
        'POST, the body read through `data` events; `axios.post`, over the same agent, is what ' +
        'the same call costs through axios (which the module still uses for preloads, and used ' +
        "for TTS calls before they went straight to `node:http`); the module's calls name a " +
        'configured, preloaded voice. Time to first byte: median over every call; CPU per call: ' +
        'median over the batches; × bare: median over the rounds of the ratio of the two ' +
        'batches of one round.',
      table: [
        ['client', 'time to first byte', 'CPU per call', 'CPU × bare node:http'],
        ...clients.map((measured) => [
          measured.label,
          ms3(firstByteOf(measured)),
          ms3(cpuOf(measured)),
          times(ratioOf(measured)),
        ]),
        ['module − bare `node:http`', ms3(extraFirstByteMs), ms3(cpuOf(module) - cpuOf(bare)), ''],
      ],
      targets: [
        {
          name: '[per-call-cost] stream() time to first byte, over bare node:http',
          target: `≤ +${MAX_FIRST_BYTE_MS} ms`,
          measured: `${extraFirstByteMs >= 0 ? '+' : ''}${ms3(extraFirstByteMs)}`,
          met: extraFirstByteMs <= MAX_FIRST_BYTE_MS,
          note: `bare axios.post: +${ms3(firstByteOf(axiosClient) - firstByteOf(bare))}`,
        },
        {
          name: '[per-call-cost] client CPU per stream() call, vs bare node:http',
          target: `≤ ${MAX_CPU_RATIO}×`,
          measured: times(cpuRatio),
          met: cpuRatio <= MAX_CPU_RATIO,
          note:
            `middle half of the rounds ${times(low)}–${times(high)}; ` +
            `bare axios.post: ${times(ratioOf(axiosClient))}`,
        },
      ],
    };
  } finally {
    await tts.app.close();
    agent.destroy();
    await server.close();
  }
}
