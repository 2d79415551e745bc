import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { HamsaPreloadError } from '../lib/index.js';
import { FakeHamsaServer, type FakePreloadStep, fakeVoiceId } from '../lib/testing/index.js';
import { closeAll, compileHamsaApp, fakeOptions, type HamsaTestApp } from './support/hamsa-app.js';
import { serialisations } from './support/secrets.js';

const apiKey = 'hamsa-live-5ecr3t-key';
const voiceId = fakeVoiceId(7);

/** A fault for both attempts (the test allows one retry). */
function twice(step: FakePreloadStep): FakePreloadStep[] {
  return [step, step];
}

describe('the API key', () => {
  let server: FakeHamsaServer;
  let app: HamsaTestApp | undefined;

  beforeEach(async () => {
    server = await FakeHamsaServer.start({ apiKey });
  });
  afterEach(async () => {
    await closeAll(app?.moduleRef).finally(() => server.close());
    app = undefined;
  });

  it.each<[string, FakePreloadStep[]]>([
    ['a 404', [{ status: 404 }]],
    [
      'a 500 that echoes the key',
      twice({ status: 500, body: `upstream rejected Token ${apiKey}` }),
    ],
    ['a 429 that echoes the key', twice({ status: 429, body: { message: `${apiKey} throttled` } })],
    ['connection resets', twice({ reset: true })],
    ['a hang', twice({ hang: true })],
  ])('appears nowhere after %s', async (_fault, steps) => {
    server.script(voiceId, ...steps);
    app = await compileHamsaApp(
      fakeOptions(server, { apiKey, voiceIds: [voiceId], retries: 1, requestTimeoutMs: 200 }),
    );

    const error = await app.moduleRef.init().catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(HamsaPreloadError);
    expect(server.requests[0].headers.authorization).toBe(`Token ${apiKey}`);
    for (const text of serialisations(app, error)) expect(text).not.toContain(apiKey);
  });

  it('appears nowhere when Hamsa rejects it', async () => {
    app = await compileHamsaApp(
      fakeOptions(server, { apiKey: `${apiKey}-revoked`, voiceIds: [voiceId] }),
    );

    const error = await app.moduleRef.init().catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(HamsaPreloadError);
    for (const text of serialisations(app, error)) expect(text).not.toContain(apiKey);
  });

  it('appears nowhere when Hamsa cannot be reached', async () => {
    const closed = await FakeHamsaServer.start();
    const unreachableUrl = closed.url;
    await closed.close();
    app = await compileHamsaApp({
      ...fakeOptions(server, { apiKey, voiceIds: [voiceId], retries: 1 }),
      baseUrl: unreachableUrl,
    });

    const error = await app.moduleRef.init().catch((caught: unknown) => caught);

    expect((error as HamsaPreloadError).failures[0].error.name).toBe('HamsaConnectionError');
    for (const text of serialisations(app, error)) expect(text).not.toContain(apiKey);
  });
});
