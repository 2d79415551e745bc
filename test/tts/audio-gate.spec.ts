import { describe, expect, it } from '@jest/globals';
import {
  HamsaApiError,
  HamsaConnectionError,
  HamsaEmptyAudioError,
  HamsaMalformedAudioError,
} from '../../lib/index.js';
import { AudioGate, type AudioGateOptions } from '../../lib/tts/audio-gate.js';
import { bareStreamFormat, wavHeader } from '../../lib/tts/wav.js';
import { toWavStream } from '../../lib/tts/wav-stream.js';

const pcm = bareStreamFormat(false);
const audio = Buffer.alloc(2000, 7);

function gate(options: Partial<AudioGateOptions> = {}): AudioGate {
  return new AudioGate({
    speaker: 'Amjad',
    bareFormat: pcm,
    minAudioMs: 30,
    maxAudioBytes: 1 << 20,
    ...options,
  });
}

/** Feeds `bytes` one byte at a time; returns the byte offsets after which something came out. */
function feedByteByByte(target: AudioGate, bytes: Buffer): { out: Buffer[]; at: number[] } {
  const out: Buffer[] = [];
  const at: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const released = target.take(bytes.subarray(i, i + 1));
    if (released !== undefined) {
      out.push(released);
      at.push(i + 1);
    }
  }
  return { out, at };
}

/** A 44-byte header whose fmt fields are overwritten with `fields`. */
function headerWith(fields: { channels?: number; sampleRate?: number; bits?: number }): Buffer {
  const header = wavHeader(pcm, 1000);
  if (fields.channels !== undefined) header.writeUInt16LE(fields.channels, 22);
  if (fields.sampleRate !== undefined) header.writeUInt32LE(fields.sampleRate, 24);
  if (fields.bits !== undefined) header.writeUInt16LE(fields.bits, 34);
  return header;
}

describe('AudioGate', () => {
  it('holds a header split at every byte back until 960 bytes (30 ms) of audio came', () => {
    const target = gate();
    const answer = Buffer.concat([wavHeader(pcm), audio]);

    const { out, at } = feedByteByByte(target, answer);

    expect(at[0]).toBe(44 + 960);
    expect(out[0].equals(answer.subarray(0, 44 + 960))).toBe(true);
    expect(out).toHaveLength(answer.length - 44 - 960 + 1);
    expect(target.end()).toBeUndefined();
  });

  it('hands a chunk out as it is, without copying, once the start is out', () => {
    const target = gate();
    const first = audio.subarray(0, 1000);
    const next = audio.subarray(1000);

    expect(target.take(first)).toBe(first);
    expect(target.take(next)).toBe(next);
  });

  it('reads µ-law at 8 bytes per ms, and the format of a RIFF header over the bare one', () => {
    expect(feedByteByByte(gate({ bareFormat: bareStreamFormat(true) }), audio).at[0]).toBe(240);
    const mulawHeader = wavHeader(bareStreamFormat(true));
    expect(feedByteByByte(gate(), Buffer.concat([mulawHeader, audio])).at[0]).toBe(44 + 240);
  });

  it('throws HamsaEmptyAudioError at the end of a header alone, or of too little audio', () => {
    for (const bytes of [wavHeader(pcm, 0), audio.subarray(0, 959), Buffer.alloc(0)]) {
      const target = gate();
      expect(target.take(bytes)).toBeUndefined();
      expect(() => target.end()).toThrow(HamsaEmptyAudioError);
    }
  });

  it('gives the held start out at the end of a short answer when minAudioMs is 0', () => {
    const target = gate({ minAudioMs: 0 });
    const header = wavHeader(pcm, 0);

    expect(target.take(header)).toBe(header);
    expect(target.end()).toBeUndefined();
  });

  it('takes an answer shorter than its RIFF size as cut short (HamsaConnectionError)', () => {
    const target = gate();
    target.take(Buffer.concat([wavHeader(pcm, 64_000 - 44), audio.subarray(0, 1000)]));

    const error = (() => {
      try {
        target.end();
      } catch (thrown) {
        return thrown;
      }
    })();

    expect(error).toBeInstanceOf(HamsaConnectionError);
    expect((error as Error).message).toMatch(/after 1044 of the 64000 bytes/);
  });

  it('checks no length when the sizes are 0xFFFFFFFF (a stream), nor for bare audio', () => {
    const streamed = gate();
    streamed.take(Buffer.concat([wavHeader(pcm), audio]));
    expect(() => streamed.end()).not.toThrow();
    const bare = gate();
    bare.take(audio);
    expect(() => bare.end()).not.toThrow();
  });

  it('throws HamsaMalformedAudioError past maxAudioBytes, at the chunk that passes it', () => {
    const target = gate({ maxAudioBytes: 1500 });
    target.take(audio.subarray(0, 1000));

    expect(() => target.take(audio.subarray(1000, 1501))).toThrow(HamsaMalformedAudioError);
  });

  it('requires a WAV file for REST: anything else is a HamsaApiError of status 200', () => {
    const target = gate({ requireWav: true });

    expect(() => target.take(Buffer.from('plain text'))).toThrow(HamsaApiError);
  });

  it.each([
    ['a sample rate of 0xFFFFFFFF', { sampleRate: 0xffffffff }],
    ['0 channels', { channels: 0 }],
    ['65535 channels', { channels: 0xffff }],
    ['12-bit samples', { bits: 12 }],
    ['0-bit samples', { bits: 0 }],
  ])('throws HamsaMalformedAudioError for %s, never a RangeError', async (_label, fields) => {
    const header = headerWith(fields);

    expect(() => gate().take(header)).toThrow(HamsaMalformedAudioError);
    await expect(wavStreamOf(header)).rejects.toThrow(HamsaMalformedAudioError);
  });

  it('throws HamsaMalformedAudioError for a fmt chunk too short or a chunk too long', () => {
    const shortFmt = Buffer.concat([
      Buffer.from('RIFF\xff\xff\xff\xffWAVEfmt ', 'latin1'),
      Buffer.from([8, 0, 0, 0]),
      Buffer.alloc(8),
      Buffer.from('data\xff\xff\xff\xff', 'latin1'),
    ]);
    const hugeChunk = Buffer.from('RIFF\xff\xff\xff\xffWAVELIST\x00\x00\x10\x00', 'latin1');

    expect(() => gate().take(shortFmt)).toThrow(/a fmt chunk of 8 bytes/);
    expect(() => gate().take(hugeChunk)).toThrow(HamsaMalformedAudioError);
  });
});

async function wavStreamOf(bytes: Buffer): Promise<Buffer[]> {
  const out: Buffer[] = [];
  async function* one() {
    yield bytes;
  }
  for await (const piece of toWavStream(one(), pcm)) out.push(piece);
  return out;
}
