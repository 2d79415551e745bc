import { inspect } from 'node:util';
import { ValidateBy } from 'class-validator';
import { canonicalVoiceId, isUuid } from '../voice/voice-id.js';
import { looksLikeSpeakerName, voiceIdProblem } from '../voice/voice-id-problem.js';

/** What may stand between IDs in the string form (an environment variable): commas, whitespace. */
const SEPARATORS = /[\s,]+/;

/**
 * The IDs `voiceIds` names: the parts of a string split at commas and whitespace, or the elements
 * of an array; either way trimmed, and empty ones dropped (`''` names no voice).
 */
function parts(voiceIds: string | unknown[]): unknown[] {
  const items =
    typeof voiceIds === 'string'
      ? voiceIds.split(SEPARATORS)
      : voiceIds.map((item) => (typeof item === 'string' ? item.trim() : item));
  return items.filter((item) => item !== '');
}

/** The voices of a valid `voiceIds` option: canonical (UUIDs in lower case) and de-duplicated. */
export function voiceIdList(voiceIds: string | string[]): string[] {
  return [...new Set(parts(voiceIds).map((voiceId) => canonicalVoiceId(voiceId as string)))];
}

/** Why `voiceIds` is not valid, naming each bad ID and what is wrong with it; `undefined` if valid. */
export function voiceIdListProblem(voiceIds: unknown): string | undefined {
  if (typeof voiceIds !== 'string' && !Array.isArray(voiceIds)) {
    return (
      'voiceIds must be an array of cloned-voice UUIDs, or one string of them separated by ' +
      'commas or whitespace (it may be empty)'
    );
  }
  const bad = parts(voiceIds).filter((voiceId) => !isUuid(voiceId));
  if (bad.length === 0) return undefined;
  const reasons = new Set(bad.map(reason));
  return `voiceIds must hold cloned-voice UUIDs only, but got ${show(bad)}; ${[...reasons].join('; ')}`;
}

/** `voiceIds` must be a list of UUIDs, as `voiceIdListProblem` tells. */
export const IsVoiceIdList = () =>
  ValidateBy({
    name: 'isVoiceIdList',
    validator: {
      validate: (value: unknown) => voiceIdListProblem(value) === undefined,
      defaultMessage: (args) => voiceIdListProblem(args?.value) ?? '',
    },
  });

function reason(voiceId: unknown): string {
  if (typeof voiceId !== 'string') return 'each voice ID must be a string';
  if (looksLikeSpeakerName(voiceId)) {
    return `built-in speakers such as ${JSON.stringify(voiceId)} need no preload, so leave them out of voiceIds`;
  }
  return `${JSON.stringify(voiceId)} ${voiceIdProblem(voiceId)}`;
}

/**
 * JSON of the values, or `inspect` when JSON cannot hold them: a bigint, a cycle, or a value it
 * would write as `null` (`undefined`, a function, a symbol).
 */
function show(values: unknown[]): string {
  const shown = () => inspect(values, { depth: 2, breakLength: Infinity });
  if (values.some((value) => ['undefined', 'function', 'symbol'].includes(typeof value))) {
    return shown();
  }
  try {
    return JSON.stringify(values);
  } catch {
    return shown();
  }
}
