import { describe, expect, it } from '@jest/globals';
import {
  HamsaPreloadError,
  type HamsaVoiceModuleOptions,
  VoicePreloadFailedError,
} from '../../lib/index.js';
import { FakeHamsaServer, type FakePreloadStep, fakeVoiceId } from '../../lib/testing/index.js';
import { closeAll, compileHamsaApp, fakeOptions } from '../support/hamsa-app.js';
import { failOnUnhandledRejections } from '../support/hamsa-harness.js';
import { leaksOf, serialisations } from '../support/secrets.js';
import { type Fault, FAULTS, SECRET_KEY } from './faults.js';

const voiceId = fakeVoiceId(42);

/** Short limits, so that the whole matrix runs in well under a minute. */
const LIMITS = {
  retries: 2,
  requestTimeoutMs: 300,
  retryDelayMs: 10,
  maxRetryDelayMs: 50,
  deadlineMs: 3_000,
} satisfies Partial<HamsaVoiceModuleOptions>;
/** Slack on top of `deadlineMs` for a loaded, shared machine. */
const MARGIN_MS = 1_500;

type Mode =
  'blocking+failOnError' | 'blocking' | 'background+failOnError' | 'background' | 'preload()';
const MODES: Record<Mode, Partial<HamsaVoiceModuleOptions>> = {
  'blocking+failOnError': { waitForReady: true, failOnError: true },
  blocking: { waitForReady: true, failOnError: false },
  'background+failOnError': { waitForReady: false, failOnError: true },
  background: { waitForReady: false, failOnError: false },
  'preload()': { voiceIds: [] },
};

/** A port nothing listens on (a server was there a moment ago). */
async function closedPortUrl(): Promise<string> {
  const server = await FakeHamsaServer.start();
  await server.close();
  return server.url;
}

/** Runs one cell of the matrix and asserts everything issue 4 asks of it. */
async function runCell(fault: Fault, mode: Mode): Promise<void> {
  const server = await FakeHamsaServer.start({ apiKey: SECRET_KEY });
  try {
    if (fault.step !== 'refused') {
      const step = typeof fault.step === 'function' ? fault.step() : fault.step;
      server.script(voiceId, ...Array<FakePreloadStep>(LIMITS.retries + 1).fill(step));
    }
    const options = fakeOptions(server, {
      voiceIds: [voiceId],
      ...LIMITS,
      ...fault.options,
      ...MODES[mode],
    });
    if (fault.step === 'refused') options.baseUrl = await closedPortUrl();
    const app = await compileHamsaApp(options);
    try {
      const startedAt = Date.now();
      const thrown = await settle(app, mode);
      const tookMs = Date.now() - startedAt;
      expect(tookMs).toBeLessThanOrEqual(LIMITS.deadlineMs + MARGIN_MS);
      expect(leaksOf(SECRET_KEY, serialisations(app, thrown))).toEqual([]);

      if (!fault.error) {
        // A tolerated answer: the voice is ready after one request, whatever the mode.
        expect(thrown).toBeUndefined();
        expect(app.readiness.getStatus(voiceId)).toMatchObject({ state: 'ready', attempts: 1 });
        expect(server.requestsFor(voiceId)).toHaveLength(1);
        return;
      }

      // The error class, as each mode delivers it (`undefined`: the promise resolved).
      if (mode === 'blocking+failOnError') {
        expect(thrown).toBeInstanceOf(HamsaPreloadError);
        expect((thrown as HamsaPreloadError).failures[0].error).toBeInstanceOf(fault.error);
      } else if (mode === 'preload()') {
        expect(thrown).toBeInstanceOf(fault.error);
      } else if (mode.startsWith('background')) {
        expect(thrown).toBeInstanceOf(VoicePreloadFailedError);
        expect((thrown as VoicePreloadFailedError).cause).toBeInstanceOf(fault.error);
      } else {
        expect(thrown).toBeUndefined();
      }

      // The final status.
      const status = app.readiness.getStatus(voiceId);
      expect(status).toMatchObject({
        state: 'failed',
        error: { name: fault.error.name, retryable: fault.retryable },
      });
      expect(status?.error?.status).toBe(fault.status);

      // Requests: exactly one unless retryable, never more than retries + 1.
      const reached = server.requestsFor(voiceId).length;
      const attempts = status?.attempts ?? 0;
      if (fault.step === 'refused') expect(reached).toBe(0);
      else expect(reached).toBe(attempts);
      // Every retryable fault here fits retries + 1 attempts in the deadline, so all are used.
      expect(attempts).toBe(fault.retryable ? LIMITS.retries + 1 : 1);

      // The key was sent (so there was something to leak).
      if (reached > 0) expect(server.requests[0].headers.authorization).toBe(`Token ${SECRET_KEY}`);
    } finally {
      await closeAll(app.moduleRef);
    }
  } finally {
    await server.close();
  }
}

/**
 * Starts the app in `mode` and waits until the voice has settled. Returns what the mode's
 * documented surface rejects with: `init()` (blocking + failOnError), `whenReady()`
 * (background), `preload()` (run time); `undefined` when bootstrap resolves and reports only.
 */
async function settle(app: Awaited<ReturnType<typeof compileHamsaApp>>, mode: Mode) {
  if (mode === 'preload()') {
    await app.moduleRef.init();
    return outcomeOf(app.readiness.preload(voiceId));
  }
  if (mode === 'blocking+failOnError') return outcomeOf(app.moduleRef.init());
  await app.moduleRef.init();
  if (mode === 'blocking') return undefined;
  // In the background, bootstrap resolved before the preload settled.
  expect(app.readiness.getStatus(voiceId)?.state).toBe('loading');
  return outcomeOf(app.readiness.whenReady(voiceId));
}

/** The rejection reason, or `undefined` when the promise resolved. */
function outcomeOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('fault matrix: every fault × every mode', () => {
  failOnUnhandledRejections('all');

  it.each(FAULTS.map((fault) => [fault.name, fault] as const))(
    '%s',
    async (_name, fault) => {
      // The modes of one fault run side by side, each against its own server.
      const results = await Promise.allSettled(
        (Object.keys(MODES) as Mode[]).map((mode) =>
          runCell(fault, mode).catch((error: unknown) => {
            throw new Error(`mode ${mode}: ${String((error as Error).message ?? error)}`);
          }),
        ),
      );
      const failures = results.flatMap((result) =>
        result.status === 'rejected' ? [String((result.reason as Error).message)] : [],
      );
      expect(failures).toEqual([]);
    },
    20_000,
  );
});
