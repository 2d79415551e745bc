import { getMetadataStorage, validateSync } from 'class-validator';
import { HamsaOptionsError } from '../errors/hamsa-options.error.js';
import { DEFAULT_OPTIONS } from './default-options.js';
import { type ResolvedHamsaVoiceOptions } from './hamsa-voice-options.interface.js';
import {
  HamsaTtsOptionsSchema,
  HamsaVoiceOptionsSchema,
  OnDemandPreloadOptionsSchema,
} from './hamsa-voice-options.schema.js';
import { voiceIdList } from './voice-id-list.js';

type Schema = new () => object;

/**
 * Validates module options and fills in defaults.
 *
 * @throws HamsaOptionsError listing every bad option and its rule (never the API key's value).
 */
export function resolveOptions(options: unknown): ResolvedHamsaVoiceOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new HamsaOptionsError(['options must be an object such as { apiKey, voiceIds }']);
  }
  const top = validate(HamsaVoiceOptionsSchema, options, '');
  const { tts, onDemandPreload, isGlobal: _isGlobal, ...known } = top.values;
  const ttsGroup = isObject(tts) ? validate(HamsaTtsOptionsSchema, tts, 'tts.') : undefined;
  const onDemandGroup = isObject(onDemandPreload)
    ? validate(OnDemandPreloadOptionsSchema, onDemandPreload, 'onDemandPreload.')
    : undefined;
  const problems = [
    ...top.problems,
    ...(ttsGroup?.problems ?? []),
    ...(onDemandGroup?.problems ?? []),
  ];
  if (problems.length > 0) throw new HamsaOptionsError([...new Set(problems)]);

  const resolved = {
    ...DEFAULT_OPTIONS,
    ...known,
    tts: { ...DEFAULT_OPTIONS.tts, ...ttsGroup?.values },
    onDemandPreload:
      onDemandPreload === false
        ? false
        : { ...DEFAULT_OPTIONS.onDemandPreload, ...onDemandGroup?.values },
  } as ResolvedHamsaVoiceOptions;
  return hideSecrets({
    ...resolved,
    baseUrl: resolved.baseUrl.replace(/\/+$/, ''),
    voiceIds: voiceIdList(known.voiceIds as string | string[]),
  });
}

/**
 * Checks `given` against one schema: its defined values, and a line per broken rule or unknown
 * key (`prefix` names the group, e.g. `tts.`).
 */
function validate(
  schema: Schema,
  given: object,
  prefix: string,
): { values: Record<string, unknown>; problems: string[] } {
  // Only known options are copied onto the schema: an unknown key such as `constructor` or
  // `hasOwnProperty` would otherwise shadow what class-validator reads from the object.
  const instance = new schema() as Record<string, unknown>;
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [key, value] of Object.entries(given)) {
    if (!optionNames(schema).has(key)) {
      problems.push(
        `${prefix}${key} is not an option of HamsaVoiceModule: remove it or check its spelling`,
      );
    } else if (value !== undefined) {
      instance[key] = value;
      values[key] = value;
    }
  }
  problems.push(
    ...validateSync(instance).flatMap((error) => Object.values(error.constraints ?? {})),
  );
  return { values, problems };
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Makes `apiKey` and `coordinator` (which holds a store's client, with its own credentials)
 * non-enumerable, so `JSON.stringify` and `util.inspect` of the options skip them.
 */
function hideSecrets(options: ResolvedHamsaVoiceOptions): ResolvedHamsaVoiceOptions {
  Object.defineProperty(options, 'coordinator', { enumerable: false });
  return Object.defineProperty(options, 'apiKey', { enumerable: false });
}

/** The options each schema has rules for (every option has at least one). */
const names = new Map<Schema, Set<string>>();
function optionNames(schema: Schema): Set<string> {
  let known = names.get(schema);
  if (!known) {
    known = new Set(
      getMetadataStorage()
        .getTargetValidationMetadatas(schema, '', true, false)
        .map((metadata) => metadata.propertyName),
    );
    names.set(schema, known);
  }
  return known;
}
