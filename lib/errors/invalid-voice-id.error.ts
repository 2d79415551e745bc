import { inspect } from 'node:util';
import { looksLikeSpeakerName, voiceIdProblem } from '../voice/voice-id-problem.js';
import { HamsaError } from './hamsa.error.js';

/**
 * `preload()` was given a voice ID that is not a UUID, or a TTS call or the readiness API a speaker
 * that looks meant as one (hex digits, dashes and whitespace only, 30 characters or more) but is
 * not one. Only cloned voices, whose IDs are UUIDs, are preloaded; built-in speakers such as
 * "Amjad" need no preload. Nothing was sent. The message says what is wrong with the ID
 * (whitespace, its length, a character that is not a hex digit).
 */
export class InvalidVoiceIdError extends HamsaError {
  declare readonly voiceId: string;

  constructor(voiceId: string) {
    super(`Voice ID ${describe(voiceId)}`, { voiceId });
  }
}

function describe(voiceId: unknown): string {
  if (typeof voiceId !== 'string') {
    return `${inspect(voiceId, { depth: 1, breakLength: Infinity })} is not a string: pass a cloned-voice UUID`;
  }
  const quoted = JSON.stringify(voiceId);
  if (looksLikeSpeakerName(voiceId)) {
    return (
      `${quoted} is not a UUID: only cloned voices, whose IDs are UUIDs, are preloaded; ` +
      `built-in speakers such as ${quoted} need no preload`
    );
  }
  return `${quoted} is not a UUID: it ${voiceIdProblem(voiceId)}`;
}
