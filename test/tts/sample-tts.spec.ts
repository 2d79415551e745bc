import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { fakeSpeech, fakeVoiceId } from '../../lib/testing/index.js';
import { HAMSA_ENV, useSampleApp } from '../support/sample-app.js';
import { parseWav } from './wav-parse.js';

const run = promisify(execFile);
const text = 'مرحبا بك';

describe('sample app: real-time TTS (embedded fake Hamsa)', () => {
  const sample = useSampleApp();

  it('POST /tts answers audio/wav, once the default voice is ready', async () => {
    const response = await fetch(`${sample.baseUrl}/tts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text }),
    });

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('audio/wav');
    const parsed = parseWav(Buffer.from(await response.arrayBuffer()));
    expect(parsed.data.equals(fakeSpeech(text))).toBe(true);
  });

  it('GET /tts/stream streams a playable WAV', async () => {
    const query = new URLSearchParams({ text, speaker: fakeVoiceId(2) });
    const response = await fetch(`${sample.baseUrl}/tts/stream?${query}`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('audio/wav');
    const parsed = parseWav(Buffer.from(await response.arrayBuffer()));
    expect(parsed).toMatchObject({ sampleRate: 16000, dataSize: 0xffffffff });
    expect(parsed.data.equals(fakeSpeech(text))).toBe(true);
  });

  it('answers 404 for a speaker UUID it was not configured with, and preloads nothing', async () => {
    const voices = async () =>
      ((await (await fetch(`${sample.baseUrl}/voices`)).json()) as { voices: unknown[] }).voices;
    const before = await voices();
    const response = await fetch(`${sample.baseUrl}/tts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text, speaker: fakeVoiceId(99) }),
    });

    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({
      message: expect.stringContaining(`Voice ${fakeVoiceId(99)} is unknown`),
    });
    expect(await voices()).toHaveLength(before.length);
  });

  it('answers 400 for 2001 characters, on both routes', async () => {
    const long = 'ا'.repeat(2001);
    const posted = await fetch(`${sample.baseUrl}/tts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: long }),
    });
    const streamed = await fetch(
      `${sample.baseUrl}/tts/stream?${new URLSearchParams({ text: long })}`,
    );

    expect([posted.status, streamed.status]).toEqual([400, 400]);
    for (const response of [posted, streamed]) {
      expect(await response.json()).toMatchObject({
        message: ['text must be at most 2000 characters'],
      });
    }
  });
});

describe('npm run say', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hamsa-say-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes a WAV file from the command line', async () => {
    const out = join(dir, 'hello.wav');
    const env = { ...process.env };
    for (const name of HAMSA_ENV) delete env[name];

    const { stdout } = await run(
      'npm',
      ['run', '--silent', 'say', '--', text, '--voice', fakeVoiceId(1), '--out', out],
      { env, timeout: 60_000 },
    );

    expect(stdout).toContain(`wrote ${out}`);
    const parsed = parseWav(await readFile(out));
    expect(parsed).toMatchObject({ audioFormat: 1, channels: 1, sampleRate: 16000, bits: 16 });
    expect(parsed.dataSize).toBe(parsed.data.length);
    expect(parsed.data.equals(fakeSpeech(text))).toBe(true);
  }, 70_000);
});
