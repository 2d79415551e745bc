import { runInThisContext } from 'node:vm';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from '@jest/globals';
import { type INestApplicationContext } from '@nestjs/common';
import { type HamsaVoiceModuleOptions } from '../../lib/index.js';
import { FakeHamsaServer, type FakeHamsaServerOptions } from '../../lib/testing/index.js';
import { closeAll, compileHamsaApp, fakeOptions, type HamsaTestApp } from './hamsa-app.js';

/** Fake servers and Hamsa apps of one test, all closed by an `afterEach` (apps first). */
export interface HamsaHarness {
  /** Starts a `FakeHamsaServer` on 127.0.0.1. */
  server(options?: FakeHamsaServerOptions): Promise<FakeHamsaServer>;
  /** Compiles (does not init) an app pointing at `server`, with `fakeOptions` plus `overrides`. */
  compile(
    server: FakeHamsaServer,
    overrides?: Partial<HamsaVoiceModuleOptions>,
  ): Promise<HamsaTestApp>;
  /** `compile()`, then `moduleRef.init()` (which throws if bootstrap fails). */
  start(
    server: FakeHamsaServer,
    overrides?: Partial<HamsaVoiceModuleOptions>,
  ): Promise<HamsaTestApp>;
  /** Closes `context` (an app built by the test itself) with the others; returns it. */
  track<T extends INestApplicationContext>(context: T): T;
  /** Closes a tracked `context` now, and not again after the test. */
  close(context: INestApplicationContext): Promise<void>;
}

/** Call inside a `describe`: registers the `afterEach` that closes whatever the tests opened. */
export function useHamsaHarness(): HamsaHarness {
  const servers: FakeHamsaServer[] = [];
  const apps: INestApplicationContext[] = [];

  afterEach(async () => {
    try {
      await closeAll(...apps.splice(0));
    } finally {
      await Promise.all(servers.splice(0).map((server) => server.close()));
    }
  });

  const harness: HamsaHarness = {
    async server(options) {
      const server = await FakeHamsaServer.start(options);
      servers.push(server);
      return server;
    },
    async compile(server, overrides = {}) {
      const app = await compileHamsaApp(fakeOptions(server, overrides));
      harness.track(app.moduleRef);
      return app;
    },
    async start(server, overrides) {
      const app = await harness.compile(server, overrides);
      await app.moduleRef.init();
      return app;
    },
    track(context) {
      apps.push(context);
      return context;
    },
    async close(context) {
      apps.splice(apps.indexOf(context), 1);
      await context.close();
    },
  };
  return harness;
}

/** What a promise rejected with; fails if it resolved instead. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject, but it resolved');
}

/** Settles now-or-later without ever rejecting: `'resolved'` or the rejection reason. */
export function settled(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => 'resolved',
    (error: unknown) => error,
  );
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `condition` every 10 ms; throws `description` if it is still false after `timeoutMs`. */
export async function waitFor(
  condition: () => boolean,
  description: string,
  timeoutMs = 1_000,
): Promise<void> {
  const giveUpAt = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > giveUpAt) throw new Error(`timed out after ${timeoutMs} ms: ${description}`);
    await sleep(10);
  }
}

/** Rejects if `promise` has not settled in `ms`: "never hangs" made checkable. */
export async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle in ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, hung]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Records unhandled promise rejections of the real Node process.
 *
 * Under jest the global `process` is a sandbox copy whose `on('unhandledRejection')` never
 * fires: Node emits on the real process object, which `node:vm` reaches from the outer context.
 */
export function trapUnhandledRejections(): { readonly reasons: unknown[]; remove(): void } {
  const realProcess = runInThisContext('process') as NodeJS.Process;
  const reasons: unknown[] = [];
  const record = (reason: unknown) => reasons.push(reason);
  realProcess.on('unhandledRejection', record);
  return { reasons, remove: () => realProcess.off('unhandledRejection', record) };
}

/**
 * Call inside a `describe`: traps unhandled rejections around each test (`'each'`) or the
 * whole block (`'all'`), and fails if any arrived. Its after-hook runs after those declared
 * before it (in the same block), so call it after `useHamsaHarness()` to include the teardown.
 */
export function failOnUnhandledRejections(scope: 'each' | 'all'): {
  /** The rejections recorded so far by the current trap. */
  readonly reasons: unknown[];
} {
  const [before, after] = scope === 'each' ? [beforeEach, afterEach] : [beforeAll, afterAll];
  let unhandled: ReturnType<typeof trapUnhandledRejections>;
  before(() => {
    unhandled = trapUnhandledRejections();
  });
  after(async () => {
    await sleep(20); // let a rejection left unhandled by the teardown reach the trap
    unhandled.remove();
    expect(unhandled.reasons).toEqual([]);
  });
  return {
    get reasons() {
      return unhandled.reasons;
    },
  };
}
