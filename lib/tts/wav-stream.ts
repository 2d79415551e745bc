import { HamsaMalformedAudioError } from '../errors/hamsa-malformed-audio.error.js';
import { blockAlign, type WavFormat, wavHeader } from './wav.js';

/** A server header longer than this is not a header: give up rather than buffer audio forever. */
const MAX_HEADER_BYTES = 64 * 1024;
const RIFF = Buffer.from('RIFF', 'ascii');

/**
 * Turns a TTS audio stream into a playable WAV stream: writes its own 44-byte header first,
 * drops the server's RIFF header if it sent one (taking its format from the `fmt ` chunk),
 * and yields whole samples only, carrying a split sample over to the next chunk.
 *
 * Chunk boundaries may fall anywhere, inside the server's header too. A trailing partial sample
 * (a stream cut mid-sample) is dropped.
 */
export async function* toWavStream(
  chunks: AsyncIterable<Buffer>,
  bareFormat: WavFormat,
): AsyncGenerator<Buffer> {
  let pending: Buffer = Buffer.alloc(0);
  let align = 0;
  for await (const chunk of chunks) {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    if (align === 0) {
      const start = readStart(pending, bareFormat);
      if (start === undefined) continue;
      align = blockAlign(start.format);
      pending = pending.subarray(start.dataOffset);
      yield wavHeader(start.format);
    }
    const whole = pending.length - (pending.length % align);
    if (whole > 0) yield pending.subarray(0, whole);
    pending = pending.subarray(whole);
  }
  if (align === 0) {
    // Ended before the audio started: a lone (partial) server header carries no audio.
    yield wavHeader(bareFormat);
    if (startsLikeRiff(pending)) return;
    const whole = pending.length - (pending.length % blockAlign(bareFormat));
    if (whole > 0) yield pending.subarray(0, whole);
  }
}

interface StreamStart {
  format: WavFormat;
  /** Where the audio begins in the bytes read so far. */
  dataOffset: number;
}

/**
 * Where the audio starts: at 0 for bare audio, after the `data` chunk header for a RIFF stream.
 * `undefined` while more bytes are needed to tell.
 */
function readStart(bytes: Buffer, bareFormat: WavFormat): StreamStart | undefined {
  if (!startsLikeRiff(bytes)) return { format: bareFormat, dataOffset: 0 };
  if (bytes.length < 12) return undefined;
  if (bytes.toString('ascii', 8, 12) !== 'WAVE') return { format: bareFormat, dataOffset: 0 };

  let format = bareFormat;
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString('ascii', offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    if (id === 'data') return { format, dataOffset: offset + 8 };
    const end = offset + 8 + size + (size % 2);
    if (end > MAX_HEADER_BYTES) throw malformed(`a ${id} chunk of ${size} bytes`);
    if (end > bytes.length) break;
    if (id === 'fmt ') format = readFormat(bytes.subarray(offset + 8, offset + 8 + size));
    offset = end;
  }
  if (bytes.length > MAX_HEADER_BYTES) throw malformed(`no data chunk in ${bytes.length} bytes`);
  return undefined;
}

/** Whether the bytes are, or may become, `RIFF`. */
function startsLikeRiff(bytes: Buffer): boolean {
  const prefix = bytes.subarray(0, 4);
  return prefix.length > 0 && RIFF.subarray(0, prefix.length).equals(prefix);
}

function readFormat(fmt: Buffer): WavFormat {
  if (fmt.length < 16) throw malformed(`a fmt chunk of ${fmt.length} bytes`);
  const format: WavFormat = {
    audioFormat: fmt.readUInt16LE(0),
    channels: fmt.readUInt16LE(2),
    sampleRate: fmt.readUInt32LE(4),
    bitsPerSample: fmt.readUInt16LE(14),
  };
  if (format.channels < 1 || format.bitsPerSample % 8 !== 0 || format.bitsPerSample === 0) {
    throw malformed(`an unsupported format (${format.channels} ch, ${format.bitsPerSample} bit)`);
  }
  return format;
}

function malformed(what: string): HamsaMalformedAudioError {
  return new HamsaMalformedAudioError(`Hamsa's audio stream has a malformed WAV header: ${what}`);
}
