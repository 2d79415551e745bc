import { HamsaMalformedAudioError } from '../errors/hamsa-malformed-audio.error.js';
import { UNKNOWN_WAV_SIZE, type WavFormat } from './wav.js';

/** A server header longer than this is not a header: give up rather than buffer audio forever. */
const MAX_HEADER_BYTES = 64 * 1024;
/** Highest sample rate taken for real (768 kHz); above it a header is garbage. */
const MAX_SAMPLE_RATE = 768_000;
const MAX_CHANNELS = 8;
const RIFF = Buffer.from('RIFF', 'ascii');

/** Where the audio of an answer starts, and what its header says. */
export interface WavStart {
  format: WavFormat;
  /** Where the audio begins in the answer's bytes (0 for bare audio). */
  dataOffset: number;
  /** Whether the answer starts with a RIFF/WAVE header. */
  isWav: boolean;
  /**
   * The answer's length, in bytes, as its header declares it (the larger of the RIFF and `data`
   * sizes); `undefined` for bare audio or sizes 0xFFFFFFFF ("length unknown", as streams have).
   */
  declaredBytes?: number;
}

/**
 * Where the audio starts: at 0 for bare audio, after the `data` chunk header for a RIFF stream
 * (its format taken from the `fmt ` chunk). `undefined` while more bytes are needed to tell.
 *
 * @throws HamsaMalformedAudioError for a header that cannot be read.
 */
export function readWavStart(bytes: Buffer, bareFormat: WavFormat): WavStart | undefined {
  const bare = { format: bareFormat, dataOffset: 0, isWav: false };
  if (!startsLikeRiff(bytes)) return bare;
  if (bytes.length < 12) return undefined;
  if (bytes.toString('ascii', 8, 12) !== 'WAVE') return bare;

  let format = bareFormat;
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString('ascii', offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    if (id === 'data') {
      const dataOffset = offset + 8;
      const declaredBytes = declaredLength(bytes.readUInt32LE(4), dataOffset, size);
      return { format, dataOffset, isWav: true, declaredBytes };
    }
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
export function startsLikeRiff(bytes: Buffer): boolean {
  const prefix = bytes.subarray(0, 4);
  return prefix.length > 0 && RIFF.subarray(0, prefix.length).equals(prefix);
}

/** Bytes of one millisecond of audio in `format`, e.g. 32 for 16 kHz 16-bit mono. */
export function bytesPerMs(format: WavFormat): number {
  return (format.sampleRate * format.channels * format.bitsPerSample) / 8 / 1000;
}

/** The larger length the RIFF size and the `data` size claim; sizes 0xFFFFFFFF claim nothing. */
function declaredLength(
  riffSize: number,
  dataOffset: number,
  dataSize: number,
): number | undefined {
  const riffClaim = riffSize === UNKNOWN_WAV_SIZE ? 0 : riffSize + 8;
  const dataClaim = dataSize === UNKNOWN_WAV_SIZE ? 0 : dataOffset + dataSize;
  const claim = Math.max(riffClaim, dataClaim);
  return claim > 0 ? claim : undefined;
}

function readFormat(fmt: Buffer): WavFormat {
  if (fmt.length < 16) throw malformed(`a fmt chunk of ${fmt.length} bytes`);
  const format: WavFormat = {
    audioFormat: fmt.readUInt16LE(0),
    channels: fmt.readUInt16LE(2),
    sampleRate: fmt.readUInt32LE(4),
    bitsPerSample: fmt.readUInt16LE(14),
  };
  const { channels, sampleRate, bitsPerSample } = format;
  // Bounded so that every size derived from them (block align, byte rate) fits its field.
  if (
    channels < 1 ||
    channels > MAX_CHANNELS ||
    ![8, 16, 24, 32].includes(bitsPerSample) ||
    sampleRate < 1 ||
    sampleRate > MAX_SAMPLE_RATE
  ) {
    throw malformed(
      `an unsupported format (${channels} channels, ${bitsPerSample} bits, ${sampleRate} Hz)`,
    );
  }
  return format;
}

function malformed(what: string): HamsaMalformedAudioError {
  return new HamsaMalformedAudioError(`Hamsa's audio has a malformed WAV header: ${what}`);
}
