import { getMetadataStorage, validateSync, type ValidationError } from 'class-validator';
import { DEFAULT_OPTIONS } from '../hamsa-voice.constants.js';
import { HamsaOptionsError } from '../errors/hamsa-options.error.js';
import { type ResolvedHamsaVoiceOptions } from './hamsa-voice-options.interface.js';
import { HamsaVoiceOptionsSchema } from './hamsa-voice-options.schema.js';

/**
 * Validates module options and fills in defaults.
 *
 * @throws HamsaOptionsError listing every bad option and its rule (never the API key's value).
 */
export function resolveOptions(options: unknown): ResolvedHamsaVoiceOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new HamsaOptionsError(['options must be an object such as { apiKey, voiceIds }']);
  }
  // Only known options are copied onto the schema: an unknown key such as `constructor` or
  // `hasOwnProperty` would otherwise shadow what class-validator reads from the object.
  const given = options as Record<string, unknown>;
  const schema = new HamsaVoiceOptionsSchema();
  const unknownKeys: string[] = [];
  for (const key of Object.keys(given)) {
    if (optionNames().has(key)) (schema as unknown as Record<string, unknown>)[key] = given[key];
    else unknownKeys.push(key);
  }
  const problems = [
    ...unknownKeys.map(
      (key) => `${key} is not an option of HamsaVoiceModule: remove it or check its spelling`,
    ),
    ...validateSync(schema).flatMap(describeError),
  ];
  if (problems.length > 0) throw new HamsaOptionsError([...new Set(problems)]);

  const { isGlobal: _isGlobal, ...known } = schema;
  const defined = Object.fromEntries(
    Object.entries(known).filter(([, value]) => value !== undefined),
  );
  const resolved = { ...DEFAULT_OPTIONS, ...defined } as ResolvedHamsaVoiceOptions;
  return hideApiKey({
    ...resolved,
    baseUrl: resolved.baseUrl.replace(/\/+$/, ''),
    voiceIds: [...new Set(resolved.voiceIds)],
  });
}

/** Makes `apiKey` non-enumerable, so `JSON.stringify` and `util.inspect` of the options skip it. */
function hideApiKey(options: ResolvedHamsaVoiceOptions): ResolvedHamsaVoiceOptions {
  return Object.defineProperty(options, 'apiKey', { enumerable: false });
}

/** The options the schema has rules for (every option has at least one). */
let names: Set<string> | undefined;
function optionNames(): Set<string> {
  names ??= new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(HamsaVoiceOptionsSchema, '', true, false)
      .map((metadata) => metadata.propertyName),
  );
  return names;
}

function describeError(error: ValidationError): string[] {
  return Object.values(error.constraints ?? {});
}
