import { describe, expect, it } from '@jest/globals';
import {
  type HamsaTtsSession,
  type HamsaVoiceModuleOptions,
  VoiceNotReadyError,
} from '../../lib/index.js';
import {
  type FakeHamsaServer,
  type FakeHamsaServerOptions,
  fakeSpeech,
  fakeVoiceId,
} from '../../lib/testing/index.js';
import {
  failOnUnhandledRejections,
  rejectionOf,
  sleep,
  useHamsaHarness,
  waitFor,
  within,
} from '../support/hamsa-harness.js';
import { collect, handshakes, startTts, text, voice } from './tts-harness.js';

const HELLO_DELAY_MS = 200;

/** `'session'` if `opening` resolves before a `ms` timer fires, otherwise `'timer'`. */
async function raceTimer(opening: Promise<HamsaTtsSession>, ms: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const fired = new Promise<string>((resolve) => (timer = setTimeout(resolve, ms, 'timer')));
  try {
    return await Promise.race([opening.then(() => 'session'), fired]);
  } finally {
    clearTimeout(timer);
  }
}

describe('tts.warmSessions', () => {
  const harness = useHamsaHarness();
  failOnUnhandledRejections('each');

  /** An app keeping `warmSessions` sessions, against a server slow to say hello. */
  async function startWarm(
    warmSessions: number,
    serverOptions: FakeHamsaServerOptions = {},
    overrides: Partial<HamsaVoiceModuleOptions> = {},
  ) {
    return startTts(
      harness,
      { newConnectionDelayMs: HELLO_DELAY_MS, ...serverOptions },
      { tts: { warmSessions }, ...overrides },
    );
  }

  /** Waits until `count` sessions are open on the server and past their hello. */
  async function warmed(server: FakeHamsaServer, count: number): Promise<void> {
    await waitFor(() => server.openWebSockets === count, `${count} WebSockets open`);
    await sleep(HELLO_DELAY_MS + 50);
  }

  it('opens them after bootstrap, without holding bootstrap up', async () => {
    const server = await harness.server({ newConnectionDelayMs: 1_000 });
    const app = await harness.compile(server, { tts: { warmSessions: 2 } });

    const startedAt = Date.now();
    await app.moduleRef.init();

    expect(Date.now() - startedAt).toBeLessThan(1_000);
    await waitFor(() => server.openWebSockets === 2, 'two warm WebSockets open');
  });

  it('hands one out at once and opens a replacement behind it', async () => {
    const { server, tts } = await startWarm(2);
    await warmed(server, 2);
    expect(handshakes(server)).toBe(2);

    const opening = tts.openSession();

    // Well under the hello delay that a new connection would wait for.
    expect(await raceTimer(opening, 150)).toBe('session');
    const session = await opening;
    await waitFor(() => handshakes(server) === 3, 'a third connection opened');
    const audio = await collect(session.speak({ text, speaker: voice }));
    expect(audio.equals(fakeSpeech(text))).toBe(true);
    await session.close();
    await waitFor(() => server.openWebSockets === 2, 'the handed-out session closed');
  });

  it('opens a new session when the pool has none ready yet', async () => {
    const { server, tts } = await startWarm(1);
    await waitFor(() => server.openWebSockets === 1, 'the warm WebSocket opening');

    const session = await tts.openSession();

    expect(handshakes(server)).toBe(2);
    expect(session.isOpen).toBe(true);
    await session.close();
  });

  it('replaces a pooled session that the server closes', async () => {
    const { server, tts } = await startWarm(2);
    await warmed(server, 2);

    server.closeWebSockets();

    await waitFor(() => handshakes(server) === 4, 'two replacements opened');
    await warmed(server, 2);
    expect(await raceTimer(tts.openSession(), 150)).toBe('session');
  });

  it('backs off while sessions cannot open, and logs a short warning without the key', async () => {
    // Every hello comes after the 100 ms the client waits for it.
    const server = await harness.server({ newConnectionDelayMs: 1_000 });
    const app = await harness.start(server, {
      tts: { warmSessions: 2 },
      requestTimeoutMs: 100,
    });

    await sleep(700);

    // Two openings every ~200 ms (100 ms timeout, at least 100 ms wait), not a spin.
    expect(handshakes(server)).toBeGreaterThanOrEqual(4);
    expect(handshakes(server)).toBeLessThanOrEqual(8);
    const warnings = app.logger.messages('warn');
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings[0]).toMatch(
      /^Warm TTS session could not open \(HamsaTimeoutError: .*\); trying again in \d+ ms$/,
    );
    expect(warnings.join('\n')).not.toContain(server.apiKey);
  });

  it('stops after a failure that cannot heal: a rejected key', async () => {
    const server = await harness.server();
    const app = await harness.start(server, {
      apiKey: 'wrong-key',
      tts: { warmSessions: 2 },
    });
    await waitFor(() => handshakes(server) === 2, 'both warm sessions tried');

    await sleep(300);

    expect(handshakes(server)).toBe(2);
    expect(app.logger.messages('warn')).toEqual([
      expect.stringMatching(
        /^Warm TTS session could not open \(HamsaAuthenticationError: .*4001.*\); not trying again$/,
      ),
    ]);
    expect(app.logger.messages('warn').join('\n')).not.toContain('wrong-key');
  });

  it('waits for the configured voices before opening', async () => {
    const server = await harness.server({ latencyMs: 300 });
    await harness.start(server, {
      voiceIds: [voice],
      waitForReady: false,
      tts: { warmSessions: 1 },
    });

    await waitFor(() => handshakes(server) === 1, 'the warm session opened');

    const opened = server.requests.find((request) => request.path.startsWith('/v1/realtime/ws'))!;
    expect(opened.receivedAt).toBeGreaterThanOrEqual(server.requestsFor(voice)[0].receivedAt + 250);
  });

  it("applies the caller's voiceTimeoutMs and signal to a session from the pool", async () => {
    // On-demand preloads take 300 ms.
    const { server, tts } = await startWarm(1, { latencyMs: 300 }, { voiceIds: [] });
    await warmed(server, 1);
    const controller = new AbortController();

    const session = await tts.openSession({ voiceTimeoutMs: 50, signal: controller.signal });
    const error = await rejectionOf(collect(session.speak({ text, speaker: fakeVoiceId(2) })));

    expect(error).toBeInstanceOf(VoiceNotReadyError);
    expect(error).toMatchObject({ reason: 'timeout' });
    expect(handshakes(server)).toBe(2);
    controller.abort();
    await within(1_000, 'the session closing', session.closed);
  });

  it('closes pooled, handed-out and opening sessions at shutdown', async () => {
    const { server, app, tts } = await startWarm(2);
    await warmed(server, 2);
    const session = await tts.openSession();
    await waitFor(() => server.openWebSockets === 3, 'the replacement opening');

    await harness.close(app.moduleRef);

    expect(session.isOpen).toBe(false);
    await waitFor(() => server.openWebSockets === 0, 'every WebSocket closed');
  });

  it('closes openings in flight when the application closes during their hello', async () => {
    const { server, app } = await startWarm(2);
    await waitFor(() => server.openWebSockets === 2, 'two warm WebSockets opening');

    await harness.close(app.moduleRef);

    await waitFor(() => server.openWebSockets === 0, 'every WebSocket closed');
    expect(app.logger.messages('warn')).toEqual([]);
  });

  it('opens nothing with warmSessions 0 (the default)', async () => {
    const { server, tts } = await startWarm(0);

    await sleep(100);

    expect(handshakes(server)).toBe(0);
    const session = await tts.openSession();
    expect(handshakes(server)).toBe(1);
    await session.close();
  });
});
