import { HamsaOptionsError } from '../errors/hamsa-options.error.js';
import { HamsaApiKey } from '../gateway/hamsa-api-key.js';
import { DEFAULT_OPTIONS } from './default-options.js';
import { type ResolvedHamsaVoiceOptions } from './resolved-options.js';
import {
  HamsaTtsOptionsSchema,
  HamsaVoiceOptionsSchema,
  OnDemandPreloadOptionsSchema,
} from './hamsa-voice-options.schema.js';
import { validateSchema } from './validate-schema.js';
import { voiceIdList } from './voice-id-list.js';

/**
 * Validates module options and fills in defaults.
 *
 * @throws HamsaOptionsError listing every bad option and its rule (never the API key's value).
 */
export function resolveOptions(options: unknown): ResolvedHamsaVoiceOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new HamsaOptionsError(['options must be an object such as { apiKey, voiceIds }']);
  }
  const top = validateSchema(HamsaVoiceOptionsSchema, options, '');
  const { tts, onDemandPreload, isGlobal: _isGlobal, ...known } = top.values;
  const ttsGroup = isObject(tts) ? validateSchema(HamsaTtsOptionsSchema, tts, 'tts.') : undefined;
  const onDemandGroup = isObject(onDemandPreload)
    ? validateSchema(OnDemandPreloadOptionsSchema, onDemandPreload, 'onDemandPreload.')
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
    apiKey: new HamsaApiKey(known.apiKey as string),
    baseUrl: resolved.baseUrl.replace(/\/+$/, ''),
    voiceIds: voiceIdList(known.voiceIds as string | string[]),
  });
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Makes `apiKey` (a `HamsaApiKey`, whose value no inspection shows) and `coordinator` (which
 * holds a store's client, with its own credentials) non-enumerable, so `JSON.stringify` and
 * `util.inspect` of the options skip them.
 */
function hideSecrets(options: ResolvedHamsaVoiceOptions): ResolvedHamsaVoiceOptions {
  Object.defineProperty(options, 'coordinator', { enumerable: false });
  return Object.defineProperty(options, 'apiKey', { enumerable: false });
}
