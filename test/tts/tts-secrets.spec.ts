import { inspect } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { HamsaTtsService } from '../../lib/index.js';
import { type FakeTtsStep, fakeVoiceId } from '../../lib/testing/index.js';
import { type HamsaTestApp } from '../support/hamsa-app.js';
import { rejectionOf, useHamsaHarness } from '../support/hamsa-harness.js';

const apiKey = 'hamsa-live-5ecr3t-tts-key';
const voice = fakeVoiceId(5);
const text = 'مرحبا';

async function drain(chunks: AsyncIterable<Buffer>): Promise<void> {
  for await (const _chunk of chunks);
}

/** Every form in which an error or the service could reach a log or a response. */
function serialisations(app: HamsaTestApp, ...errors: unknown[]): string[] {
  return [
    ...errors.flatMap((error) => [
      JSON.stringify(error),
      inspect(error, { depth: Infinity }),
      String(error),
      (error as Error).stack ?? '',
    ]),
    inspect(app.moduleRef.get(HamsaTtsService), { depth: 4 }),
    ...app.logger.lines.map((line) => line.message),
  ];
}

describe('the API key in real-time TTS', () => {
  const harness = useHamsaHarness();

  async function start(overrides: { apiKey?: string; retries?: number } = {}) {
    const server = await harness.server({ apiKey, coldStartMs: 0 });
    const app = await harness.start(server, { apiKey, voiceIds: [voice], ...overrides });
    return { server, app, tts: app.moduleRef.get(HamsaTtsService) };
  }

  it.each<[string, FakeTtsStep[]]>([
    ['a 500 that echoes the key', [{ status: 500, body: `bad Token ${apiKey}` }]],
    [
      'a 503 twice that echoes the key',
      [
        { status: 503, body: { message: apiKey } },
        { status: 503, body: { message: apiKey } },
      ],
    ],
    ['a cut-off stream', [{ cutAfterBytes: 100 }]],
  ])('appears in no REST error nor log after %s', async (_fault, steps) => {
    const { server, app, tts } = await start({ retries: 1 });
    server.scriptTts(voice, ...steps);

    const error = await rejectionOf(drain(tts.stream({ text, speaker: voice })));

    expect(server.requests.at(-1)?.headers.authorization).toBe(`Token ${apiKey}`);
    for (const serialised of serialisations(app, error)) expect(serialised).not.toContain(apiKey);
  });

  it('appears in no WebSocket error, nor in the session, whatever Hamsa says', async () => {
    const { server, app, tts } = await start();
    const session = await tts.openSession();
    server.scriptTts(
      voice,
      { error: `invalid key ${apiKey}` },
      { closeCode: 4500, reason: apiKey },
    );

    const messageError = await rejectionOf(drain(session.speak({ text, speaker: voice })));
    const closeError = await rejectionOf(drain(session.speak({ text, speaker: voice })));

    expect(server.requests.some((request) => request.headers['x-api-key'] === apiKey)).toBe(true);
    const texts = [
      ...serialisations(app, messageError, closeError),
      inspect(session, { depth: 6 }),
    ];
    for (const serialised of texts) expect(serialised).not.toContain(apiKey);
  });

  it('appears nowhere when the WebSocket cannot be reached or rejects the key', async () => {
    const closed = await harness.server();
    const unreachable = closed.url;
    await closed.close();
    const server = await harness.server();
    const refused = await harness.start(server, {
      apiKey: `${apiKey}-revoked`,
      baseUrl: server.url,
    });
    const unreachableApp = await harness.start(server, {
      apiKey,
      baseUrl: unreachable,
      retries: 1,
    });

    const errors = [
      await rejectionOf(refused.moduleRef.get(HamsaTtsService).openSession()),
      await rejectionOf(unreachableApp.moduleRef.get(HamsaTtsService).openSession()),
      await rejectionOf(
        unreachableApp.moduleRef.get(HamsaTtsService).synthesize({ text, speaker: 'Amjad' }),
      ),
    ];

    expect(errors.map((error) => (error as Error).name)).toEqual([
      'HamsaAuthenticationError',
      'HamsaConnectionError',
      'HamsaConnectionError',
    ]);
    for (const app of [refused, unreachableApp]) {
      for (const serialised of serialisations(app, ...errors)) {
        expect(serialised).not.toContain(apiKey);
      }
    }
  });
});
