import { describe, expect, it } from '@jest/globals';
import {
  HamsaBadRequestError,
  HamsaError,
  HamsaVoiceNotFoundError,
  UnknownVoiceError,
  VoiceNotReadyError,
  type VoiceNotReadyReason,
  VoicePreloadFailedError,
  type VoiceReadinessService,
  type VoiceState,
} from '../lib/index.js';
import { fakeVoiceId } from '../lib/testing/index.js';
import { rejectionOf, useHamsaHarness } from './support/hamsa-harness.js';

const [voiceA, voiceB, voiceC] = [1, 2, 3].map(fakeVoiceId);
const unknownVoice = fakeVoiceId(99);

describe('VoiceReadinessService', () => {
  const harness = useHamsaHarness();

  /** Starts with `voiceIds` preloading in the background; `hanging` voices never answer. */
  async function startInBackground(voiceIds: string[], ...hanging: string[]) {
    const server = await harness.server();
    for (const voiceId of hanging) server.script(voiceId, { hang: true });
    const app = await harness.start(server, { voiceIds, waitForReady: false });
    return { server, readiness: app.readiness };
  }

  /** Asserts `promise` rejects with a `VoiceNotReadyError` and returns it. */
  async function notReadyError(promise: Promise<unknown>): Promise<VoiceNotReadyError> {
    const error = await rejectionOf(promise);
    expect(error).toBeInstanceOf(VoiceNotReadyError);
    return error as VoiceNotReadyError;
  }

  describe('before init', () => {
    it('lists configured voices as pending, duplicates collapsed', async () => {
      const server = await harness.server();
      const { readiness } = await harness.compile(server, { voiceIds: [voiceA, voiceB, voiceA] });

      expect(readiness.getAllStatuses()).toEqual([
        { voiceId: voiceA, state: 'pending', attempts: 0, source: 'configured' },
        { voiceId: voiceB, state: 'pending', attempts: 0, source: 'configured' },
      ]);
      expect(readiness.getStatus(unknownVoice)).toBeUndefined();
      expect(readiness.isAllReady()).toBe(false);
      expect(server.requests).toHaveLength(0);
    });
  });

  describe('after init', () => {
    it('reports every voice ready, with when and how long', async () => {
      const server = await harness.server();
      const before = Date.now();
      const { readiness } = await harness.start(server, { voiceIds: [voiceA, voiceB] });

      expect(readiness.isReady(voiceA)).toBe(true);
      expect(readiness.isAllReady()).toBe(true);
      const status = readiness.getStatus(voiceA);
      expect(status).toMatchObject({ state: 'ready', attempts: 1 });
      expect(status?.readyAt).toBeInstanceOf(Date);
      expect(status?.readyAt?.getTime()).toBeGreaterThanOrEqual(before);
      expect(status?.durationMs).toBeGreaterThanOrEqual(0);
    });

    it('changes$ emits loading, then ready', async () => {
      const server = await harness.server();
      const app = await harness.compile(server, { voiceIds: [voiceA] });
      const states: VoiceState[] = [];
      app.readiness.changes$.subscribe((status) => {
        if (status.voiceId === voiceA) states.push(status.state);
      });

      await app.moduleRef.init();

      expect(states).toEqual(['loading', 'ready']);
    });
  });

  describe('whenReady', () => {
    it('resolves when a slow voice becomes ready', async () => {
      const server = await harness.server({ latencyMs: 300 });
      const { readiness } = await harness.start(server, {
        voiceIds: [voiceA],
        waitForReady: false,
      });
      expect(readiness.getStatus(voiceA)?.state).toBe('loading');

      await readiness.whenReady(voiceA);

      expect(readiness.isReady(voiceA)).toBe(true);
    });

    it('rejects with VoicePreloadFailedError, caused by the Hamsa error, when the voice fails', async () => {
      const server = await harness.server({ voiceIds: [voiceA] });
      const { readiness } = await harness.start(server, {
        voiceIds: [voiceA, voiceB],
        waitForReady: false,
      });

      const error = await rejectionOf(readiness.whenReady(voiceB));

      expect(error).toBeInstanceOf(VoicePreloadFailedError);
      expect((error as VoicePreloadFailedError).cause).toBeInstanceOf(HamsaVoiceNotFoundError);
      expect((error as VoicePreloadFailedError).voiceId).toBe(voiceB);
    });

    it('rejects with reason timeout after timeoutMs', async () => {
      const { readiness } = await startInBackground([voiceA], voiceA);

      const error = await notReadyError(readiness.whenReady(voiceA, { timeoutMs: 50 }));

      expect(error).toMatchObject({ reason: 'timeout', state: 'loading', voiceId: voiceA });
    });

    it.each<[string, (controller: AbortController) => void]>([
      ['already aborted', (controller) => controller.abort()],
      ['aborted while waiting', (controller) => setTimeout(() => controller.abort(), 20)],
    ])('rejects with reason aborted when the signal is %s', async (_label, abort) => {
      const { readiness } = await startInBackground([voiceA], voiceA);
      const controller = new AbortController();

      abort(controller);
      const error = await notReadyError(readiness.whenReady(voiceA, { signal: controller.signal }));

      expect(error).toMatchObject({ reason: 'aborted' satisfies VoiceNotReadyReason });
    });

    it('rejects with UnknownVoiceError for a voice never configured nor requested', async () => {
      const { readiness } = await startInBackground([voiceA]);

      const error = await rejectionOf(readiness.whenReady(unknownVoice));

      expect(error).toBeInstanceOf(UnknownVoiceError);
      expect(error).toMatchObject({ reason: 'unknown', voiceId: unknownVoice });
    });
  });

  describe('whenAllReady', () => {
    it('resolves once every voice is ready', async () => {
      const server = await harness.server({ latencyMs: 100 });
      const { readiness } = await harness.start(server, {
        voiceIds: [voiceA, voiceB, voiceC],
        waitForReady: false,
      });
      expect(readiness.isAllReady()).toBe(false);

      await readiness.whenAllReady();

      expect(readiness.isAllReady()).toBe(true);
    });

    it('rejects on the first voice that fails, without waiting for the others', async () => {
      const server = await harness.server();
      server.script(voiceB, { status: 404 });
      server.script(voiceC, { hang: true });
      const { readiness } = await harness.start(server, {
        voiceIds: [voiceA, voiceB, voiceC],
        waitForReady: false,
      });

      const error = await rejectionOf(readiness.whenAllReady());

      expect(error).toBeInstanceOf(VoicePreloadFailedError);
      expect(error).toMatchObject({ voiceId: voiceB });
      expect(readiness.getStatus(voiceC)?.state).toBe('loading');
    });

    it('resolves at once when there are no voices', async () => {
      const server = await harness.server();
      const { readiness } = await harness.start(server);

      await expect(readiness.whenAllReady({ timeoutMs: 1 })).resolves.toBeUndefined();
    });
  });

  describe('assertReady', () => {
    it('throws VoiceNotReadyError carrying state loading while the voice loads', async () => {
      const { readiness } = await startInBackground([voiceA], voiceA);

      const error = thrownBy(() => readiness.assertReady(voiceA));

      expect(error).toBeInstanceOf(VoiceNotReadyError);
      expect(error).not.toBeInstanceOf(UnknownVoiceError);
      expect(error).toMatchObject({ state: 'loading', reason: 'not_ready' });
    });

    it('does not throw once the voice is ready', async () => {
      const server = await harness.server();
      const { readiness } = await harness.start(server, { voiceIds: [voiceA] });

      expect(() => readiness.assertReady(voiceA)).not.toThrow();
    });

    it('throws UnknownVoiceError, a VoiceNotReadyError, for an unknown voice', async () => {
      const server = await harness.server();
      const { readiness } = await harness.start(server, { voiceIds: [voiceA] });

      const error = thrownBy(() => readiness.assertReady(unknownVoice));

      expect(error).toBeInstanceOf(UnknownVoiceError);
      expect(error).toBeInstanceOf(VoiceNotReadyError);
    });
  });

  describe('preload at run time', () => {
    async function startEmpty() {
      const server = await harness.server();
      const { readiness } = await harness.start(server);
      return { server, readiness };
    }

    it('preloads a voice not in the configuration, which then becomes known', async () => {
      const { server, readiness } = await startEmpty();
      expect(readiness.getStatus(voiceA)).toBeUndefined();

      await readiness.preload(voiceA);

      expect(server.requestsFor(voiceA)).toHaveLength(1);
      expect(readiness.isReady(voiceA)).toBe(true);
      expect(statesOf(readiness)).toEqual([[voiceA, 'ready']]);
    });

    it('shares one request between concurrent calls for one voice', async () => {
      const { server, readiness } = await startEmpty();
      server.setLatency(50);

      await Promise.all([readiness.preload(voiceA), readiness.preload(voiceA)]);
      await readiness.preload(voiceA);

      expect(server.requestsFor(voiceA)).toHaveLength(1);
    });

    it('sends nothing for a voice that is already ready', async () => {
      const server = await harness.server();
      const { readiness } = await harness.start(server, { voiceIds: [voiceA] });
      expect(server.requests).toHaveLength(1);

      await readiness.preload(voiceA);

      expect(server.requests).toHaveLength(1);
    });

    it('tries a failed voice again', async () => {
      const { server, readiness } = await startEmpty();
      server.script(voiceA, { status: 404 });

      const error = await rejectionOf(readiness.preload(voiceA));
      expect(error).toBeInstanceOf(HamsaVoiceNotFoundError);
      expect(readiness.getStatus(voiceA)?.state).toBe('failed');

      await readiness.preload(voiceA);

      expect(readiness.getStatus(voiceA)).toMatchObject({ state: 'ready', attempts: 1 });
      expect(readiness.getStatus(voiceA)?.error).toBeUndefined();
      expect(server.requestsFor(voiceA)).toHaveLength(2);
    });

    it('rejects a built-in speaker name without sending a request', async () => {
      const { server, readiness } = await startEmpty();

      const error = await rejectionOf(readiness.preload('Amjad'));

      expect(error).toBeInstanceOf(HamsaError);
      expect(error).not.toBeInstanceOf(HamsaBadRequestError);
      expect((error as HamsaError).message).toMatch(/not a UUID.*need no preload/);
      expect(server.requests).toHaveLength(0);
      expect(readiness.getStatus('Amjad')).toBeUndefined();
    });
  });
});

function thrownBy(run: () => void): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected it to throw, but it returned');
}

function statesOf(readiness: VoiceReadinessService): [string, VoiceState][] {
  return readiness.getAllStatuses().map((status) => [status.voiceId, status.state]);
}
