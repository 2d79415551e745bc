import { ConfigurableModuleBuilder } from '@nestjs/common';
import { type HamsaVoiceModuleOptions } from './options/hamsa-voice-options.interface.js';

export const {
  ConfigurableModuleClass,
  MODULE_OPTIONS_TOKEN: HAMSA_VOICE_MODULE_OPTIONS,
  OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<HamsaVoiceModuleOptions>({ moduleName: 'HamsaVoice' })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createHamsaVoiceOptions')
  .setExtras({ isGlobal: false }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
  }))
  .build();

/** What `HamsaVoiceModule.forRootAsync()` takes: `imports`, `inject`, and one of `useFactory`, `useClass` or `useExisting`. */
export type HamsaVoiceModuleAsyncOptions = typeof ASYNC_OPTIONS_TYPE;
