import { HamsaTtsRequestError } from '../errors/hamsa-tts.error.js';
import { InvalidVoiceIdError } from '../errors/invalid-voice-id.error.js';
import { CONTROL_CHARACTER } from '../voice/escape-for-log.js';
import { speakerKind } from '../voice/speaker-kind.js';
import { HAMSA_TTS_DIALECTS, MAX_TTS_TEXT_LENGTH } from './hamsa-tts.interfaces.js';

/** Largest delay Node timers accept; a longer one fires at once. */
const MAX_TIMER_MS = 2_147_483_647;
const REST_DIALECTS: readonly string[] = HAMSA_TTS_DIALECTS;
const SESSION_DIALECTS: readonly string[] = [...HAMSA_TTS_DIALECTS, 'modern'];
/** Longer than any speaker name or UUID: a speaker over it is junk from an untrusted caller. */
const MAX_SPEAKER_LENGTH = 128;

/**
 * Checks a TTS request against Hamsa's rules; `forSession` also accepts the dialect `"modern"`.
 * A speaker is untrusted input: one over 128 characters or holding a control character is
 * refused, and so is one that looks meant as a cloned-voice UUID but is not one (it would reach
 * Hamsa as a built-in speaker's name, skipping the preload).
 *
 * @throws HamsaTtsRequestError listing every broken rule; InvalidVoiceIdError for a malformed UUID.
 */
export function validateTtsRequest(request: unknown, forSession = false): void {
  if (typeof request !== 'object' || request === null) {
    throw new HamsaTtsRequestError(['request must be an object such as { text, speaker }']);
  }
  const { text, speaker, dialect, mulaw, languageId } = request as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof text === 'string' && text.length > 0 && text.trim().length === 0) {
    problems.push(`text must not be blank (got ${text.length} whitespace characters)`);
  } else if (typeof text !== 'string' || text.length === 0 || text.length > MAX_TTS_TEXT_LENGTH) {
    const got = typeof text === 'string' ? `${text.length} characters` : typeof text;
    problems.push(`text must be a string of 1–${MAX_TTS_TEXT_LENGTH} characters, got ${got}`);
  }
  problems.push(...speakerProblems(speaker));
  const dialects = forSession ? SESSION_DIALECTS : REST_DIALECTS;
  if (dialect !== undefined && !dialects.includes(dialect as string)) {
    problems.push(`dialect must be one of ${dialects.join(', ')}, got ${JSON.stringify(dialect)}`);
  }
  if (mulaw !== undefined && typeof mulaw !== 'boolean') problems.push('mulaw must be a boolean');
  if (languageId !== undefined && (typeof languageId !== 'string' || languageId === '')) {
    problems.push('languageId must be a non-empty string such as "ar"');
  }
  if (problems.length > 0) throw new HamsaTtsRequestError(problems);
  if (speakerKind(speaker as string) === 'malformed-uuid') {
    throw new InvalidVoiceIdError(speaker as string);
  }
}

/** What is wrong with a speaker as a string, never quoting it (it may be hostile). */
function speakerProblems(speaker: unknown): string[] {
  if (typeof speaker !== 'string' || speaker.trim().length === 0) {
    return ['speaker must be a built-in speaker name or a cloned-voice UUID'];
  }
  const problems: string[] = [];
  if (speaker.length > MAX_SPEAKER_LENGTH) {
    problems.push(
      `speaker must be at most ${MAX_SPEAKER_LENGTH} characters, got ${speaker.length}`,
    );
  }
  const control = CONTROL_CHARACTER.exec(speaker);
  if (control) {
    const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    problems.push(
      `speaker must not hold control characters, got U+${code} at character ${control.index + 1}`,
    );
  }
  return problems;
}

/**
 * Checks the options of `HamsaTtsSession.speak()`.
 *
 * @throws HamsaTtsRequestError when they are not an object, or `timeoutMs` is not an integer
 * from 1 to 2147483647 (the longest delay Node timers accept).
 */
export function validateSpeakOptions(options: unknown): void {
  if (typeof options !== 'object' || options === null) {
    throw new HamsaTtsRequestError(['options must be an object such as { signal, timeoutMs }']);
  }
  const { timeoutMs } = options as { timeoutMs?: unknown };
  if (timeoutMs === undefined) return;
  if (
    !Number.isInteger(timeoutMs) ||
    (timeoutMs as number) < 1 ||
    (timeoutMs as number) > MAX_TIMER_MS
  ) {
    throw new HamsaTtsRequestError([
      `timeoutMs must be an integer from 1 to ${MAX_TIMER_MS} (ms), got ${String(timeoutMs)}`,
    ]);
  }
}

/** The JSON body Hamsa expects (undefined fields left out). */
export function ttsBody(request: {
  text: string;
  speaker: string;
  dialect?: string;
  mulaw?: boolean;
  languageId?: string;
}): Record<string, unknown> {
  const { text, speaker, dialect, mulaw, languageId } = request;
  const body: Record<string, unknown> = { text, speaker };
  if (dialect !== undefined) body.dialect = dialect;
  if (mulaw !== undefined) body.mulaw = mulaw;
  if (languageId !== undefined) body.languageId = languageId;
  return body;
}
