import { type INestApplication } from '@nestjs/common';
import { type RawData, WebSocket } from 'ws';
import { HAMSA_ENDPOINTS } from '../../lib/gateway/hamsa-endpoints.js';
import { HamsaTtsService, type HamsaVoiceModuleOptions } from '../../lib/index.js';
import { FakeHamsaServer } from '../../lib/testing/index.js';
import { type SectionReport } from '../report/report.interfaces.js';
import { createBenchApp } from '../support/bench-app.js';
import { type BenchSettings } from '../support/bench-settings.js';
import { ms, ms3, times } from '../support/format.js';
import { median } from '../support/measure.js';

/** Hamsa's new connections were measured ~1.2 s slower to first audio than reused ones. */
const NEW_CONNECTION_DELAY_MS = 1000;
const MAX_SESSIONS = 8;
const SEQUENTIAL_UTTERANCES = 200;
const REQUEST = { text: 'مرحبا', speaker: 'Amjad' };
const WARM_UP = 50;
/** Utterances timed per round on the pool and on the raw WebSocket, alternating. */
const REUSED_PER_ROUND = 20;

/**
 * Time to first audio of `speak()` through the pool, against `openSession()` + `speak()` +
 * `close()` per utterance and against a bare `ws` client reusing one WebSocket, on a fake that
 * says hello `NEW_CONNECTION_DELAY_MS` after accepting a connection; then the sockets the pool
 * opens for `SEQUENTIAL_UTTERANCES` utterances in a row.
 */
export async function benchPooledSpeak(settings: BenchSettings): Promise<SectionReport> {
  const rounds = settings.isQuick ? 3 : 10;
  const server = await FakeHamsaServer.start({ newConnectionDelayMs: NEW_CONNECTION_DELAY_MS });
  const options: HamsaVoiceModuleOptions = {
    apiKey: server.apiKey,
    baseUrl: server.url,
    voiceIds: [],
  };
  const app = await createBenchApp({ ...options, tts: { maxSessions: MAX_SESSIONS } });
  // An app of its own: `openSession()` would otherwise take the pool's idle session.
  const unpooled = await createBenchApp(options);
  const raw = await RawSession.open(server);
  try {
    await app.init();
    await unpooled.init();
    const tts = app.get(HamsaTtsService);
    const pooled: number[] = [];
    const perUtterance: number[] = [];
    const reused: number[] = [];
    // Warm-up (the pool's first socket, and the JIT), then interleaved rounds, so that all three
    // see the same machine load; the two reused ways are cheap, so each round times several.
    await timeReused(tts, raw, WARM_UP, [], []);
    for (let round = 0; round < rounds; round++) {
      perUtterance.push(await sessionPerUtterance(unpooled));
      await timeReused(tts, raw, REUSED_PER_ROUND, pooled, reused);
    }
    const sockets = await socketsFor(server, options);
    const medians = {
      pooled: median(pooled),
      perUtterance: median(perUtterance),
      reused: median(reused),
    };
    return report(rounds, medians, sockets);
  } finally {
    raw.close();
    await app.close();
    await unpooled.close();
    await server.close();
  }
}

/** Times `count` utterances alternately through the pool and on the raw WebSocket. */
async function timeReused(
  tts: HamsaTtsService,
  raw: RawSession,
  count: number,
  pooled: number[],
  reused: number[],
): Promise<void> {
  for (let i = 0; i < count; i++) {
    pooled.push(await firstAudioMs(tts.speak(REQUEST)));
    reused.push(await raw.firstAudioMs());
  }
}

