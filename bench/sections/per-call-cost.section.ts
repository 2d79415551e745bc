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
const TEXT = 'مرحبا بك';
import { HAMSA_ENDPOINTS } from '../../lib/gateway/hamsa-endpoints.js';

/** One way of making the call, and what its batches measured. */
interface Client {
  label: string;
  call: () => Promise<StreamCall>;
  firstByteMs: number[];
  cpuPerCallMs: number[];
}

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
    const clients: Client[] = [
      { label: 'bare `node:http`', call: () => bareHttpStream(agent, target) },
      { label: 'bare `axios.post` (stream)', call: () => bareAxiosStream(agent, target) },
      {
        label: 'module `stream()`',
        call: () => {
          const startedAt = performance.now();
          return timeChunks(tts.tts.stream({ text: TEXT, speaker }), startedAt);
        },
      },
    ].map((client) => ({ ...client, firstByteMs: [], cpuPerCallMs: [] }));
    // Round -1 warms up the JIT and the keep-alive sockets. Then each round runs one batch of
    // each client, in turn first, so that a ratio compares batches run moments apart.
    for (let round = -1; round < rounds; round++) {
      const order = clients.map((_, i) => clients[(i + Math.max(round, 0)) % clients.length]);
      for (const client of order) {
        const firstByteMs: number[] = [];
        const { cpuMs } = await measure(async () => {
          for (let i = 0; i < calls; i++) {
            const result = await client.call();
            if (result.bytes !== expectedBytes) throw new Error(`${client.label}: cut short`);
            firstByteMs.push(result.firstByteMs);
          }
        });
        if (round < 0) continue;
        client.firstByteMs.push(...firstByteMs);
        client.cpuPerCallMs.push(cpuMs / calls);
      }
    }
    const [bare, axiosClient, module] = clients;
    const firstByteOf = (client: Client) => median(client.firstByteMs);
    const cpuOf = (client: Client) => median(client.cpuPerCallMs);
    // CPU against bare node:http: the median of the rounds' ratios, each of two batches run
    // moments apart, so that the machine's drift over the section cancels out.
    const ratiosOf = (client: Client) =>
      client.cpuPerCallMs.map((cpuMs, round) => cpuMs / bare.cpuPerCallMs[round]);
    const ratioOf = (client: Client) => median(ratiosOf(client));
    const extraFirstByteMs = firstByteOf(module) - firstByteOf(bare);
    const cpuRatio = ratioOf(module);
    const [low, high] = quartiles(ratiosOf(module));
    return {
      title: '[per-call-cost] Per-call cost of stream()',
      description:
        `${calls} sequential streamed TTS calls (${TEXT.length} characters, ` +
        `${expectedBytes} bytes of audio) per batch, ${rounds} rounds of one batch per client ` +
        '(each client first in turn) after one to warm up, against the fake server in a child ' +
        'process, so that the CPU ' +
        "time counted (`process.cpuUsage`, user + system) is the client's alone. Bare " +
        '`node:http` is a keep-alive agent, one POST, the body read through `data` events; ' +
        '`axios.post`, over the same agent, is what the same call costs through axios (which ' +
        'the module still uses for preloads, and used for TTS calls before they went straight ' +
        'to `node:http`); the ' +
        "module's calls name a configured, preloaded voice. Time to first byte: median over " +
        'every call; CPU per call: median over the batches; × bare: median over the rounds of ' +
        'the ratio of the batches of one round.',
      table: [
        ['client', 'time to first byte', 'CPU per call', 'CPU × bare node:http'],
        ...clients.map((client) => [
          client.label,
          ms3(firstByteOf(client)),
          ms3(cpuOf(client)),
          times(ratioOf(client)),
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
