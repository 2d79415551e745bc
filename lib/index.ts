export type {
  HamsaCoordinator,
  HamsaCoordinatorState,
  PreloadClaim,
  PreloadLease,
} from './coordination/hamsa-coordinator.interface.js';
export * from './errors/index.js';
export * from './guard/index.js';
export {
  HAMSA_VOICE_MODULE_OPTIONS,
  type HamsaVoiceModuleAsyncOptions,
} from './hamsa-voice.module-definition.js';
export { HamsaVoiceModule } from './hamsa-voice.module.js';
export type {
  HamsaTtsModuleOptions,
  HamsaVoiceModuleOptions,
  HamsaWebSocketAuth,
  OnDemandPreloadOptions,
} from './options/hamsa-voice-options.interface.js';
export {
  VoiceReadinessService,
  type WhenReadyOptions,
} from './readiness/voice-readiness.service.js';
export type {
  VoiceState,
  VoiceStatus,
  VoiceSource,
  VoiceStatusError,
  VoiceStates,
} from './voice/voice-status.interface.js';
export {
  HAMSA_TTS_DIALECTS,
  MAX_TTS_TEXT_LENGTH,
  type HamsaTtsCallOptions,
  type HamsaTtsDialect,
  type HamsaTtsRequest,
  type HamsaTtsSessionDialect,
  type HamsaTtsSessionOptions,
  type HamsaTtsSessionRequest,
  type HamsaTtsSpeakOptions,
} from './tts/hamsa-tts.interfaces.js';
export { HamsaTtsService } from './tts/hamsa-tts.service.js';
export { HamsaTtsSession } from './tts/hamsa-tts.session.js';
export { canonicalVoiceId, isUuid } from './voice/voice-id.js';
export {
  splitSpeechText,
  SPLIT_SPEECH_TEXT_DEFAULTS,
  type SplitSpeechTextOptions,
} from './tts/speech/split-speech-text.js';
export type {
  HamsaSpeakTextOptions,
  HamsaSpeech,
  HamsaSpeechReport,
  HamsaSpeechSegmentReport,
} from './tts/speech/hamsa-speech.interfaces.js';
export {
  sendTtsAudio,
  type FastifyReplyLike,
  type SendTtsAudioOptions,
  type SendTtsAudioResult,
} from './tts/speech/send-tts-audio.js';
