import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { FakeHamsaServer, fakeVoiceId } from '../../lib/testing/index.js';
import { waitFor } from '../support/hamsa-harness.js';
import { openRequest, postJson } from './http-client.js';
import { type RunningSample, useSampleProcesses } from './sample-process.js';

const voice = fakeVoiceId(1);
const speak = { text: 'مرحبا بك', speaker: voice };
/** `[` 50,000 times, then `]` as many: 100,000 bytes, just under the 100 KB body limit. */
const NESTED = '['.repeat(50_000) + ']'.repeat(50_000);
const CLIENTS = 16;
const MAX_CONCURRENT = 2;

/** Polls GET /health/ready until 200: the voice is preloaded. */
async function untilReady(sample: RunningSample): Promise<void> {
  const ready = async () => (await fetch(`${sample.url}/health/ready`)).status === 200;
  const giveUpAt = Date.now() + 10_000;
  while (!(await ready())) {
    if (Date.now() > giveUpAt) throw new Error(`never ready; output:\n${sample.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('sample/03-production under hostile clients (issue 21)', () => {
  const samples = useSampleProcesses('hardening');
  let hamsa: FakeHamsaServer;
  let sample: RunningSample;

  beforeAll(async () => {
    hamsa = await FakeHamsaServer.start({ coldStartMs: 0 });
  });
  afterAll(() => hamsa.close());
  afterEach(() => hamsa.reset());

  /** The sample against the test's fake, its voice preloaded. */
  async function start(env: Record<string, string> = {}): Promise<RunningSample> {
    sample = await samples.start('03-production', {
      HAMSA_API_KEY: hamsa.apiKey,
      HAMSA_BASE_URL: hamsa.url,
      HAMSA_VOICE_IDS: voice,
      TTS_MAX_CONCURRENT: String(MAX_CONCURRENT),
      TTS_REQUESTS_PER_MINUTE: '1000',
      SHUTDOWN_DELAY_MS: '0',
      ...env,
    });
    await untilReady(sample);
    hamsa.reset();
    return sample;
  }

  it(`answers ${CLIENTS} bodies nested 50,000 levels deep with 400 at once, while GET /health/live keeps answering`, async () => {
    await start();
    const startedAt = Date.now();
    const live = (async () => {
      const statuses: number[] = [];
      while (Date.now() - startedAt < 1_000) {
        statuses.push((await fetch(`${sample.url}/health/live`)).status);
      }
      return statuses;
    })();

    const answers = await Promise.all(
      Array.from({ length: CLIENTS }, () => postJson(`${sample.url}/tts`, NESTED)),
    );

    for (const answer of answers) {
      expect(answer.status).toBe(400);
      expect(await answer.json()).toMatchObject({
        message: 'the JSON body is nested deeper than 8 levels',
      });
    }
    // Generous bound: before the depth check, each took seconds and answered 500.
    expect(Date.now() - startedAt).toBeLessThan(5_000);
    const liveStatuses = await live;
    expect(liveStatuses.length).toBeGreaterThan(5);
    expect(new Set(liveStatuses)).toEqual(new Set([200]));
    expect(hamsa.ttsCalls).toHaveLength(0);
  }, 30_000);

  it('answers a 2 MB body with 413, without calling Hamsa', async () => {
    await start();
    const answer = await postJson(
      `${sample.url}/tts`,
      JSON.stringify({ text: 'ا'.repeat(1_000_000) }),
    );

    expect(answer.status).toBe(413);
    expect(hamsa.ttsCalls).toHaveLength(0);
  }, 30_000);

  it('sends no X-Powered-By and sends X-Content-Type-Options: nosniff, on answers and errors', async () => {
    await start();
    for (const answer of [
      await fetch(`${sample.url}/health/live`),
      await postJson(`${sample.url}/tts`, '{"text": 42}'),
    ]) {
      expect(answer.headers.get('x-powered-by')).toBeNull();
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    }
  }, 30_000);

  it('stops the Hamsa call of a POST /tts whose client disconnects', async () => {
    await start();
    hamsa.scriptTts(voice, { hang: true });
    const { request } = openRequest(`${sample.url}/tts`, 'POST', speak);
    await waitFor(() => hamsa.inFlight === 1, 'the TTS call to reach the fake', 5_000);

    request.destroy();

    await waitFor(() => hamsa.inFlight === 0, 'the sample to cancel its Hamsa call', 5_000);
    expect(hamsa.ttsCalls).toHaveLength(1);
    expect(sample.output()).not.toMatch(/ERROR/);
  }, 30_000);

  it(`runs ${MAX_CONCURRENT} POST /tts at once; one more answers 503 with Retry-After, and a freed slot serves again`, async () => {
    await start();
    hamsa.scriptTts(
      voice,
      ...Array.from({ length: MAX_CONCURRENT }, () => ({ hang: true }) as const),
    );
    const running = Array.from({ length: MAX_CONCURRENT }, () =>
      openRequest(`${sample.url}/tts`, 'POST', speak),
    );
    await waitFor(() => hamsa.inFlight === MAX_CONCURRENT, 'the calls to reach the fake', 5_000);

    const over = await postJson(`${sample.url}/tts`, JSON.stringify(speak));

    expect(over.status).toBe(503);
    expect(over.headers.get('retry-after')).toBe('1');
    expect(hamsa.ttsCalls).toHaveLength(MAX_CONCURRENT);

    for (const { request } of running) request.destroy();
    await waitFor(() => hamsa.inFlight === 0, 'the running calls to be cancelled', 5_000);
    const after = await postJson(`${sample.url}/tts`, JSON.stringify(speak));
    expect(after.status).toBe(200);
    expect(after.headers.get('content-type')).toBe('audio/wav');
  }, 30_000);

  it('rate-limits the TTS routes per client with @nestjs/throttler (429), and not the probes', async () => {
    await start({ TTS_REQUESTS_PER_MINUTE: '2' });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const answer = await postJson(`${sample.url}/tts`, JSON.stringify(speak));
      await answer.arrayBuffer();
      statuses.push(answer.status);
      if (answer.status === 429)
        expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
    }

    expect(statuses).toEqual([200, 200, 429]);
    expect(hamsa.ttsCalls).toHaveLength(2);
    for (let i = 0; i < 5; i++) expect((await fetch(`${sample.url}/health/live`)).status).toBe(200);
  }, 30_000);
});
