/**
 * `@nestjs/terminus` integration of `nestjs-hamsa`, imported from `nestjs-hamsa/terminus`: a
 * health indicator of the preloaded voices. It needs `@nestjs/terminus` 11 or 12 installed; the
 * main entry does not.
 */
export { HamsaVoiceHealthIndicator } from './hamsa-voice.health-indicator.js';
export type {
  HamsaVoiceFailureReason,
  HamsaVoiceHealthDetails,
  HamsaVoiceHealthOptions,
  HamsaVoiceHealthState,
} from './hamsa-voice-health.interfaces.js';
