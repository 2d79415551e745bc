import { type ResolvedHamsaVoiceOptions } from './options/hamsa-voice-options.interface.js';

/** Logger context of every line the module writes. */
export const HAMSA_VOICE_LOGGER_CONTEXT = 'HamsaVoice';

/** Injection token of the validated options, defaults applied (internal). */
export const HAMSA_VOICE_RESOLVED_OPTIONS = Symbol('HAMSA_VOICE_RESOLVED_OPTIONS');

/** Injection token of the module's own `HttpService`, kept apart from the app's (internal). */
export const HAMSA_HTTP_SERVICE = Symbol('HAMSA_HTTP_SERVICE');

/** Path of Hamsa's preload endpoint for cloned voices. */
export const PRELOAD_PATH = '/v2/tts/voices/custom/preload';

/** Defaults of every optional option. */
export const DEFAULT_OPTIONS: Omit<ResolvedHamsaVoiceOptions, 'apiKey' | 'voiceIds'> = {
  baseUrl: 'https://api.tryhamsa.com',
  concurrency: 4,
  requestTimeoutMs: 10_000,
  retries: 3,
  retryDelayMs: 500,
  maxRetryDelayMs: 8_000,
  deadlineMs: 45_000,
  startupJitterMs: 0,
  waitForReady: true,
  failOnError: true,
  refreshIntervalMs: 0,
};
