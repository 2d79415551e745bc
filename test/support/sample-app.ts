import { afterEach, beforeEach } from '@jest/globals';
import { type Type } from '@nestjs/common';
import { type NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { hardenHttp } from '../../sample/shared/harden-http.js';
import { CapturingLogger } from './capturing-logger.js';

/** Variables the samples read; unset here so that they run their development fake Hamsa. */
export const HAMSA_ENV = [
  'HAMSA_API_KEY',
  'HAMSA_BASE_URL',
  'HAMSA_VOICE_IDS',
  'REDIS_URL',
  'TTS_MAX_CONCURRENT',
  'TTS_REQUESTS_PER_MINUTE',
] as const;

/** The sample app of the current test, listening on 127.0.0.1. */
export interface SampleApp {
  /** The running app; throws once it was closed. */
  readonly app: NestExpressApplication;
  readonly logger: CapturingLogger;
  readonly baseUrl: string;
  /** Closes the app now (the `afterEach` then leaves it be). */
  close(): Promise<void>;
}

/**
 * Call inside a `describe`: before each test, unsets `HAMSA_ENV`, sets `env` (e.g.
 * `{ HAMSA_FAKE_LATENCY_MS: '1500' }`, or a function returning it, read then) and starts a sample's
 * `AppModule` in this process as its `main.ts` does (`hardenHttp()`), with a `CapturingLogger`;
 * after it, closes the app and restores the variables.
 */
export function useSampleApp(
  appModule: Type,
  env: Record<string, string> | (() => Record<string, string>) = {},
): SampleApp {
  const envOf = typeof env === 'function' ? env : () => env;
  let names: string[];
  let savedEnv: Record<string, string | undefined>;
  let app: NestExpressApplication | undefined;
  let logger: CapturingLogger;
  let baseUrl: string;

  beforeEach(async () => {
    const values = envOf();
    names = [...HAMSA_ENV, ...Object.keys(values)];
    savedEnv = Object.fromEntries(names.map((name) => [name, process.env[name]]));
    for (const name of HAMSA_ENV) delete process.env[name];
    Object.assign(process.env, values);

    logger = new CapturingLogger();
    const moduleRef = await Test.createTestingModule({ imports: [appModule] })
      .setLogger(logger)
      .compile();
    app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false });
    hardenHttp(app);
    await app.listen(0, '127.0.0.1');
    baseUrl = await app.getUrl();
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
    for (const name of names) {
      const value = savedEnv[name];
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  return {
    get app() {
      if (!app) throw new Error('the sample app is not running');
      return app;
    },
    get logger() {
      return logger;
    },
    get baseUrl() {
      return baseUrl;
    },
    async close() {
      await app!.close();
      app = undefined;
    },
  };
}
