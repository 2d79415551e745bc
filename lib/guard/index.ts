export { RequireVoices } from './require-voices.decorator.js';
export { VoiceReadinessGuard, type VoicesNotReadyBody } from './voice-readiness.guard.js';
export type { RequireVoicesOptions } from './voice-requirement.js';
