import { type VoiceReadinessService } from './voice-readiness.service.js';
import { type VoiceState, type VoiceStates } from '../voice/voice-status.interface.js';

/** The current state of each of `voiceIds`, as health checks and 503 bodies report them. */
export function voiceStates(readiness: VoiceReadinessService, voiceIds: string[]): VoiceStates {
  return Object.fromEntries(voiceIds.map((voiceId) => [voiceId, stateOf(readiness, voiceId)]));
}

function stateOf(readiness: VoiceReadinessService, voiceId: string): VoiceState | 'unknown' {
  const state = readiness.getStatus(voiceId)?.state;
  if (state) return state;
  return readiness.isReady(voiceId) ? 'ready' : 'unknown';
}
