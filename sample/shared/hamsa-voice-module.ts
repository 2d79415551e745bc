import { type DynamicModule } from '@nestjs/common';
import { HamsaVoiceModule, type HamsaVoiceModuleOptions } from 'nestjs-hamsa';
import { type HamsaAccountOptions, HamsaAccount, hamsaAccountProvider } from './hamsa-account.js';

/** What a sample chooses; the account (key, base URL, voices) comes from `HamsaAccount`. */
export type SampleHamsaOptions = Omit<HamsaVoiceModuleOptions, keyof HamsaAccountOptions>;

/**
 * `HamsaVoiceModule`, global, for the samples' account (the real one, or the development fake
 * without `HAMSA_API_KEY`), with a sample's own `options`.
 */
export function hamsaVoiceModule(options: SampleHamsaOptions): DynamicModule {
  return HamsaVoiceModule.forRootAsync({
    isGlobal: true,
    provideInjectionTokensFrom: [hamsaAccountProvider],
    inject: [HamsaAccount],
    useFactory: (account: HamsaAccount) => ({ ...account.options, ...options }),
  });
}
