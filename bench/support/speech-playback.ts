/** 16 kHz 16-bit mono PCM: bytes per millisecond of audio. */
const BYTES_PER_MS = 32;

/** `text` as an LLM streams it: one word per token (a space before it), `intervalMs` apart. */
export async function* llmTokens(
  text: string,
  intervalMs: number,
  producedAt: number[],
): AsyncGenerator<string> {
  const words = text.split(' ');
  for (let index = 0; index < words.length; index++) {
    if (index > 0) await new Promise((resolve) => setTimeout(resolve, intervalMs));
    producedAt.push(performance.now());
    yield index === 0 ? words[0] : ` ${words[index]}`;
  }
}

/** The index of the token that makes the first sentence's end known: the one after its `.`/`؟`. */
export function firstEndKnownToken(text: string): number {
  const words = text.split(' ');
  return words.findIndex((word) => /[.!?؟؛…]$/.test(word)) + 1;
}

/** Audio as it arrived: when, and how many bytes. */
export interface Arrival {
  at: number;
  bytes: number;
}

/** Reads `audio` to its end, noting when each chunk arrived. */
export async function arrivals(audio: AsyncIterable<Buffer>): Promise<Arrival[]> {
  const all: Arrival[] = [];
  for await (const chunk of audio) all.push({ at: performance.now(), bytes: chunk.length });
  return all;
}

/**
 * Silence a real-time player would have had after the first audio: it plays each chunk at the
 * end of the previous one, or when the chunk arrives if that is later.
 */
export function playbackGapsMs(audio: readonly Arrival[]): number {
  let gaps = 0;
  let playedUntil = audio[0]?.at ?? 0;
  for (const { at, bytes } of audio) {
    if (at > playedUntil) gaps += at - playedUntil;
    playedUntil = Math.max(playedUntil, at) + bytes / BYTES_PER_MS;
  }
  return gaps;
}
