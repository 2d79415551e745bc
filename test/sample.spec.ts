import { describe, expect, it } from '@jest/globals';
import { fakeVoiceId } from '../lib/testing/index.js';
import { type VoicesOverview } from '../sample/01-preload/voices.controller.js';
import { AppModule } from '../sample/dashboard/app.module.js';
import { HamsaAccount } from '../sample/shared/hamsa-account.js';
import { useSampleApp } from './support/sample-app.js';

describe('the dashboard sample (development fake Hamsa)', () => {
  const sample = useSampleApp(AppModule);

  it('says it runs the development fake server', () => {
    const sampleLines = sample.logger.lines.filter((line) => line.context === 'Sample');
    expect(sampleLines.map((line) => line.message)).toEqual([
      expect.stringMatching(
        /^Hamsa: a fake server for development at http:\/\/127\.0\.0\.1:\d+ \(HAMSA_API_KEY not set\)$/,
      ),
    ]);
  });

  it('shows three voices loading, then all ready', async () => {
    const first = await getJson<VoicesOverview>(`${sample.baseUrl}/voices`);
    expect(first.allReady).toBe(false);

    const last = await pollUntilAllReady(sample.baseUrl, 5_000);
    expect(last.allReady).toBe(true);
    expect(last.voices.map((voice) => [voice.voiceId, voice.state])).toEqual([
      [fakeVoiceId(1), 'ready'],
      [fakeVoiceId(2), 'ready'],
      [fakeVoiceId(3), 'ready'],
    ]);
  });

  it('waits for a configured voice on GET /voices/:id/ready', async () => {
    const response = await fetch(`${sample.baseUrl}/voices/${fakeVoiceId(2)}/ready`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ voiceId: fakeVoiceId(2), state: 'ready' });
  });

  it('answers 404 for a voice that was never configured', async () => {
    const response = await fetch(`${sample.baseUrl}/voices/${fakeVoiceId(99)}/ready`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({
      statusCode: 404,
      message: expect.stringContaining(`Voice ${fakeVoiceId(99)} is unknown`),
    });
  });

  it('serves the dashboard page at GET /', async () => {
    const response = await fetch(`${sample.baseUrl}/`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const page = await response.text();
    expect(page).toContain('<textarea id="text" dir="rtl" lang="ar"');
    expect(page).toContain("new EventSource('/voices/events')");
    expect(page).toContain("fetch('/tts'");
  });

  it('closes the development fake server with the app', async () => {
    const fakeUrl = sample.app.get(HamsaAccount).options.baseUrl!;
    expect((await fetch(fakeUrl)).status).toBe(404);

    await sample.close();

    await expect(fetch(fakeUrl)).rejects.toThrow();
    await expect(fetch(`${sample.baseUrl}/voices`)).rejects.toThrow();
  });
});

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

/** Polls `GET /voices` until every voice is ready or `timeoutMs` passes; returns the last answer. */
async function pollUntilAllReady(baseUrl: string, timeoutMs: number): Promise<VoicesOverview> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const overview = await getJson<VoicesOverview>(`${baseUrl}/voices`);
    if (overview.allReady || Date.now() > deadline) return overview;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
