/** Size field of a WAV whose length is not known when its header is written. */
export const UNKNOWN_WAV_SIZE = 0xffffffff;

/** The audio format of a WAV stream. */
export interface WavFormat {
  /** WAVE format tag: 1 PCM, 7 µ-law. */
  audioFormat: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
}

/** What Hamsa streams without a header: 16 kHz 16-bit mono PCM, or 8 kHz 8-bit µ-law. */
export function bareStreamFormat(mulaw: boolean): WavFormat {
  return mulaw
    ? { audioFormat: 7, channels: 1, sampleRate: 8000, bitsPerSample: 8 }
    : { audioFormat: 1, channels: 1, sampleRate: 16000, bitsPerSample: 16 };
}

/** Bytes of one sample frame (all channels). */
export function blockAlign(format: WavFormat): number {
  return Math.max(1, (format.channels * format.bitsPerSample) / 8);
}

/**
 * A canonical 44-byte WAV header. Without `dataBytes` both size fields are 0xFFFFFFFF,
 * "length unknown", as in the streamed header Hamsa's API reference shows (a size of 0 would
 * claim an empty file).
 */
export function wavHeader(format: WavFormat, dataBytes?: number): Buffer {
  const header = Buffer.alloc(44);
  const align = blockAlign(format);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(dataBytes === undefined ? UNKNOWN_WAV_SIZE : 36 + dataBytes, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(format.audioFormat, 20);
  header.writeUInt16LE(format.channels, 22);
  header.writeUInt32LE(format.sampleRate, 24);
  header.writeUInt32LE(format.sampleRate * align, 28);
  header.writeUInt16LE(align, 32);
  header.writeUInt16LE(format.bitsPerSample, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(dataBytes ?? UNKNOWN_WAV_SIZE, 40);
  return header;
}

/** Whether the bytes start like a WAV file: `RIFF`, a size, `WAVE`. */
export function isWav(bytes: Buffer): boolean {
  return (
    bytes.length >= 12 &&
    bytes.toString('ascii', 0, 4) === 'RIFF' &&
    bytes.toString('ascii', 8, 12) === 'WAVE'
  );
}
