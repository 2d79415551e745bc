import { validateSync, type ValidationError } from 'class-validator';
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
  const schema = Object.assign(new HamsaVoiceOptionsSchema(), options);
  const errors = validateSync(schema, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) throw new HamsaOptionsError([...new Set(errors.flatMap(describeError))]);

  const { isGlobal: _isGlobal, ...given } = schema;
  const defined = Object.fromEntries(
    Object.entries(given).filter(([, value]) => value !== undefined),
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

function describeError(error: ValidationError): string[] {
  return Object.entries(error.constraints ?? {}).map(([rule, message]) =>
    rule === 'whitelistValidation'
      ? `${error.property} is not an option of HamsaVoiceModule: remove it or check its spelling`
      : message,
  );
}
