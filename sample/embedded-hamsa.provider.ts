import { type FactoryProvider, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { FakeHamsaServer } from '../lib/testing/index.js';

/**
 * Default latency of the embedded server, long enough to watch voices go from `loading` to
 * `ready`; `HAMSA_FAKE_LATENCY_MS` overrides it (e.g. to watch readiness probes fail, then pass).
 */
const EMBEDDED_LATENCY_MS = 400;
/**
 * Requests and TTS calls the embedded server keeps: nothing reads them here, and the default
 * (10,000 of each, about 1 KB of heap per TTS call) would hold 10 MB or more for nothing.
 */
const EMBEDDED_MAX_RECORDS = 100;

/**
 * The fake Hamsa server the sample runs in-process when no `HAMSA_API_KEY` is set, so that it
 * starts without an account; closed when the application shuts down.
 */
export class EmbeddedHamsa implements OnApplicationShutdown {
  private constructor(
    /** The running fake server, or `undefined` when the sample talks to the real API. */
    readonly server?: FakeHamsaServer,
  ) {}

  /** Starts a fake Hamsa on a random port of 127.0.0.1. */
  static async start(latencyMs = EMBEDDED_LATENCY_MS): Promise<EmbeddedHamsa> {
    return new EmbeddedHamsa(
      await FakeHamsaServer.start({ latencyMs, maxRecords: EMBEDDED_MAX_RECORDS }),
    );
  }

  /** No embedded server: the real Hamsa API is used. */
  static none(): EmbeddedHamsa {
    return new EmbeddedHamsa();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.server?.close();
  }
}

/** Provides `EmbeddedHamsa`: started only when `HAMSA_API_KEY` is not set. */
export const embeddedHamsaProvider: FactoryProvider<EmbeddedHamsa | Promise<EmbeddedHamsa>> = {
  provide: EmbeddedHamsa,
  inject: [ConfigService],
  useFactory: (config: ConfigService) =>
    config.get<string>('HAMSA_API_KEY')
      ? EmbeddedHamsa.none()
      : EmbeddedHamsa.start(
          Number(config.get<string>('HAMSA_FAKE_LATENCY_MS') ?? EMBEDDED_LATENCY_MS),
        ),
};
