export * from './errors/index.js';
export * from './guard/index.js';
export {
  HAMSA_VOICE_MODULE_OPTIONS,
  type HamsaVoiceModuleAsyncOptions,
} from './hamsa-voice.module-definition.js';
export { HamsaVoiceModule } from './hamsa-voice.module.js';
export type {
  HamsaVoiceModuleOptions,
  ResolvedHamsaVoiceOptions,
} from './options/hamsa-voice-options.interface.js';
export {
  VoiceReadinessService,
  type WhenReadyOptions,
} from './readiness/voice-readiness.service.js';
export type {
  VoiceState,
  VoiceStatus,
  VoiceStatusError,
} from './readiness/voice-status.interface.js';
export { isUuid } from './voice-id.js';
