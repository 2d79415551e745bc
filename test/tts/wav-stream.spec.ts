import { describe, expect, it } from '@jest/globals';
import { HamsaMalformedAudioError } from '../../lib/index.js';
import { fakeSpeech } from '../../lib/testing/index.js';
import { bareStreamFormat, wavHeader } from '../../lib/tts/wav.js';
import { toWavStream } from '../../lib/tts/wav-stream.js';
import { parseWav } from './wav-parse.js';

const pcm = fakeSpeech('مرحبا بك');

/** Splits `bytes` at the given offsets. */
function split(bytes: Buffer, ...at: number[]): Buffer[] {
  const edges = [0, ...at, bytes.length];
  return edges.slice(1).map((end, i) => bytes.subarray(edges[i], end));
}

async function* from(chunks: Buffer[]): AsyncGenerator<Buffer> {
  for (const chunk of chunks) yield chunk;
}

async function wavOf(chunks: Buffer[], mulaw = false): Promise<{ wav: Buffer; pieces: Buffer[] }> {
  const pieces: Buffer[] = [];
  for await (const piece of toWavStream(from(chunks), bareStreamFormat(mulaw))) pieces.push(piece);
  return { wav: Buffer.concat(pieces), pieces };
}

/** A RIFF header as a server might send it: unknown sizes, a LIST chunk before `data`. */
function serverHeader(): Buffer {
  const canonical = wavHeader(bareStreamFormat(false));
  const list = Buffer.concat([
    Buffer.from('LIST'),
    Buffer.from([5, 0, 0, 0]),
    Buffer.from('INFOx\0'),
  ]);
  return Buffer.concat([canonical.subarray(0, 36), list, canonical.subarray(36)]);
}

describe('toWavStream', () => {
  it('puts a 16 kHz 16-bit mono header before bare PCM, whole samples only', async () => {
    const { wav, pieces } = await wavOf(split(pcm, 1, 2, 777, 778, 4095));

    expect(pieces[0]).toHaveLength(44);
    for (const piece of pieces.slice(1)) expect(piece.length % 2).toBe(0);
    const parsed = parseWav(wav);
    expect(parsed).toMatchObject({ audioFormat: 1, channels: 1, sampleRate: 16000, bits: 16 });
    expect(parsed.riffSize).toBe(0xffffffff);
    expect(parsed.dataSize).toBe(0xffffffff);
    expect(parsed.data.equals(pcm)).toBe(true);
  });

  it('writes an 8 kHz µ-law header (format 7) when mulaw', async () => {
    const audio = fakeSpeech('hello', true);
    const parsed = parseWav((await wavOf(split(audio, 3, 9), true)).wav);

    expect(parsed).toMatchObject({ audioFormat: 7, sampleRate: 8000, bits: 8, blockAlign: 1 });
    expect(parsed.data.equals(audio)).toBe(true);
  });

  it('drops the RIFF header the server sent, wherever the chunks split it', async () => {
    const stream = Buffer.concat([serverHeader(), pcm]);
    for (let at = 1; at < serverHeader().length + 3; at++) {
      const { wav, pieces } = await wavOf(split(stream, at, at + 7));
      expect(pieces[0]).toHaveLength(44);
      expect(parseWav(wav).data.equals(pcm)).toBe(true);
    }
  });

  it('drops a trailing half sample of a stream cut mid-sample', async () => {
    const { wav } = await wavOf(split(pcm.subarray(0, 101), 33));

    expect(parseWav(wav).data.equals(pcm.subarray(0, 100))).toBe(true);
  });

  it('yields only a header for a stream that ended inside the server header', async () => {
    const { wav } = await wavOf([serverHeader().subarray(0, 20)]);

    expect(wav).toHaveLength(44);
  });
});

describe('toWavStream on a header it cannot read', () => {
  /** `RIFF????WAVE` followed by one chunk `id` claiming `size` bytes, then `body`. */
  function riffWith(id: string, size: number, body: Buffer): Buffer {
    const chunkHeader = Buffer.alloc(8);
    chunkHeader.write(id, 0, 'ascii');
    chunkHeader.writeUInt32LE(size, 4);
    return Buffer.concat([Buffer.from('RIFF\xff\xff\xff\xffWAVE', 'latin1'), chunkHeader, body]);
  }

  it.each([
    [
      'a chunk larger than 64 KB',
      riffWith('LIST', 1_000_000, Buffer.alloc(16)),
      /LIST chunk of 1000000 bytes/,
    ],
    [
      'no data chunk within 64 KB',
      riffWith('LIST', 4, Buffer.alloc(70_000)),
      /malformed WAV header/,
    ],
    ['a fmt chunk too short', riffWith('fmt ', 4, Buffer.alloc(4)), /fmt chunk of 4 bytes/],
  ])('rejects HamsaMalformedAudioError for %s', async (_what, stream, message) => {
    const failure = wavOf(split(stream, 5, 20));

    await expect(failure).rejects.toBeInstanceOf(HamsaMalformedAudioError);
    await expect(failure).rejects.toThrow(message);
  });
});
