import { blockAlign, type WavFormat, wavHeader } from './wav.js';
import { readWavStart, startsLikeRiff } from './wav-header.js';

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
      const start = readWavStart(pending, bareFormat);
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
