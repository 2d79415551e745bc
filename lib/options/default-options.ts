import { type ResolvedHamsaVoiceOptions } from './resolved-options.js';

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
  tts: {
    maxSockets: 64,
    warmSessions: 0,
    maxSessions: 8,
    webSocketAuth: 'header',
    readerIdleTimeoutMs: 30_000,
    minAudioMs: 30,
    maxAudioBytes: 33_554_432,
  },
  onDemandPreload: { maxVoices: 1000, failedVoiceTtlMs: 60_000, maxPreloadsPerMinute: 60 },
  recoveryDelayMs: 30_000,
  shutdownGraceMs: 10_000,
};
