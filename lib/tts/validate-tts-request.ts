import { HamsaTtsRequestError } from '../errors/hamsa-tts.error.js';
import { HAMSA_TTS_DIALECTS, MAX_TTS_TEXT_LENGTH } from './hamsa-tts.interfaces.js';

/** Largest delay Node timers accept; a longer one fires at once. */
const MAX_TIMER_MS = 2_147_483_647;
const REST_DIALECTS: readonly string[] = HAMSA_TTS_DIALECTS;
const SESSION_DIALECTS: readonly string[] = [...HAMSA_TTS_DIALECTS, 'modern'];

/**
 * Checks a TTS request against Hamsa's rules; `forSession` also accepts the dialect `"modern"`.
 *
 * @throws HamsaTtsRequestError listing every broken rule.
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
  if (typeof speaker !== 'string' || speaker.trim().length === 0) {
    problems.push('speaker must be a built-in speaker name or a cloned-voice UUID');
  }
  const dialects = forSession ? SESSION_DIALECTS : REST_DIALECTS;
  if (dialect !== undefined && !dialects.includes(dialect as string)) {
    problems.push(`dialect must be one of ${dialects.join(', ')}, got ${JSON.stringify(dialect)}`);
  }
  if (mulaw !== undefined && typeof mulaw !== 'boolean') problems.push('mulaw must be a boolean');
  if (languageId !== undefined && (typeof languageId !== 'string' || languageId === '')) {
    problems.push('languageId must be a non-empty string such as "ar"');
  }
  if (problems.length > 0) throw new HamsaTtsRequestError(problems);
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
  return Object.fromEntries(
    Object.entries({ text, speaker, dialect, mulaw, languageId }).filter(
      ([, value]) => value !== undefined,
    ),
  );
}
