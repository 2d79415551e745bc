import { inspect } from 'node:util';
import { HttpService } from '@nestjs/axios';
import { describe, expect, it } from '@jest/globals';
import axios from 'axios';
import { HAMSA_VOICE_RESOLVED_OPTIONS } from '../../lib/hamsa-voice.constants.js';
import { HamsaHttpClient } from '../../lib/gateway/hamsa-http.client.js';
import { HamsaTtsService, VoiceReadinessService } from '../../lib/index.js';
import { fakeVoiceId } from '../../lib/testing/index.js';
import { rejectionOf, useHamsaHarness } from '../support/hamsa-harness.js';
import { collect } from '../tts/tts-harness.js';
import { errorSerialisations, leaksOf } from '../support/secrets.js';

const apiKey = 'hK7+q/Zx9=Lm+Vb/Tr0=-show-hidden';
const secrets = [apiKey, encodeURIComponent(apiKey)];
const views = (value: unknown) => [
  inspect(value, { showHidden: true, depth: 6 }),
  inspect(value, { showHidden: true, depth: 6, getters: true }),
];

function expectNoLeak(texts: string[]): void {
  for (const secret of secrets) expect(leaksOf(secret, texts)).toEqual([]);
}

describe('util.inspect with showHidden', () => {
  const harness = useHamsaHarness();

  it('shows the key in none of the services, the client, the options nor the errors', async () => {
    const server = await harness.server({ apiKey, coldStartMs: 0 });
    const voice = fakeVoiceId(1);
    const missing = fakeVoiceId(2);
    server.script(missing, { status: 404 });
    const app = await harness.start(server, {
      apiKey,
      voiceIds: [voice, missing],
      failOnError: false,
      retries: 0,
    });
    const tts = app.moduleRef.get(HamsaTtsService);
    server.scriptTts('Amjad', { status: 500, body: `echo ${apiKey}` }, { cutAfterBytes: 10 });
    const session = await tts.openSession();
    server.scriptTts('Amjad', { error: `echo ${apiKey}` });
    const errors = [
      await rejectionOf(app.readiness.whenReady(missing)),
      await rejectionOf(tts.synthesize({ text: 'مرحبا', speaker: 'Amjad' })),
      await rejectionOf(tts.synthesize({ text: 'مرحبا', speaker: 'Amjad' })),
      await rejectionOf(collect(session.speak({ text: 'مرحبا', speaker: 'Amjad' }))),
    ];
    await session.close();

    expect(errors.map((error) => (error as Error).name)).toEqual([
      'VoicePreloadFailedError',
      'HamsaServerError',
      'HamsaConnectionError',
      'HamsaRealtimeError',
    ]);
    expect(server.requests.filter((request) => request.headers.authorization)).toHaveLength(4);
    expectNoLeak(
      [
        app.moduleRef.get(VoiceReadinessService),
        tts,
        session,
        app.moduleRef.get(HamsaHttpClient),
        app.moduleRef.get(HAMSA_VOICE_RESOLVED_OPTIONS),
        ...errors,
      ].flatMap(views),
    );
    expectNoLeak(errors.flatMap(errorSerialisations));
  });

  it("shows the key neither in the module's HttpService nor in any axios defaults", async () => {
    const server = await harness.server({ apiKey });
    const app = await harness.start(server, { apiKey, voiceIds: [fakeVoiceId(1)] });
    const http = app.moduleRef.get(HttpService, { strict: false });

    expect(server.requests[0].headers.authorization).toBe(`Token ${apiKey}`);
    // The module's own axios instance, not the app's global one.
    expect(http.axiosRef).not.toBe(axios);
    expectNoLeak([
      ...views(http),
      ...views(http.axiosRef.defaults),
      JSON.stringify(http.axiosRef.defaults.headers),
      ...views(axios.defaults),
      JSON.stringify(axios.defaults.headers),
    ]);
  });

  it('keeps the axios error (its config holds the key) out of a connection failure', async () => {
    const server = await harness.server({ apiKey });
    const voice = fakeVoiceId(1);
    server.script(voice, { reset: true });
    const app = await harness.start(server, {
      apiKey,
      voiceIds: [voice],
      failOnError: false,
      retries: 0,
    });

    const error = await rejectionOf(app.readiness.whenReady(voice));

    const cause = (error as Error).cause as Error;
    expect(cause.name).toBe('HamsaConnectionError');
    expect(cause.cause).toBeUndefined();
    expectNoLeak([...views(error), ...errorSerialisations(error)]);
  });
});
