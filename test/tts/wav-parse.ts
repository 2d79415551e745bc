/** The fields of a WAV file, read the way a player reads them. */
export interface ParsedWav {
  riffSize: number;
  audioFormat: number;
  channels: number;
  sampleRate: number;
  blockAlign: number;
  bits: number;
  dataSize: number;
  data: Buffer;
}

/** Parses a WAV file: RIFF, WAVE, chunks until `data`; throws when it is not one. */
export function parseWav(wav: Buffer): ParsedWav {
  if (wav.toString('ascii', 0, 4) !== 'RIFF' || wav.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error('not a RIFF/WAVE file');
  }
  let offset = 12;
  let fmt: Buffer | undefined;
  while (offset + 8 <= wav.length) {
    const id = wav.toString('ascii', offset, offset + 4);
    const size = wav.readUInt32LE(offset + 4);
    if (id === 'data') {
      if (!fmt) throw new Error('data before fmt');
      return {
        riffSize: wav.readUInt32LE(4),
        audioFormat: fmt.readUInt16LE(0),
        channels: fmt.readUInt16LE(2),
        sampleRate: fmt.readUInt32LE(4),
        blockAlign: fmt.readUInt16LE(12),
        bits: fmt.readUInt16LE(14),
        dataSize: size,
        data: wav.subarray(offset + 8),
      };
    }
    if (id === 'fmt ') fmt = wav.subarray(offset + 8, offset + 8 + size);
    offset += 8 + size + (size % 2);
  }
  throw new Error('no data chunk');
}
