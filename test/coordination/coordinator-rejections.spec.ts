import { describe, expect, it } from '@jest/globals';
import { type HamsaCoordinator } from '../../lib/index.js';
import { fakeVoiceId } from '../../lib/testing/index.js';
import {
  trapUnhandledRejections,
  useHamsaHarness,
  sleep,
  waitFor,
} from '../support/hamsa-harness.js';

const [voiceA, voiceB] = [1, 2].map(fakeVoiceId);

/** A coordinator that acts alone, except for the methods `broken` replaces. */
function coordinator(broken: Partial<HamsaCoordinator>): HamsaCoordinator {
  return {
    state: 'connected',
    takeToken: () => Promise.resolve(),
    claimPreload: () => Promise.resolve({ settle: () => Promise.resolve() }),
    claimRefresh: () => Promise.resolve(true),
    close: () => Promise.resolve(),
    ...broken,
  };
}

const failure = () => new Error('store exploded\nERROR [HamsaVoice] forged');

describe('a custom coordinator that rejects or throws', () => {
  const harness = useHamsaHarness();

  it.each<
    [string, Partial<HamsaCoordinator>, (server: { requests: readonly unknown[] }) => boolean]
  >([
    [
      'claimRefresh rejects',
      { claimRefresh: () => Promise.reject(failure()) },
      // Two voices, each refreshed twice at least: the coordinator failed four times or more.
      (server) => server.requests.length >= 6,
    ],
    [
      'claimRefresh throws synchronously',
      {
        claimRefresh: () => {
          throw failure();
        },
      },
      (server) => server.requests.length >= 6,
    ],
    [
      'settle rejects',
      { claimPreload: () => Promise.resolve({ settle: () => Promise.reject(failure()) }) },
      (server) => server.requests.length >= 2,
    ],
    [
      'claimPreload rejects',
      { claimPreload: () => Promise.reject(failure()) },
      (server) => server.requests.length >= 2,
    ],
    [
      'takeToken throws synchronously',
      {
        takeToken: () => {
          throw failure();
        },
      },
      (server) => server.requests.length >= 2,
    ],
  ])(
    '%s: no unhandled rejection, one escaped log line, and the replica acts alone',
    async (method, broken, hasActedAlone) => {
      const unhandled = trapUnhandledRejections();
      try {
        const server = await harness.server();
        const app = await harness.start(server, {
          voiceIds: [voiceA, voiceB],
          refreshIntervalMs: 50,
          coordinator: coordinator(broken),
        });

        expect(app.readiness.isAllReady()).toBe(true);
        await waitFor(() => hasActedAlone(server), 'requests sent alone', 3_000);
        await harness.close(app.moduleRef);
        await sleep(20); // let a rejection left unhandled reach the trap

        expect(unhandled.reasons).toEqual([]);
        const name = method.split(' ')[0];
        const lines = app.logger.lines.filter((line) => line.message.includes('coordinator'));
        expect(lines).toEqual([
          {
            level: 'warn',
            context: 'HamsaVoice',
            message:
              `coordinator ${name}() failed (Error: store exploded\\nERROR [HamsaVoice] forged); ` +
              'this replica acts alone for such calls when it fails (logged once)',
          },
        ]);
      } finally {
        unhandled.remove();
      }
    },
  );

  it('still lets a preload stop on shutdown while the coordinator waits (its abort is not a failure)', async () => {
    const unhandled = trapUnhandledRejections();
    try {
      const server = await harness.server();
      const waiting = coordinator({
        takeToken: (_voiceId, signal) =>
          new Promise((_resolve, reject) =>
            signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true }),
          ),
      });
      const app = await harness.start(server, {
        voiceIds: [voiceA],
        waitForReady: false,
        coordinator: waiting,
      });

      await harness.close(app.moduleRef);
      await sleep(20);

      expect(server.requests).toHaveLength(0);
      expect(unhandled.reasons).toEqual([]);
      expect(app.logger.lines.filter((line) => line.message.includes('coordinator'))).toEqual([]);
    } finally {
      unhandled.remove();
    }
  });

  it.each<[string, HamsaCoordinator['reportRateLimited']]>([
    [
      'throws',
      () => {
        throw failure();
      },
    ],
    ['rejects', (() => Promise.reject(failure())) as HamsaCoordinator['reportRateLimited']],
    ['is absent (a coordinator written before it)', undefined],
  ])(
    'a 429 told to a coordinator whose reportRateLimited %s: the voice still retries and is ready, no unhandled rejection',
    async (how, reportRateLimited) => {
      const unhandled = trapUnhandledRejections();
      try {
        const server = await harness.server();
        server.script(voiceA, { status: 429, headers: { 'retry-after': '0' } });
        const app = await harness.start(server, {
          voiceIds: [voiceA],
          retryDelayMs: 10,
          coordinator: coordinator(reportRateLimited ? { reportRateLimited } : {}),
        });
        await sleep(20);

        expect(app.readiness.isReady(voiceA)).toBe(true);
        expect(server.requests).toHaveLength(2);
        expect(unhandled.reasons).toEqual([]);
        const lines = app.logger.lines.filter((line) => line.message.includes('coordinator'));
        expect(lines.map((line) => line.message)).toEqual(
          how === 'is absent (a coordinator written before it)'
            ? []
            : [expect.stringContaining('coordinator reportRateLimited() failed')],
        );
      } finally {
        unhandled.remove();
      }
    },
  );
});
