import { describe, expect, it } from '@jest/globals';
import { VoiceNotReadyError, VoicePreloadFailedError } from '../lib/index.js';
import { type FakeHamsaServer, fakeVoiceId } from '../lib/testing/index.js';
import {
  failOnUnhandledRejections,
  rejectionOf,
  settled,
  sleep,
  useHamsaHarness,
  waitFor,
} from './support/hamsa-harness.js';

const [voiceA, voiceB] = [1, 2].map(fakeVoiceId);

describe('shutdown', () => {
  const harness = useHamsaHarness();

  // Called after the harness, so its afterEach runs once the apps are closed.
  const unhandled = failOnUnhandledRejections('each');

  /** Asserts that the server receives no request in the next `ms`. */
  async function expectNoRequestAfter(server: FakeHamsaServer, ms: number): Promise<void> {
    const count = server.requests.length;
    await sleep(ms);
    expect(server.requests).toHaveLength(count);
  }

  /** Closes the app, asserting that it returns promptly. */
  async function closePromptly(close: () => Promise<void>): Promise<void> {
    const startedAt = Date.now();
    await close();
    expect(Date.now() - startedAt).toBeLessThan(1_000);
  }

  it('the trap sees an unhandled rejection (sanity check of this suite)', async () => {
    const rejected = Promise.reject(new Error('left unhandled on purpose'));
    await waitFor(() => unhandled.reasons.length === 1, 'the trap to record the rejection');
    // Handled late, Node emits `rejectionHandled` (a tick later), and jest no longer fails the test.
    await rejected.catch(() => undefined);
    await sleep(20);
    unhandled.reasons.length = 0;
  });

  it('closes an app that was compiled but never initialised, having sent nothing', async () => {
    const server = await harness.server();
    const app = await harness.compile(server, { voiceIds: [voiceA] });

    await closePromptly(() => app.moduleRef.close());

    expect(server.requests).toHaveLength(0);
  });

  it('aborts in-flight preloads and rejects every waiter with reason shutdown', async () => {
    const server = await harness.server();
    server.script(voiceA, { hang: true }).script(voiceB, { hang: true });
    const app = await harness.start(server, { voiceIds: [voiceA], waitForReady: false });
    expect(app.readiness.getStatus(voiceA)?.state).toBe('loading');
    const waiting = settled(app.readiness.whenReady(voiceA));
    const preloading = settled(app.readiness.preload(voiceB));
    await waitFor(() => server.inFlight === 2, 'both requests to reach the server');

    await closePromptly(() => app.moduleRef.close());

    expect(await waiting).toBeInstanceOf(VoiceNotReadyError);
    expect(await waiting).toMatchObject({ reason: 'shutdown', voiceId: voiceA });
    expect(await preloading).toBeInstanceOf(VoiceNotReadyError);
    await waitFor(() => server.inFlight === 0, 'the hanging requests to be aborted');
    await expectNoRequestAfter(server, 300);
  });

  it('rejects preload() called after close without sending anything', async () => {
    const server = await harness.server();
    const app = await harness.start(server);
    await app.moduleRef.close();

    const error = await rejectionOf(app.readiness.preload(voiceA));

    expect(error).toMatchObject({ reason: 'shutdown' });
    expect(server.requests).toHaveLength(0);
  });

  it('cancels the wait between retries', async () => {
    const server = await harness.server();
    server.script(voiceA, { status: 503 }, { status: 503 });
    // Backoff of 200-400 ms: long enough to close during it, short enough to wait out.
    const app = await harness.start(server, {
      voiceIds: [voiceA],
      waitForReady: false,
      retryDelayMs: 400,
      maxRetryDelayMs: 400,
    });
    await waitFor(
      () => app.logger.messages('warn').some((line) => line.includes('retrying in')),
      'the first attempt to fail and the backoff to start',
    );

    await closePromptly(() => app.moduleRef.close());

    expect(server.requests).toHaveLength(1);
    await expectNoRequestAfter(server, 500);
  });

  it('with waitForReady false, starts despite failures and reports them in status and logs', async () => {
    const server = await harness.server({ voiceIds: [voiceA] });
    const app = await harness.start(server, {
      voiceIds: [voiceA, voiceB],
      waitForReady: false,
      failOnError: true,
    });

    expect(await settled(app.readiness.whenAllReady())).toBeInstanceOf(VoicePreloadFailedError);
    await waitFor(() => app.readiness.getStatus(voiceA)?.state === 'ready', 'voice A to be ready');
    expect(app.readiness.getStatus(voiceB)).toMatchObject({
      state: 'failed',
      error: { name: 'HamsaVoiceNotFoundError', status: 404 },
    });
    const errors = app.logger.messages('error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(voiceB);
    expect(errors[0]).toContain('HamsaVoiceNotFoundError');
  });
});
