import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FakeHamsaServer, fakeSpeech, fakeVoiceId } from '../../lib/testing/index.js';
import { sleep, waitFor, within } from '../support/hamsa-harness.js';
import { freePort } from '../support/free-port.js';
import { buildSamples, sampleEnv, sampleFile } from '../samples/sample-process.js';

const [voiceA, voiceB] = [1, 2].map(fakeVoiceId);
const text = 'صباح الخير';
/** Each stream's audio comes in 400-byte chunks, one every 100 ms: ~2.4 s in all. */
const CHUNK_BYTES = 400;
const CHUNK_INTERVAL_MS = 100;
/** Each whole-file call is answered after this long. */
const REST_DELAY_MS = 2_000;
/** The sample's graceful shutdown delay, shorter than the calls still in flight. */
const SHUTDOWN_DELAY_MS = 800;
const STREAMS = 4;
const FILES = 2;

/** How one HTTP call to the sample ended, as its client saw it. */
interface Outcome {
  status?: number;
  bytes: number;
  /** `end`: the whole response arrived; `close`: the connection closed before; `error`: it failed. */
  how: 'end' | 'close' | 'error';
}

/** A call to the sample: `answered` once the status line arrived, `outcome` once it is over. */
interface Call {
  answered: Promise<void>;
  outcome: Promise<Outcome>;
}

/** One request on a connection of its own, watched until its response ends or breaks. */
function call(url: string, method: 'GET' | 'POST', body?: object): Call {
  let answered!: () => void;
  const answeredPromise = new Promise<void>((resolve) => (answered = resolve));
  const outcome = new Promise<Outcome>((resolve) => {
    const outcome: Outcome = { bytes: 0, how: 'close' };
    const finish = (how: Outcome['how']) => resolve({ ...outcome, how });
    const req = request(url, {
      method,
      agent: false,
      headers: body ? { 'content-type': 'application/json' } : {},
    });
    req.on('error', () => finish('error'));
    req.on('response', (res) => {
      outcome.status = res.statusCode;
      answered();
      res.on('data', (chunk: Buffer) => (outcome.bytes += chunk.length));
      res.on('end', () => finish('end'));
      res.on('close', () => finish('close'));
      res.on('error', () => finish('error'));
    });
    req.end(body ? JSON.stringify(body) : undefined);
  });
  return { answered: answeredPromise, outcome };
}

/** Status of the readiness probe, or `undefined` when nothing answers. */
async function readinessStatus(base: string): Promise<number | undefined> {
  try {
    const response = await fetch(`${base}/health/ready`, { signal: AbortSignal.timeout(2_000) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return undefined;
  }
}

describe('sample/03-production as a process: SIGTERM with TTS calls in flight', () => {
  let child: ChildProcess | undefined;
  let hamsa: FakeHamsaServer | undefined;
  let output = '';
  let root: string;

  beforeAll(async () => {
    root = await buildSamples('sigterm');
  }, 120_000);

  afterAll(async () => {
    // Whatever happened: no sample process outlives the suite.
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await hamsa?.close();
  });

  it('finishes or ends every call in flight, then exits 0 by itself', async () => {
    hamsa = await FakeHamsaServer.start({
      coldStartMs: 0,
      ttsChunkSizes: [CHUNK_BYTES],
      ttsChunkIntervalMs: CHUNK_INTERVAL_MS,
    });
    for (let i = 0; i < FILES; i++) hamsa.scriptTts(voiceB, { delayMs: REST_DELAY_MS });
    const port = await freePort();
    const env = sampleEnv({
      PORT: String(port),
      HAMSA_API_KEY: hamsa.apiKey,
      HAMSA_BASE_URL: hamsa.url,
      HAMSA_VOICE_IDS: `${voiceA},${voiceB}`,
      SHUTDOWN_DELAY_MS: String(SHUTDOWN_DELAY_MS),
    });
    const spawned = spawn(process.execPath, [sampleFile(root, '03-production/main.js')], { env });
    child = spawned;
    spawned.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    spawned.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = once(spawned, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    const base = `http://127.0.0.1:${port}`;

    const giveUpAt = Date.now() + 20_000;
    while ((await readinessStatus(base)) !== 200) {
      if (Date.now() > giveUpAt || spawned.exitCode !== null) {
        throw new Error(`the sample never became ready; its output:\n${output}`);
      }
      await sleep(50);
    }

    const query = new URLSearchParams({ text, speaker: voiceA });
    const streams = Array.from({ length: STREAMS }, () =>
      call(`${base}/tts/stream?${query}`, 'GET'),
    );
    const files = Array.from({ length: FILES }, () =>
      call(`${base}/tts`, 'POST', { text, speaker: voiceB }),
    );
    // Every call reached Hamsa, and the streams are sending audio (the sample answers a stream
    // once its first audio arrived); they all last longer than SHUTDOWN_DELAY_MS from now.
    await within(5_000, 'the streams to start', Promise.all(streams.map((s) => s.answered)));
    await waitFor(() => hamsa!.ttsCalls.length === STREAMS + FILES, 'every call to reach Hamsa');

    spawned.kill('SIGTERM');
    // Shutdown began (readiness 503) while the server still answers: a new call is refused.
    const drainingBy = Date.now() + SHUTDOWN_DELAY_MS;
    while ((await readinessStatus(base)) !== 503) {
      if (Date.now() > drainingBy) throw new Error(`readiness never turned 503:\n${output}`);
      await sleep(10);
    }
    const refused = await fetch(`${base}/tts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text, speaker: voiceA }),
    });
    const refusal = { status: refused.status, body: (await refused.json()) as unknown };
    const [code, signal] = await within(15_000, 'the sample to exit after SIGTERM', exited);
    const outcomes = await within(
      2_000,
      'every call to end after the sample exited',
      Promise.all([...streams, ...files].map((c) => c.outcome)),
    );

    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(refusal).toEqual({
      status: 503,
      body: expect.objectContaining({ message: expect.stringMatching(/shutting down/) }),
    });
    expect(output).not.toMatch(/unhandled|EmptyError/i);
    // Each call either came whole (the full WAV: a 44-byte header, then the audio; never a
    // truncated body that looks complete) or its connection closed: none hangs.
    const wholeWav = 44 + fakeSpeech(text).length;
    outcomes.forEach((outcome) => {
      if (outcome.how === 'end')
        expect(outcome).toEqual({ how: 'end', status: 200, bytes: wholeWav });
      else expect(['close', 'error']).toContain(outcome.how);
    });
  }, 60_000);
});
