import { fakeSpeech } from './fake-speech.js';
import { type FakeTtsStep } from './fake-tts.interfaces.js';

/**
 * Which TTS answers of a fake server are empty (its `emptyAnswerRate`): the n-th unscripted
 * answer since start or `reset()` (counted over every transport and speaker) is empty when
 * ⌈n·rate⌉ > ⌈(n−1)·rate⌉ — with `0.5` the 1st, 3rd, 5th…; with `0.25` the 1st, 5th, 9th…;
 * with `1` every one. Deterministic, so tests can count requests exactly.
 */
export class FakeEmptyAnswers {
  private answered = 0;

  constructor(private readonly rate = 0) {
    checkEmptyAnswerRate(rate);
  }

  /** The scripted step of the next answer if there is one, otherwise `{ empty: true }` or none. */
  next(scripted: FakeTtsStep | undefined): FakeTtsStep | undefined {
    if (scripted !== undefined || this.rate === 0) return scripted;
    const n = ++this.answered;
    return Math.ceil(n * this.rate) > Math.ceil((n - 1) * this.rate) ? { empty: true } : undefined;
  }

  reset(): void {
    this.answered = 0;
  }
}

/** Throws a `RangeError` for an `emptyAnswerRate` outside 0–1. */
export function checkEmptyAnswerRate(rate: number | undefined): void {
  if (rate !== undefined && !(rate >= 0 && rate <= 1)) {
    throw new RangeError(`emptyAnswerRate must be a number from 0 to 1, got ${rate}`);
  }
}

/** The audio the fake speaks for `text`, or only `audioBytes` of it for an `empty` step. */
export function fakeAnswerAudio(step: FakeTtsStep | undefined, text: string, mulaw: boolean) {
  const audio = fakeSpeech(text, mulaw);
  return step && 'empty' in step ? audio.subarray(0, step.audioBytes ?? 0) : audio;
}
