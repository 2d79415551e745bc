import { type VoiceReadinessService } from './voice-readiness.service.js';
import { type VoiceState } from '../voice/voice-status.interface.js';

/** The state of each voice, `unknown` for one the module was never asked to preload. */
export type VoiceStates = Record<string, VoiceState | 'unknown'>;

/** The current state of each of `voiceIds`, as health checks and 503 bodies report them. */
export function voiceStates(readiness: VoiceReadinessService, voiceIds: string[]): VoiceStates {
  return Object.fromEntries(
    voiceIds.map((voiceId) => [voiceId, readiness.getStatus(voiceId)?.state ?? 'unknown']),
  );
}
