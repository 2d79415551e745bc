import { type FactoryProvider, type OnApplicationShutdown } from '@nestjs/common';
import { type HamsaVoiceModuleOptions } from 'nestjs-hamsa';

/** The options that say which Hamsa account the module talks to, and which voices it preloads. */
export type HamsaAccountOptions = Pick<HamsaVoiceModuleOptions, 'apiKey' | 'baseUrl' | 'voiceIds'>;

/**
 * The samples' Hamsa account, from the environment: `HAMSA_API_KEY`, `HAMSA_VOICE_IDS` (cloned-voice
 * UUIDs, comma-separated) and, optionally, `HAMSA_BASE_URL`.
 *
 * Without `HAMSA_API_KEY` it starts the development fake of `dev-fake-hamsa.ts` in this process
 * instead, so that every sample starts without an account. That is the one switch: with a key, the
 * fake (and `nestjs-hamsa/testing`) is never loaded.
 */
export class HamsaAccount implements OnApplicationShutdown {
  private constructor(
    readonly options: HamsaAccountOptions,
    private readonly stop?: () => Promise<void>,
  ) {}

  static async fromEnv(env: NodeJS.ProcessEnv = process.env): Promise<HamsaAccount> {
    if (!env.HAMSA_API_KEY) {
      const { startDevFakeHamsa } = await import('./dev-fake-hamsa.js');
      const fake = await startDevFakeHamsa(env);
      return new HamsaAccount(fake.options, fake.close);
    }
    if (!env.HAMSA_VOICE_IDS?.trim()) {
      throw new Error(
        'HAMSA_VOICE_IDS is required with HAMSA_API_KEY: your cloned-voice UUIDs, comma-separated',
      );
    }
    return new HamsaAccount({
      apiKey: env.HAMSA_API_KEY,
      baseUrl: env.HAMSA_BASE_URL,
      voiceIds: env.HAMSA_VOICE_IDS,
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop?.();
  }
}

/** Provides `HamsaAccount`; give it to `forRootAsync()` in `provideInjectionTokensFrom`. */
export const hamsaAccountProvider: FactoryProvider<Promise<HamsaAccount>> = {
  provide: HamsaAccount,
  useFactory: () => HamsaAccount.fromEnv(),
};
