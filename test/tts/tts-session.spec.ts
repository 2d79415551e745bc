import { describe, expect, it } from '@jest/globals';
import {
  HamsaAuthenticationError,
  HamsaConnectionError,
  HamsaQuotaExceededError,
  HamsaRealtimeError,
  HamsaServerError,
  HamsaTtsRequestError,
  HamsaTtsService,
  type HamsaTtsSession,
} from '../../lib/index.js';
import { fakeSpeech } from '../../lib/testing/index.js';
import { rejectionOf, useHamsaHarness, waitFor, within } from '../support/hamsa-harness.js';
import { collect, openTtsSession, text, voice } from './tts-harness.js';

describe('HamsaTtsSession (WebSocket)', () => {
  const harness = useHamsaHarness();

  it('connects with the key in the X-Api-Key header only (not in the URL), and speaks', async () => {
    const { server, session } = await openTtsSession(harness);

    const audio = await collect(session.speak({ text, speaker: voice, dialect: 'modern' }));

    expect(audio.equals(fakeSpeech(text))).toBe(true);
    expect(server.ttsCalls).toEqual([
      expect.objectContaining({
        transport: 'ws',
        coldStartMs: 0,
        payload: { text, speaker: voice, dialect: 'modern' },
      }),
    ]);
    const handshake = server.requests.find((request) => request.method === 'GET')!;
    expect(handshake.path).toBe('/v1/realtime/ws');
    expect(handshake.headers['x-api-key']).toBe(server.apiKey);
    await session.close();
    expect(session.isOpen).toBe(false);
    await waitFor(() => server.openWebSockets === 0, 'the server saw the session close');
  });

  it('queues requests: one at a time, in order', async () => {
    // Six frames 10 ms apart: the first request takes ~50 ms to play out.
    const { server, session } = await openTtsSession(harness, {
      ttsChunkSizes: [1000],
      ttsChunkIntervalMs: 10,
    });
    const second = 'أهلا وسهلا بكم جميعا';

    const [first, next] = await Promise.all([
      collect(session.speak({ text, speaker: voice })),
      collect(session.speak({ text: second, speaker: 'Amjad', mulaw: true })),
    ]);

    expect(first.equals(fakeSpeech(text))).toBe(true);
    expect(next.equals(fakeSpeech(second, true))).toBe(true);
    expect(server.ttsCalls.map((call) => call.text)).toEqual([text, second]);
    // Sent only after the first ended, not alongside it.
    expect(server.ttsCalls[1].receivedAt).toBeGreaterThanOrEqual(
      server.ttsCalls[0].receivedAt + 40,
    );
    await session.close();
  });

  it('skips the rest of a request the consumer left, and serves the next', async () => {
    const { session } = await openTtsSession(harness, {
      ttsChunkSizes: [500],
      ttsChunkIntervalMs: 2,
    });

    for await (const _frame of session.speak({ text, speaker: voice })) break;
    const audio = await collect(session.speak({ text: 'ثم', speaker: voice }));

    expect(audio.equals(fakeSpeech('ثم'))).toBe(true);
    await session.close();
  });

  it('turns an error message into HamsaRealtimeError and stays open', async () => {
    const { server, session } = await openTtsSession(harness);
    server.scriptTts(voice, { error: 'Speaker not available' });

    const error = await rejectionOf(collect(session.speak({ text, speaker: voice })));

    expect(error).toBeInstanceOf(HamsaRealtimeError);
    expect(error).toMatchObject({ voiceId: voice, retryable: false });
    expect((error as Error).message).toContain('Speaker not available');
    expect(session.isOpen).toBe(true);
    expect(await collect(session.speak({ text, speaker: voice }))).toHaveLength(
      fakeSpeech(text).length,
    );
    await session.close();
  });

  it.each([
    [4001, HamsaAuthenticationError, 401],
    [4003, HamsaQuotaExceededError, 402],
    [4500, HamsaServerError, 500],
  ])('turns close code %i into its typed error', async (closeCode, errorClass, status) => {
    const { server, session } = await openTtsSession(harness);
    server.scriptTts(voice, { closeCode });

    const error = await rejectionOf(collect(session.speak({ text, speaker: voice })));

    expect(error).toBeInstanceOf(errorClass);
    expect(error).toMatchObject({ status });
    expect((error as Error).message).toContain(`code ${closeCode}`);
    await session.closed;
    expect(session.isOpen).toBe(false);
    expect(await rejectionOf(collect(session.speak({ text, speaker: voice })))).toBe(error);
  });

  it('turns another close code into HamsaConnectionError', async () => {
    const { server, session } = await openTtsSession(harness);
    server.scriptTts(voice, { closeCode: 4999, reason: 'bye' });

    const error = await rejectionOf(collect(session.speak({ text, speaker: voice })));

    expect(error).toBeInstanceOf(HamsaConnectionError);
    expect(error).toMatchObject({ code: '4999' });
  });

  it('fails a request whose connection is cut mid-audio', async () => {
    const { server, session } = await openTtsSession(harness);
    server.scriptTts(voice, { cutAfterBytes: 3000 });

    const error = await rejectionOf(collect(session.speak({ text, speaker: voice })));

    expect(error).toBeInstanceOf(HamsaConnectionError);
  });

  it('rejects a wrong key: Hamsa closes with 4001 before info', async () => {
    const server = await harness.server();
    const app = await harness.start(server, { apiKey: 'wrong-key' });

    const error = await rejectionOf(app.moduleRef.get(HamsaTtsService).openSession());

    expect(error).toBeInstanceOf(HamsaAuthenticationError);
    await waitFor(() => server.openWebSockets === 0, 'the connection closed');
  });

  it('validates before sending: too long, or a dialect Hamsa does not know', async () => {
    const { server, session } = await openTtsSession(harness);

    expect(() => session.speak({ text: 'x'.repeat(2001), speaker: voice })).toThrow(
      HamsaTtsRequestError,
    );
    expect(() => session.speak({ text, speaker: voice, dialect: 'klingon' as never })).toThrow(
      /dialect must be one of .*modern/,
    );
    expect(server.ttsCalls).toHaveLength(0);
    await session.close();
  });

  it('waits for a voice that is still loading before sending', async () => {
    const server = await harness.server({ latencyMs: 300 });
    const app = await harness.start(server, { voiceIds: [voice], waitForReady: false });
    const session = await app.moduleRef.get(HamsaTtsService).openSession();

    await collect(session.speak({ text, speaker: voice }));

    expect(server.ttsCalls[0].coldStartMs).toBe(0);
    expect(server.ttsCalls[0].receivedAt).toBeGreaterThanOrEqual(
      server.requestsFor(voice)[0].receivedAt + 250,
    );
    await session.close();
  });

  it('fails a request still waiting for its voice as soon as the session closes', async () => {
    const server = await harness.server({ latencyMs: 500 });
    const app = await harness.start(server, { voiceIds: [voice], waitForReady: false });
    const session = await app.moduleRef.get(HamsaTtsService).openSession();
    const waiting = rejectionOf(collect(session.speak({ text, speaker: voice })));

    await session.close();

    const error = await within(100, 'the waiting request', waiting);
    expect(error).toBeInstanceOf(HamsaConnectionError);
    expect((error as Error).message).toBe('The Hamsa TTS session was closed');
    expect(server.ttsCalls).toHaveLength(0);
  });

  it('closes open sessions when the application shuts down', async () => {
    const { server, app } = await openTtsSession(harness);
    const tts = app.moduleRef.get(HamsaTtsService);
    const other: HamsaTtsSession = await tts.openSession();
    expect(server.openWebSockets).toBe(2);

    await app.moduleRef.close();

    expect(other.isOpen).toBe(false);
    await waitFor(() => server.openWebSockets === 0, 'the server saw both sessions close');
  });

  it('ends with the fake server: close() drops open WebSockets and hanging streams', async () => {
    const { server, tts, session } = await openTtsSession(harness);
    server.scriptTts('Amjad', { hang: true });
    const hanging = rejectionOf(collect(tts.stream({ text, speaker: 'Amjad' })));
    await waitFor(() => server.inFlight === 1, 'the stream request arrived');

    await server.close();

    await session.closed;
    expect(await hanging).toBeInstanceOf(HamsaConnectionError);
    await waitFor(() => server.openWebSockets === 0, 'the server dropped the WebSocket');
  });

  it('closes the session when its signal aborts', async () => {
    const server = await harness.server();
    const app = await harness.start(server);
    const controller = new AbortController();
    const session = await app.moduleRef
      .get(HamsaTtsService)
      .openSession({ signal: controller.signal });

    controller.abort();

    await session.closed;
    await waitFor(() => server.openWebSockets === 0, 'the server saw the session close');
  });
});
