import { type HamsaSpeech } from 'nestjs-hamsa';

/** Frame types of `GET /agent/speech`: the page reads them with `fetch()`, as they come. */
export const FRAME = { caption: 1, audio: 2 } as const;

/** One frame: its type (1 byte), its length (4 bytes, little-endian), its payload. */
function frame(type: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt8(type, 0);
  head.writeUInt32LE(payload.length, 1);
  return Buffer.concat([head, payload]);
}

/**
 * The speech as frames: each segment's text (as `speakText()` announces it, with
 * `onSegmentStart`, pushed into `captions`) right before its first audio, then the audio —
 * 16 kHz 16-bit PCM.
 */
export async function* speechFrames(
  speech: HamsaSpeech,
  captions: string[],
): AsyncGenerator<Buffer> {
  for await (const audio of speech) {
    for (const caption of captions.splice(0)) yield frame(FRAME.caption, Buffer.from(caption));
    yield frame(FRAME.audio, audio);
  }
}
