import { inspect } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { HamsaOptionsError } from '../../lib/index.js';
import { resolveOptions } from '../../lib/options/resolve-options.js';
import { fakeVoiceId } from '../../lib/testing/index.js';

const apiKey = 'sk-secret-key-123';
const voiceIds = [fakeVoiceId(1)];

/** The message resolveOptions throws for these options (fails the test if it does not throw). */
function problemWith(options: unknown): string {
  try {
    resolveOptions(options);
  } catch (error) {
    expect(error).toBeInstanceOf(HamsaOptionsError);
    return (error as HamsaOptionsError).message;
  }
  throw new Error('expected the options to be rejected');
}

describe('resolveOptions', () => {
  it('fills in every default', () => {
    const resolved = resolveOptions({ apiKey, voiceIds });

    expect(resolved.apiKey.authorizationHeader()).toEqual({ Authorization: `Token ${apiKey}` });
    expect(resolved).toEqual({
      voiceIds,
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
    });
  });

  it('keeps given values, drops the trailing slash of baseUrl and collapses duplicate voices', () => {
    const resolved = resolveOptions({
      apiKey,
      voiceIds: [voiceIds[0], voiceIds[0], fakeVoiceId(2)],
      baseUrl: 'http://127.0.0.1:8080/',
      retries: 0,
      waitForReady: false,
      isGlobal: true,
    });

    expect(resolved).toMatchObject({
      baseUrl: 'http://127.0.0.1:8080',
      retries: 0,
      waitForReady: false,
    });
    expect(resolved.voiceIds).toEqual([voiceIds[0], fakeVoiceId(2)]);
    expect(resolved).not.toHaveProperty('isGlobal');
  });

  it('fills in the defaults of the tts and onDemandPreload groups around the values given', () => {
    const resolved = resolveOptions({
      apiKey,
      voiceIds,
      tts: { warmSessions: 2 },
      onDemandPreload: { maxVoices: 10 },
      recoveryDelayMs: 0,
    });

    expect(resolved.tts).toEqual({
      maxSockets: 64,
      warmSessions: 2,
      maxSessions: 8,
      webSocketAuth: 'header',
      readerIdleTimeoutMs: 30_000,
      minAudioMs: 30,
      maxAudioBytes: 33_554_432,
    });
    expect(resolved.onDemandPreload).toEqual({
      maxVoices: 10,
      failedVoiceTtlMs: 60_000,
      maxPreloadsPerMinute: 60,
    });
    expect(resolved.recoveryDelayMs).toBe(0);
    expect(resolveOptions({ apiKey, voiceIds, onDemandPreload: false }).onDemandPreload).toBe(
      false,
    );
    expect(resolveOptions({ apiKey, voiceIds, onDemandPreload: true }).onDemandPreload).toEqual({
      maxVoices: 1000,
      failedVoiceTtlMs: 60_000,
      maxPreloadsPerMinute: 60,
    });
  });

  it('lists bad nested options together with the others', () => {
    const message = problemWith({
      apiKey,
      voiceIds,
      concurrency: 0,
      tts: { maxSockets: -1, warmSessions: 99 },
      onDemandPreload: { maxVoices: 'many' },
    });

    expect(message).toMatch(
      /concurrency[\s\S]*tts\.maxSockets[\s\S]*tts\.warmSessions[\s\S]*onDemandPreload\.maxVoices/,
    );
  });

  it('keeps the API key out of JSON.stringify and util.inspect of the options', () => {
    const resolved = resolveOptions({ apiKey, voiceIds });

    expect(JSON.stringify(resolved)).not.toContain(apiKey);
    expect(inspect(resolved, { depth: Infinity })).not.toContain(apiKey);
    expect(inspect(resolved, { depth: Infinity, showHidden: true })).not.toContain(apiKey);
  });

  it('accepts an empty voice list', () => {
    expect(resolveOptions({ apiKey, voiceIds: [] }).voiceIds).toEqual([]);
  });

  it.each([
    [{ apiKey: '', voiceIds }, 'apiKey must not be empty'],
    [{ apiKey: 42, voiceIds }, 'apiKey must be a string'],
    [{ apiKey: ' ', voiceIds }, 'apiKey must hold visible ASCII characters only'],
    [{ apiKey: `${apiKey}\n`, voiceIds }, 'no spaces, line breaks or other invisible characters'],
    [{ apiKey }, 'voiceIds must be an array'],
    [{ apiKey, voiceIds: 42 }, 'voiceIds must be an array of cloned-voice UUIDs, or one string'],
    [{ apiKey, voiceIds: null }, 'voiceIds must be an array of cloned-voice UUIDs, or one string'],
    [{ apiKey, voiceIds, baseUrl: 'api.tryhamsa.com' }, 'baseUrl must be an http(s) URL'],
    [{ apiKey, voiceIds, concurrency: 0 }, 'concurrency must be an integer from 1 to 64'],
    [{ apiKey, voiceIds, concurrency: 1.5 }, 'concurrency must be an integer from 1 to 64'],
    [{ apiKey, voiceIds, requestTimeoutMs: -1 }, 'requestTimeoutMs must be an integer from 1'],
    [{ apiKey, voiceIds, retries: Number.NaN }, 'retries must be an integer from 0 to 100'],
    [{ apiKey, voiceIds, retryDelayMs: '500' }, 'retryDelayMs must be an integer from 0'],
    [{ apiKey, voiceIds, maxRetryDelayMs: 1e12 }, 'maxRetryDelayMs must be an integer from 0'],
    [{ apiKey, voiceIds, deadlineMs: 0 }, 'deadlineMs must be an integer from 1'],
    [{ apiKey, voiceIds, startupJitterMs: -1 }, 'startupJitterMs must be an integer from 0'],
    [{ apiKey, voiceIds, waitForReady: 'yes' }, 'waitForReady must be true or false'],
    [{ apiKey, voiceIds, failOnError: null }, 'failOnError must be true or false'],
    [{ apiKey, voiceIds, refreshIntervalMs: -1 }, 'refreshIntervalMs must be an integer from 0'],
    [{ apiKey, voiceIds, concurency: 2 }, 'concurency is not an option of HamsaVoiceModule'],
    [{ apiKey, voiceIds, constructor: {} }, 'constructor is not an option of HamsaVoiceModule'],
    [{ apiKey, voiceIds, hasOwnProperty: 1 }, 'hasOwnProperty is not an option'],
    [JSON.parse('{"apiKey":"k","voiceIds":[],"__proto__":{}}'), '__proto__ is not an option'],
    [null, 'options must be an object'],
    [{ apiKey, voiceIds, recoveryDelayMs: -1 }, 'recoveryDelayMs must be an integer from 0'],
    [{ apiKey, voiceIds, tts: 64 }, 'tts must be an object such as { maxSockets: 64'],
    [
      { apiKey, voiceIds, tts: { maxSockets: 0 } },
      'tts.maxSockets must be an integer from 1 to 1024',
    ],
    [{ apiKey, voiceIds, tts: { maxSockets: 1025 } }, 'tts.maxSockets must be an integer from 1'],
    [
      { apiKey, voiceIds, tts: { warmSessions: 17 } },
      'tts.warmSessions must be an integer from 0 to 16',
    ],
    [
      { apiKey, voiceIds, tts: { webSocketAuth: 'both' } },
      "tts.webSocketAuth must be 'header' (the key in X-Api-Key, default) or 'query'",
    ],
    [{ apiKey, voiceIds, tts: { webSocketAuth: null } }, 'tts.webSocketAuth must be'],
    [
      { apiKey, voiceIds, tts: { readerIdleTimeoutMs: 0 } },
      'tts.readerIdleTimeoutMs must be an integer from 1',
    ],
    [{ apiKey, voiceIds, shutdownGraceMs: -1 }, 'shutdownGraceMs must be an integer from 0'],
    [{ apiKey, voiceIds, shutdownGraceMs: 2.5 }, 'shutdownGraceMs must be an integer from 0'],
    [
      { apiKey, voiceIds, tts: { maxSessions: 0 } },
      'tts.maxSessions must be an integer from 1 to 256',
    ],
    [
      { apiKey, voiceIds, tts: { maxSessions: 2.5 } },
      'tts.maxSessions must be an integer from 1 to 256',
    ],
    [{ apiKey, voiceIds, tts: { maxSessions: 257 } }, 'tts.maxSessions must be an integer from 1'],
    [
      { apiKey, voiceIds, tts: { maxSocket: 8 } },
      'tts.maxSocket is not an option of HamsaVoiceModule',
    ],
    [
      { apiKey, voiceIds, onDemandPreload: 'no' },
      'onDemandPreload must be true, false or an object',
    ],
    [
      { apiKey, voiceIds, onDemandPreload: null },
      'onDemandPreload must be true, false or an object',
    ],
    [
      { apiKey, voiceIds, onDemandPreload: { maxVoices: 0 } },
      'onDemandPreload.maxVoices must be an integer from 1',
    ],
    [
      { apiKey, voiceIds, onDemandPreload: { failedVoiceTtlMs: 1.5 } },
      'onDemandPreload.failedVoiceTtlMs must be an integer from 0',
    ],
    [
      { apiKey, voiceIds, onDemandPreload: { maxPreloadsPerMinute: 0 } },
      'onDemandPreload.maxPreloadsPerMinute must be an integer from 1',
    ],
    [
      { apiKey, voiceIds, onDemandPreload: { ttl: 5 } },
      'onDemandPreload.ttl is not an option of HamsaVoiceModule',
    ],
  ])('rejects %j naming the option', (options, expected) => {
    expect(problemWith(options)).toContain(expected);
  });

  it.each([
    ['credentials', 'https://hamsa-user:hunter2-pw@api.tryhamsa.com'],
    ['a user name', 'http://hunter2-pw@127.0.0.1:8080/base'],
    ['a query', 'https://api.tryhamsa.com/?token=hunter2-pw'],
    ['an empty query', 'https://api.tryhamsa.com?'],
    ['a fragment', 'https://api.tryhamsa.com/#hunter2-pw'],
  ])('rejects a baseUrl with %s, naming the fix and not the value', (_what, baseUrl) => {
    const message = problemWith({ apiKey, voiceIds, baseUrl });

    expect(message).toContain(
      'baseUrl must not hold credentials (user:password@), a query (?…) or a fragment (#…): ' +
        'give the origin and an optional path only, such as https://api.tryhamsa.com',
    );
    expect(message).not.toContain('hunter2');
  });

  it('accepts a baseUrl with a path and an @ in it', () => {
    const baseUrl = 'http://127.0.0.1:8080/proxy/@hamsa';

    expect(resolveOptions({ apiKey, voiceIds, baseUrl }).baseUrl).toBe(baseUrl);
    expect(
      resolveOptions({ apiKey, voiceIds, tts: { webSocketAuth: 'query' } }).tts.webSocketAuth,
    ).toBe('query');
  });

  it('says that built-in speakers need no preload when given a non-UUID voice', () => {
    const message = problemWith({ apiKey, voiceIds: [voiceIds[0], 'Amjad'] });

    expect(message).toContain('voiceIds must hold cloned-voice UUIDs only, but got ["Amjad"]');
    expect(message).toContain('built-in speakers such as "Amjad" need no preload');
  });

  it('names voice IDs that JSON cannot hold instead of crashing on them', () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;

    expect(problemWith({ apiKey, voiceIds: [1n, cycle] })).toMatch(
      /voiceIds must hold cloned-voice UUIDs only, but got \[ 1n, <ref \*1> \{ self: \[Circular \*1\] \} \]/,
    );
  });

  it('lists every bad option in one message, and never the API key', () => {
    const error = (() => {
      try {
        resolveOptions({ apiKey, voiceIds: ['nope'], concurrency: -1, deadlineMs: 'soon' });
      } catch (caught) {
        return caught as HamsaOptionsError;
      }
    })();

    expect(error?.problems).toHaveLength(3);
    expect(error?.message).toMatch(/voiceIds[\s\S]*concurrency[\s\S]*deadlineMs/);
    expect(JSON.stringify(error)).not.toContain(apiKey);
  });
});
