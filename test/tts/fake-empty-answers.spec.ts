import { describe, expect, it } from '@jest/globals';
import { FakeCliUsageError, parseFakeCliArgs } from '../../lib/bin/fake-cli-args.js';
import {
  FakeHamsaServer,
  type FakeHamsaServerOptions,
  fakeSpeech,
} from '../../lib/testing/index.js';
import { useHamsaHarness } from '../support/hamsa-harness.js';
import { parseWav } from './wav-parse.js';

const text = 'مرحبا';

/** POSTs a TTS request to the fake and reads the whole body. */
async function post(server: FakeHamsaServer, path: string): Promise<Buffer> {
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Token ${server.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ text, speaker: 'Amjad' }),
  });
  return Buffer.from(await response.arrayBuffer());
}

describe('FakeHamsaServer empty answers', () => {
  const harness = useHamsaHarness();
  const start = (options: FakeHamsaServerOptions = {}) => harness.server(options);

  it('answers REST { empty: true } with a WAV of a 44-byte header and data size 0', async () => {
    const server = await start();
    server.scriptTts('Amjad', { empty: true });

    const wav = await post(server, '/v1/realtime/tts');

    expect(wav).toHaveLength(44);
    expect(parseWav(wav)).toMatchObject({ riffSize: 36, dataSize: 0 });
  });

  it('adds audioBytes of audio: 640 bytes as the real service', async () => {
    const server = await start();
    server.scriptTts('Amjad', { empty: true, audioBytes: 596 });

    const wav = await post(server, '/v1/realtime/tts');

    expect(wav).toHaveLength(640);
    expect(parseWav(wav).data.equals(fakeSpeech(text).subarray(0, 596))).toBe(true);
  });

  it('ends a stream after nothing, or after its RIFF header when it sends one', async () => {
    const bare = await start();
    bare.scriptTts('Amjad', { empty: true });
    const withHeader = await start({ ttsStreamHeader: true });
    withHeader.scriptTts('Amjad', { empty: true, audioBytes: 10 });

    expect(await post(bare, '/v1/realtime/tts-stream')).toHaveLength(0);
    expect(await post(withHeader, '/v1/realtime/tts-stream')).toHaveLength(54);
  });

  it('with emptyAnswerRate 0.5 empties the 1st, 3rd, 5th… unscripted answer, across transports', async () => {
    const server = await start({ emptyAnswerRate: 0.5 });
    server.scriptTts('Amjad', { delayMs: 0 });

    const lengths = [];
    for (const path of ['tts', 'tts', 'tts-stream', 'tts', 'tts-stream', 'tts']) {
      lengths.push((await post(server, `/v1/realtime/${path}`)).length);
    }

    const full = fakeSpeech(text).length;
    // The 1st call is scripted (not counted); then answers 1, 3 and 5 are empty.
    expect(lengths).toEqual([44 + full, 44, full, 44, full, 44]);
  });

  it('with 0.25 empties every 4th answer, restarting the count at reset()', async () => {
    const server = await start({ emptyAnswerRate: 0.25 });
    const empties = async (count: number) => {
      const result = [];
      for (let i = 0; i < count; i++) result.push((await post(server, '/v1/realtime/tts')).length);
      return result.map((length) => length === 44);
    };

    expect(await empties(6)).toEqual([true, false, false, false, true, false]);
    server.reset();
    expect(await empties(2)).toEqual([true, false]);
  });

  it('refuses a rate outside 0–1', async () => {
    await expect(FakeHamsaServer.start({ emptyAnswerRate: 1.5 })).rejects.toThrow(
      'emptyAnswerRate must be a number from 0 to 1, got 1.5',
    );
  });

  it('takes --empty-rate on the command line', () => {
    expect(parseFakeCliArgs(['--empty-rate', '0.5']).emptyAnswerRate).toBe(0.5);
    expect(parseFakeCliArgs([]).emptyAnswerRate).toBeUndefined();
    for (const wrong of ['2', '-0.1', 'half', '']) {
      expect(() => parseFakeCliArgs(['--empty-rate', wrong])).toThrow(FakeCliUsageError);
      expect(() => parseFakeCliArgs([`--empty-rate=${wrong}`])).toThrow(
        `--empty-rate takes a number from 0 to 1, got '${wrong}'`,
      );
    }
  });
});
