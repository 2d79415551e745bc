import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FakeHamsaServer, fakeSpeech, fakeVoiceId } from '../../lib/testing/index.js';
import { waitFor } from '../support/hamsa-harness.js';
import { parseWav } from '../tts/wav-parse.js';
import { openRequest, postJson } from './http-client.js';
import { sampleEnv, sampleFile, useSampleProcesses } from './sample-process.js';

const text = 'مرحبا بك';
const voice = fakeVoiceId(1);

describe('sample/02-tts as a process', () => {
  const samples = useSampleProcesses('02-tts');
  let hamsa: FakeHamsaServer;

  // Audio in 400-byte chunks, 50 ms apart: a client can leave mid-stream.
  beforeAll(async () => {
    hamsa = await FakeHamsaServer.start({
      coldStartMs: 0,
      ttsChunkSizes: [400],
      ttsChunkIntervalMs: 50,
    });
  });
  afterAll(() => hamsa.close());

  const start = () =>
    samples.start('02-tts', {
      HAMSA_API_KEY: hamsa.apiKey,
      HAMSA_BASE_URL: hamsa.url,
      HAMSA_VOICE_IDS: voice,
    });

  it('POST /tts answers the WAV Hamsa spoke', async () => {
    const sample = await start();

    const response = await postJson(`${sample.url}/tts`, JSON.stringify({ text }));

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('audio/wav');
    const wav = parseWav(Buffer.from(await response.arrayBuffer()));
    expect(wav.data.equals(fakeSpeech(text))).toBe(true);
  }, 30_000);

  it('GET /tts/stream streams the WAV to the client, and stops the Hamsa call when it leaves', async () => {
    const sample = await start();
    const whole = await fetch(`${sample.url}/tts/stream?${new URLSearchParams({ text })}`);
    expect(whole.headers.get('content-type')).toBe('audio/wav');
    expect(parseWav(Buffer.from(await whole.arrayBuffer())).data.equals(fakeSpeech(text))).toBe(
      true,
    );
    hamsa.reset();

    // Ten seconds of audio at the fake's pace: the client reads one chunk and leaves.
    const long = 'ا'.repeat(1_000);
    const { request, response } = openRequest(
      `${sample.url}/tts/stream?${new URLSearchParams({ text: long })}`,
      'GET',
    );
    const answer = await response;
    await once(answer, 'data');
    expect(hamsa.inFlight).toBe(1);

    request.destroy();

    await waitFor(() => hamsa.inFlight === 0, 'the sample to stop its Hamsa stream', 5_000);
    expect(hamsa.ttsCalls).toHaveLength(1);
  }, 30_000);

  describe('say.js (npm run say)', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'hamsa-say-'));
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    /** What `node say.js …args` printed (development fake Hamsa), and its exit code. */
    async function say(...args: string[]) {
      const child = spawn(process.execPath, [sampleFile(samples.root, '02-tts/say.js'), ...args], {
        env: sampleEnv(),
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const [code] = (await once(child, 'exit')) as [number];
      return { code, stdout, stderr };
    }

    const USAGE = /^usage: npm run say -- "<text>" \[--voice <id or name>\]/m;

    it('writes a WAV file from the command line', async () => {
      const out = join(dir, 'hello.wav');

      const { code, stdout } = await say(text, '--voice', fakeVoiceId(1), '--out', out);

      expect(code).toBe(0);
      expect(stdout).toContain(`wrote ${out}`);
      const parsed = parseWav(await readFile(out));
      expect(parsed).toMatchObject({ audioFormat: 1, channels: 1, sampleRate: 16000, bits: 16 });
      expect(parsed.dataSize).toBe(parsed.data.length);
      expect(parsed.data.equals(fakeSpeech(text))).toBe(true);
    }, 30_000);

    it.each(['--help', '-h'])('%s prints the usage on stdout and exits 0', async (flag) => {
      const { code, stdout, stderr } = await say(flag);

      expect(code).toBe(0);
      expect(stdout).toMatch(USAGE);
      expect(stdout).toContain('--out, -o');
      expect(stderr).toBe('');
    });

    it.each([
      [['--nope'], "say: Unknown option '--nope'."],
      [['مرحبا', '-x'], "say: Unknown option '-x'."],
      [['مرحبا', '--voice'], "say: Option '-v, --voice <value>' argument missing"],
      [[], 'say: no text to speak'],
      [['  '], 'say: no text to speak'],
    ])('%j: one line saying why, the usage, exit 2, no stack trace', async (args, reason) => {
      const { code, stdout, stderr } = await say(...args);

      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr.split('\n')[0]).toContain(reason);
      expect(stderr).toMatch(USAGE);
      expect(stderr).not.toMatch(/^\s+at /m);
    });
  });
});
