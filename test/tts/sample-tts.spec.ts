import { describe, expect, it } from '@jest/globals';
import { VoiceReadinessService } from '../../lib/index.js';
import { fakeSpeech, fakeVoiceId } from '../../lib/testing/index.js';
import { AppModule } from '../../sample/02-tts/app.module.js';
import { useSampleApp } from '../support/sample-app.js';
import { parseWav } from './wav-parse.js';

const text = 'مرحبا بك';

describe('the TTS sample (development fake Hamsa)', () => {
  const sample = useSampleApp(AppModule);

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
    const voices = () => sample.app.get(VoiceReadinessService).getAllStatuses();
    const before = voices();
    const response = await fetch(`${sample.baseUrl}/tts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text, speaker: fakeVoiceId(99) }),
    });

    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({
      message: expect.stringContaining(`Voice ${fakeVoiceId(99)} is unknown`),
    });
    expect(voices()).toHaveLength(before.length);
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