function report(
  rounds: number,
  medians: { pooled: number; perUtterance: number; reused: number },
  sockets: number,
): SectionReport {
  const { pooled: pooledMs, perUtterance: perUtteranceMs, reused: reusedMs } = medians;
  return {
    title: '[pooled-speak] Pooled WebSocket sessions',
    description:
      `Time to first audio of a short utterance (built-in speaker): \`speak()\` through the pool ` +
      `(\`tts.maxSessions: ${MAX_SESSIONS}\`), \`openSession()\` + \`speak()\` + \`close()\` per ` +
      `utterance, and a bare \`ws\` client reusing one WebSocket; the fake says hello ` +
      `${NEW_CONNECTION_DELAY_MS} ms after accepting a WebSocket; medians over ${rounds} ` +
      `interleaved rounds (${REUSED_PER_ROUND} pooled and raw utterances each). Then the ` +
      `WebSockets a new app's pool opened for ${SEQUENTIAL_UTTERANCES} sequential \`speak()\` calls.`,
    table: [
      ['utterance', 'time to first audio', '÷ raw reused WebSocket'],
      ['`speak()` (pooled)', ms3(pooledMs), times(pooledMs / reusedMs)],
      [
        '`openSession()` + `speak()` + `close()`',
        ms(perUtteranceMs),
        times(perUtteranceMs / reusedMs, 0),
      ],
      ['raw reused WebSocket (`ws`)', ms3(reusedMs), times(1)],
      ['session per utterance ÷ pooled', '', times(perUtteranceMs / pooledMs, 0)],
    ],
    targets: [
      {
        name: '[pooled-speak] time to first audio, pooled `speak()`',
        target: '≤ raw reused WebSocket + 1 ms',
        measured: `${ms3(pooledMs)} vs ${ms3(reusedMs)}`,
        met: pooledMs <= reusedMs + 1,
      },
      {
        name: `[pooled-speak] WebSockets opened for ${SEQUENTIAL_UTTERANCES} sequential \`speak()\``,
        target: `≤ maxSessions (${MAX_SESSIONS})`,
        measured: String(sockets),
        met: sockets <= MAX_SESSIONS,
      },
    ],
  };
}

/** Milliseconds from `startedAt` until the first audio frame; the rest is read to its end. */
async function firstAudioMs(
  frames: AsyncIterable<Buffer>,
  startedAt = performance.now(),
): Promise<number> {
  let firstMs: number | undefined;
  for await (const _frame of frames) firstMs ??= performance.now() - startedAt;
  return firstMs ?? Number.NaN;
}

/** One utterance on a session of its own, as a caller without the pool would do it. */
async function sessionPerUtterance(app: INestApplication): Promise<number> {
  const startedAt = performance.now();
  const session = await app.get(HamsaTtsService).openSession();
  try {
    return await firstAudioMs(session.speak(REQUEST), startedAt);
  } finally {
    await session.close();
  }
}

/** WebSockets a new app's pool opened for `SEQUENTIAL_UTTERANCES` utterances in a row. */
async function socketsFor(
  server: FakeHamsaServer,
  options: HamsaVoiceModuleOptions,
): Promise<number> {
  const app = await createBenchApp({ ...options, tts: { maxSessions: MAX_SESSIONS } });
  try {
    await app.init();
    const tts = app.get(HamsaTtsService);
    const before = handshakes(server);
    for (let i = 0; i < SEQUENTIAL_UTTERANCES; i++) {
      for await (const _frame of tts.speak(REQUEST));
    }
    return handshakes(server) - before;
  } finally {
    await app.close();
  }
}

function handshakes(server: FakeHamsaServer): number {
  return server.requests.filter(
    (request) => request.path.split('?')[0] === HAMSA_ENDPOINTS.realtimeWs,
  ).length;
}

/** A bare `ws` client on one WebSocket: the floor for a reused connection. */
class RawSession {
  private onMessage?: (data: RawData, isBinary: boolean) => void;

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data, isBinary) => this.onMessage?.(data, isBinary));
  }

  static async open(server: FakeHamsaServer): Promise<RawSession> {
    const url = `${server.url.replace(/^http/, 'ws')}${HAMSA_ENDPOINTS.realtimeWs}`;
    const socket = new WebSocket(`${url}?api_key=${server.apiKey}`, { perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      socket.once('message', () => resolve()).once('error', reject);
    });
    return new RawSession(socket);
  }

  /** Sends one request; resolves with the time to its first audio frame, once its `end` came. */
  firstAudioMs(): Promise<number> {
    return new Promise((resolve) => {
      const startedAt = performance.now();
      let firstMs = Number.NaN;
      this.onMessage = (data, isBinary) => {
        if (isBinary) firstMs = Number.isNaN(firstMs) ? performance.now() - startedAt : firstMs;
        else if (String(data).includes('"end"')) resolve(firstMs);
      };
      this.socket.send(JSON.stringify({ type: 'tts', payload: REQUEST }));
    });
  }

  close(): void {
    this.socket.close();
  }
}
