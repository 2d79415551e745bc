import { MAX_TTS_TEXT_LENGTH } from '../hamsa-tts.interfaces.js';
import { SpeechSegmenter } from './speech-segmenter.js';

/** Options of `splitSpeechText()`. */
export interface SplitSpeechTextOptions {
  /** Longest segment, in characters (UTF-16 code units); at least 2. Default 2000 (Hamsa's limit). */
  maxChars?: number;
  /** A segment shorter than this joins the next one, except the last. Default 20. */
  minChars?: number;
}

/** The defaults of `splitSpeechText()`. */
export const SPLIT_SPEECH_TEXT_DEFAULTS = { maxChars: MAX_TTS_TEXT_LENGTH, minChars: 20 } as const;

/**
 * Cuts text into segments Hamsa can speak one request each, in order. A segment ends at a
 * sentence end — `.` `!` `?` `؟` `؛` `…` followed by whitespace, or a line break — never inside
 * a word, a decimal number (`3.5`, `٣٫٥`) or a URL. A sentence longer than `maxChars` is cut at
 * `،` `,` `;` `:`, then at whitespace (inside a word only when one word is longer than
 * `maxChars`). Punctuation or emoji with nothing to say stays with the sentence before it; a
 * segment shorter than `minChars` joins the next one, except the last. Whitespace runs become
 * single spaces: joining the segments with spaces gives back the input with its whitespace
 * collapsed and trimmed — except that punctuation a cut leaves with nowhere to fit (only with
 * a `maxChars` near a word's length) is dropped. Text without a letter or digit gives no segment.
 *
 * @example
 * splitSpeechText('مرحبا بك في همسة. كيف أستطيع مساعدتك اليوم؟ Ask me anything!');
 * // ['مرحبا بك في همسة.', 'كيف أستطيع مساعدتك اليوم؟', 'Ask me anything!']
 *
 * @throws RangeError when `maxChars` is not an integer ≥ 2, or `minChars` not an integer from 0
 * to `maxChars`.
 */
export function splitSpeechText(text: string, options: SplitSpeechTextOptions = {}): string[] {
  const segmenter = speechSegmenter(options);
  return [...segmenter.push(text), ...segmenter.end()];
}

/** @internal A `SpeechSegmenter` with `splitSpeechText()`'s options, checked. */
export function speechSegmenter(options: SplitSpeechTextOptions = {}): SpeechSegmenter {
  const { maxChars, minChars } = { ...SPLIT_SPEECH_TEXT_DEFAULTS, ...options };
  if (!Number.isInteger(maxChars) || maxChars < 2) {
    throw new RangeError(`maxChars must be an integer ≥ 2, got ${String(maxChars)}`);
  }
  if (!Number.isInteger(minChars) || minChars < 0 || minChars > maxChars) {
    throw new RangeError(
      `minChars must be an integer from 0 to maxChars (${maxChars}), got ${String(minChars)}`,
    );
  }
  return new SpeechSegmenter(maxChars, minChars);
}
