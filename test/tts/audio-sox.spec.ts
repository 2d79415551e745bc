import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { type FakeHamsaServerOptions, fakeSpeech } from '../../lib/testing/index.js';
import { UNKNOWN_WAV_SIZE } from '../../lib/tts/wav.js';
import { useHamsaHarness } from '../support/hamsa-harness.js';
import { collect, startTts, text, voice } from './tts-harness.js';
import { parseWav } from './wav-parse.js';

const run = promisify(execFile);

/** Chunk sizes that split the 44-byte header and 16-bit samples in many places. */
const oddChunks = [3, 7, 5, 13, 1001];

/**
 * Whether `tool` is on PATH. Only "not found" counts as absent: a sox that is there but broken must
 * fail the tests, not skip them. (The exit status says nothing: `soxi --version` exits 1 on sox
 * 14.4.2.)
 */
function onPath(tool: string): boolean {
  const { error } = spawnSync(tool, ['--version'], { stdio: 'ignore', timeout: 5_000 });
  return (error as NodeJS.ErrnoException | undefined)?.code !== 'ENOENT';
}

/** Decided once, at load: the suite runs, or is skipped with the install hint in its name. */
const soxPresent = onPath('sox') && onPath('soxi');

/** What `soxi` and `sox` tell of a WAV file: header fields, and the audio sox decodes. */
interface SoxReport {
  rate: number;
  channels: number;
  encoding: string;
  bits: number;
  /** `soxi -s`: samples the header claims. */
  headerSamples: number;
  /** `soxi -D`: seconds the header claims. */
  headerSeconds: number;
  /** `sox -n stat`: samples sox actually decoded. */
  samplesRead: number;
  /** sox's WARN/FAIL lines while decoding. */
  warnings: string[];
  /** The audio bytes sox decoded, in the file's own encoding (`-t raw`, little-endian). */
  raw: Buffer;
}

async function soxi(flag: string, file: string): Promise<string> {
  const { stdout } = await run('soxi', [flag, file], { timeout: 10_000 });
  return stdout.trim();
}

async function examine(wav: Buffer): Promise<SoxReport> {
  const dir = await mkdtemp(join(tmpdir(), 'hamsa-sox-'));
  try {
    const file = join(dir, 'audio.wav');
    await writeFile(file, wav);
    const [rate, channels, encoding, bits, headerSamples, headerSeconds] = await Promise.all(
      ['-r', '-c', '-e', '-b', '-s', '-D'].map((flag) => soxi(flag, file)),
    );
    // `stat` reports on stderr.
    const { stderr } = await run('sox', [file, '-n', 'stat'], { timeout: 10_000 });
    const samplesRead = /^Samples read:\s+(\d+)$/m.exec(stderr)?.[1];
    if (samplesRead === undefined) throw new Error(`no "Samples read" in sox's stat:\n${stderr}`);
    const { stdout: raw } = await run('sox', [file, '-t', 'raw', '-L', '-'], {
      encoding: 'buffer',
      timeout: 10_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    return {
      rate: Number(rate),
      channels: Number(channels),
      encoding,
      bits: Number(bits),
      headerSamples: Number(headerSamples),
      headerSeconds: Number(headerSeconds),
      samplesRead: Number(samplesRead),
      warnings: stderr.split('\n').filter((line) => /\b(WARN|FAIL)\b/.test(line)),
      raw,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const pcm = { rate: 16000, channels: 1, encoding: 'Signed Integer PCM', bits: 16 };
const ulaw = { rate: 8000, channels: 1, encoding: 'u-law', bits: 8 };

const describeWithSox = soxPresent ? describe : describe.skip;

describeWithSox(
  soxPresent ? 'audio checked by sox' : 'audio checked by sox (absent: apt-get install -y sox)',
  () => {
    const harness = useHamsaHarness();

    it.each([
      ['16-bit PCM', false, pcm],
      ['µ-law', true, ulaw],
    ])('synthesize(): a %s WAV file with exact sizes', async (_label, mulaw, format) => {
      const { tts } = await startTts(harness);

      const wav = await tts.synthesize({ text, speaker: voice, mulaw });

      const audio = parseWav(wav).data;
      const bytesPerSample = format.bits / 8;
      const samples = audio.length / bytesPerSample;
      expect(audio.equals(fakeSpeech(text, mulaw))).toBe(true);
      const report = await examine(wav);
      expect(report).toMatchObject({ ...format, headerSamples: samples, samplesRead: samples });
      expect(report.headerSeconds).toBeCloseTo(samples / format.rate, 5);
      expect(report.warnings).toEqual([]);
      expect(report.raw.equals(audio)).toBe(true);
    });

    it.each([
      ['bare 16-bit PCM', false, false, pcm],
      ['RIFF-prefixed 16-bit PCM', false, true, pcm],
      ['bare µ-law', true, false, ulaw],
      ['RIFF-prefixed µ-law', true, true, ulaw],
    ])(
      'streamWav() of %s in odd chunks: the format, every sample decoded',
      async (_label, mulaw, ttsStreamHeader, format) => {
        const serverOptions: FakeHamsaServerOptions = { ttsStreamHeader, ttsChunkSizes: oddChunks };
        const { tts } = await startTts(harness, serverOptions);

        const wav = await collect(tts.streamWav({ text, speaker: voice, mulaw }));

        // The package's own 44-byte header, then the audio it yielded.
        const audio = wav.subarray(44);
        const bytesPerSample = format.bits / 8;
        expect(audio.length % bytesPerSample).toBe(0);
        expect(audio.equals(fakeSpeech(text, mulaw))).toBe(true);
        const report = await examine(wav);
        expect(report).toMatchObject({ ...format, samplesRead: audio.length / bytesPerSample });
        expect(report.raw.equals(audio)).toBe(true);
        // "Length unknown": sox takes the 0xFFFFFFFF data size at its word (~37 hours of
        // 16 kHz PCM), then meets the end of the file early. Expected for a live stream.
        expect(report.headerSamples).toBe(Math.floor(UNKNOWN_WAV_SIZE / bytesPerSample));
        expect(report.warnings).toEqual([expect.stringMatching(/Premature EOF/)]);
      },
    );
  },
);
