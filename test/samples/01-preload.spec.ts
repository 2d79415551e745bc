import { describe, expect, it } from '@jest/globals';
import { fakeVoiceId } from '../../lib/testing/index.js';
import { type VoicesOverview } from '../../sample/01-preload/voices.controller.js';
import { useSampleProcesses } from './sample-process.js';

describe('sample/01-preload as a process (development fake Hamsa)', () => {
  const samples = useSampleProcesses('01-preload');

  it('opens its port once every voice is preloaded: the first GET /voices is all ready', async () => {
    const sample = await samples.start('01-preload');

    const response = await fetch(`${sample.url}/voices`);

    expect(response.status).toBe(200);
    const overview = (await response.json()) as VoicesOverview;
    expect(overview.allReady).toBe(true);
    expect(overview.voices.map((voice) => [voice.voiceId, voice.state])).toEqual(
      [1, 2, 3].map((n) => [fakeVoiceId(n), 'ready']),
    );
    expect(sample.output()).toMatch(
      /Hamsa: a fake server for development at http:\/\/127\.0\.0\.1/,
    );
  }, 30_000);

  it('answers GET /voices/:id/ready for a configured voice, and 404 for another', async () => {
    const sample = await samples.start('01-preload');

    const configured = await fetch(`${sample.url}/voices/${fakeVoiceId(2)}/ready`);
    const unknown = await fetch(`${sample.url}/voices/${fakeVoiceId(99)}/ready`);

    expect(configured.status).toBe(200);
    expect(await configured.json()).toMatchObject({ voiceId: fakeVoiceId(2), state: 'ready' });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({
      statusCode: 404,
      message: expect.stringContaining(`Voice ${fakeVoiceId(99)} is unknown`),
    });
  }, 30_000);
});
