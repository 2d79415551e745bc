/**
 * The audio the fake server speaks for `text`: a 440 Hz tone of 100 ms plus 10 ms per character,
 * as 16 kHz 16-bit mono PCM, or 8 kHz µ-law with `mulaw`. Deterministic, so tests can compare.
 */
export function fakeSpeech(text: string, mulaw = false): Buffer {
  const sampleRate = mulaw ? 8000 : 16000;
  const samples = Math.round(sampleRate * (0.1 + 0.01 * text.length));
  const audio = Buffer.alloc(mulaw ? samples : samples * 2);
  for (let i = 0; i < samples; i++) {
    const value = Math.round(0.3 * 32767 * Math.sin((2 * Math.PI * 440 * i) / sampleRate));
    if (mulaw) audio[i] = muLaw(value);
    else audio.writeInt16LE(value, i * 2);
  }
  return audio;
}

/** G.711 µ-law encoding of one 16-bit sample. */
function muLaw(sample: number): number {
  const sign = sample < 0 ? 0x80 : 0;
  const magnitude = Math.min(Math.abs(sample), 32635) + 0x84;
  let exponent = 7;
  while (exponent > 0 && (magnitude & (0x4000 >> (7 - exponent))) === 0) exponent--;
  const mantissa = (magnitude >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}
