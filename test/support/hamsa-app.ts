import { type INestApplicationContext } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import {
  HamsaPreloadError,
  HamsaVoiceModule,
  type HamsaVoiceModuleOptions,
  VoiceReadinessService,
} from '../../lib/index.js';
import { type FakeHamsaServer } from '../../lib/testing/index.js';
import { CapturingLogger } from './capturing-logger.js';

/** A compiled (not yet initialised) testing module with `HamsaVoiceModule.forRoot()`. */
export interface HamsaTestApp {
  moduleRef: TestingModule;
  readiness: VoiceReadinessService;
  logger: CapturingLogger;
  /** The options it was built with. */
  options: HamsaVoiceModuleOptions;
}

/** Options pointing at the fake server, with short delays so that retries stay fast. */
export function fakeOptions(
  server: FakeHamsaServer,
  overrides: Partial<HamsaVoiceModuleOptions> = {},
): HamsaVoiceModuleOptions {
  return {
    apiKey: server.apiKey,
    voiceIds: [],
    baseUrl: server.url,
    retryDelayMs: 10,
    maxRetryDelayMs: 50,
    requestTimeoutMs: 2_000,
    deadlineMs: 5_000,
    ...overrides,
  };
}

/** Compiles a module importing `HamsaVoiceModule.forRoot(options)`; call `init()` to start it. */
export async function compileHamsaApp(options: HamsaVoiceModuleOptions): Promise<HamsaTestApp> {
  const logger = new CapturingLogger();
  const moduleRef = await Test.createTestingModule({ imports: [HamsaVoiceModule.forRoot(options)] })
    .setLogger(logger)
    .compile();
  return { moduleRef, readiness: moduleRef.get(VoiceReadinessService), logger, options };
}

/**
 * Closes every context given. NestJS 11's `close()` re-throws the error of a failed `init()`
 * (a rejected bootstrap is what some tests are about), so that one is not a teardown failure.
 */
export async function closeAll(
  ...contexts: (INestApplicationContext | undefined)[]
): Promise<void> {
  await Promise.all(
    contexts.map((context) =>
      context?.close().catch((error: unknown) => {
        if (!(error instanceof HamsaPreloadError)) throw error;
      }),
    ),
  );
}
