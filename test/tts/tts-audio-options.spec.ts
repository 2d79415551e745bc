import { describe, expect, it } from '@jest/globals';
import { HamsaOptionsError } from '../../lib/index.js';
import { resolveOptions } from '../../lib/options/resolve-options.js';

const base = { apiKey: 'k', voiceIds: [] };

describe('tts.minAudioMs and tts.maxAudioBytes', () => {
  it('default to 30 ms and 32 MB', () => {
    expect(resolveOptions(base).tts).toMatchObject({ minAudioMs: 30, maxAudioBytes: 33_554_432 });
  });

  it('accept 0 (off) to 1000 ms, and 1 KB to 1 GB', () => {
    for (const tts of [
      { minAudioMs: 0, maxAudioBytes: 1024 },
      { minAudioMs: 1000, maxAudioBytes: 2 ** 30 },
    ]) {
      expect(resolveOptions({ ...base, tts }).tts).toMatchObject(tts);
    }
  });

  it.each([
    [
      { minAudioMs: -1 },
      'tts.minAudioMs must be an integer from 0 to 1000 (ms; 0 turns the check off)',
    ],
    [{ minAudioMs: 1001 }, 'tts.minAudioMs must be an integer from 0 to 1000'],
    [{ minAudioMs: 2.5 }, 'tts.minAudioMs must be an integer from 0 to 1000'],
    [{ minAudioMs: null }, 'tts.minAudioMs must be an integer from 0 to 1000'],
    [
      { maxAudioBytes: 1023 },
      'tts.maxAudioBytes must be an integer from 1024 to 1073741824 (bytes)',
    ],
    [{ maxAudioBytes: '32MB' }, 'tts.maxAudioBytes must be an integer from 1024'],
  ])('reject %p at startup, naming the option and its range', (tts, message) => {
    expect(() => resolveOptions({ ...base, tts })).toThrow(HamsaOptionsError);
    expect(() => resolveOptions({ ...base, tts })).toThrow(message);
  });
});
