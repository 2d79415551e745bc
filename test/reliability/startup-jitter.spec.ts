import { describe, expect, it } from '@jest/globals';
import { VoiceNotReadyError } from '../../lib/index.js';
import { fakeVoiceId } from '../../lib/testing/index.js';
import {
  failOnUnhandledRejections,
  settled,
  sleep,
  useHamsaHarness,
} from '../support/hamsa-harness.js';

const voiceIds = Array.from({ length: 12 }, (_, n) => fakeVoiceId(n));

describe('startupJitterMs', () => {
  const harness = useHamsaHarness();
  failOnUnhandledRejections('each');

  it('spreads the first requests over the window, voices pending meanwhile', async () => {
    const server = await harness.server();
    const startedAt = Date.now();
    const app = await harness.start(server, {
      voiceIds,
      startupJitterMs: 400,
      waitForReady: false,
    });

    expect(app.readiness.getAllStatuses().every((status) => status.state === 'pending')).toBe(true);
    await app.readiness.whenAllReady({ timeoutMs: 5_000 });
    const times = server.requests.map((request) => request.receivedAt - startedAt);
    expect(times).toHaveLength(voiceIds.length);
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan(50);
    expect(Math.max(...times)).toBeLessThan(400 + 1_500);
  });

  it('holds a blocking bootstrap until the jittered voices are ready', async () => {
    const server = await harness.server();
    const app = await harness.start(server, { voiceIds, startupJitterMs: 100 });

    expect(app.readiness.isAllReady()).toBe(true);
    expect(server.requests).toHaveLength(voiceIds.length);
  });

  it('is cut short by close(): nothing is sent, waiters are told shutdown', async () => {
    const server = await harness.server();
    const app = await harness.start(server, {
      voiceIds,
      startupJitterMs: 60_000,
      waitForReady: false,
    });
    const waiting = settled(app.readiness.whenReady(voiceIds[0]));

    const closing = Date.now();
    await app.moduleRef.close();

    expect(Date.now() - closing).toBeLessThan(1_000);
    expect(await waiting).toBeInstanceOf(VoiceNotReadyError);
    await sleep(100);
    expect(server.requests).toHaveLength(0);
  });
});
