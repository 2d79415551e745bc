import {
  closingOf,
  hasSpeakable,
  isHighSurrogate,
  isSpace,
  isSpeakableAt,
  normalizeWhitespace,
} from './speech-characters.js';

/** How good a place to cut is: a sentence end, then a clause end, then any whitespace. */
const Rank = { Word: 1, Clause: 2, Sentence: 3 } as const;
type Rank = (typeof Rank)[keyof typeof Rank];

/** A whitespace character of the buffer where the text may be cut. */
interface CutPoint {
  at: number;
  rank: Rank;
}

/**
 * Cuts text that arrives in pieces (tokens that may split words and punctuation) into the
 * segments `splitSpeechText()` describes, each returned as soon as its end is known: a sentence
 * end is known at the first letter or digit after it, so a sentence is never held back for the
 * rest of the text. Pieces may be cut anywhere: the segments are the same however the text came.
 */
export class SpeechSegmenter {
  /** Whitespace-normalized text from `start` on that is not yet a segment. */
  private buffer = '';
  /** Where the current segment starts (never on whitespace once scanned). */
  private start = 0;
  /** Characters of `buffer` examined so far. */
  private scanned = 0;
  private wordStart = 0;
  private wordIsSpeakable = false;
  private cutPoints: CutPoint[] = [];
  /** The last sentence end with no letter or digit after it yet: it ends a segment once one comes. */
  private sentenceEnd?: CutPoint;
  /**
   * A segment that an over-long sentence was cut into, given out once a letter or digit follows
   * it: should only punctuation follow to the end, that joins it.
   */
  private held?: string;
  private ready: string[] = [];

  constructor(
    private readonly maxChars: number,
    private readonly minChars: number,
  ) {}

  /** Adds text; returns the segments whose end it made known, in order. */
  push(text: string): string[] {
    const piece = normalizeWhitespace(text);
    if (piece.length === 0) return [];
    const last = this.buffer.length - 1;
    if (last >= this.scanned && isSpace(this.buffer, last) && isSpace(piece, 0)) {
      // One whitespace run across two pieces: a line break in either half makes it one.
      const joined = this.buffer[last] === '\n' || piece[0] === '\n' ? '\n' : ' ';
      this.buffer = this.buffer.slice(0, last) + joined + piece.slice(1);
    } else {
      this.buffer += piece;
    }
    this.scan(false);
    this.compact();
    return this.take();
  }

  /** The text ended: returns the remaining segments (the last one may be short). */
  end(): string[] {
    this.scan(true);
    const rest = this.segment(this.start, this.buffer.length).trim();
    if (hasSpeakable(rest)) {
      this.release();
      this.ready.push(rest);
    } else {
      this.cutOff(rest);
      this.release();
    }
    this.buffer = '';
    this.restartAt(0);
    return this.take();
  }

  private scan(isFinal: boolean): void {
    const { buffer } = this;
    // The last character may be half of a whitespace run or of a surrogate pair still to come.
    const lastSafe = buffer.length - 1;
    const limit =
      isFinal || !(isSpace(buffer, lastSafe) || isHighSurrogate(buffer, lastSafe))
        ? buffer.length
        : lastSafe;
    for (let index = this.scanned; index < limit; index++) {
      this.scanned = index + 1;
      if (isSpace(buffer, index)) {
        if (index === this.start) this.restartAt(index + 1);
        else this.endWord(index);
      } else if (index - this.start + 1 > this.maxChars) {
        this.cutOverLong();
        index = this.scanned - 1;
      } else if (!this.wordIsSpeakable && isSpeakableAt(buffer, index)) {
        this.wordIsSpeakable = true;
        this.release();
        if (this.endsSentenceBefore()) index = this.scanned - 1;
      }
    }
  }

  /** The word before the whitespace at `at` ended: a place to cut, ranked. */
  private endWord(at: number): void {
    const { sentenceEnd } = this;
    // Punctuation or an emoji after a sentence end (on the same line) stays with that sentence.
    const afterSentence =
      !this.wordIsSpeakable &&
      sentenceEnd?.at === this.wordStart - 1 &&
      this.buffer[sentenceEnd.at] === ' ';
    const closing = closingOf(this.buffer, this.wordStart, at);
    let rank: Rank = Rank.Word;
    if (this.buffer[at] === '\n' || closing === 'sentence' || afterSentence) rank = Rank.Sentence;
    else if (closing === 'clause') rank = Rank.Clause;
    const point = { at, rank };
    this.cutPoints.push(point);
    if (rank === Rank.Sentence) this.sentenceEnd = point;
    this.wordStart = at + 1;
    this.wordIsSpeakable = false;
  }

  /**
   * The first letter or digit of a word: the sentence end before it is now known to be one.
   * Returns whether a segment ended there (shorter than `minChars`, it joins the next one).
   */
  private endsSentenceBefore(): boolean {
    const previous = this.sentenceEnd;
    this.sentenceEnd = undefined;
    if (!previous) return false;
    const segment = this.segment(this.start, previous.at);
    // Too short, or nothing to say (an emoji and a full stop): it joins the next one.
    if (segment.length < this.minChars || !hasSpeakable(segment)) return false;
    this.ready.push(segment);
    this.restartAt(previous.at + 1);
    return true;
  }

  /** The text since `start` is longer than `maxChars`: cut at the best place within it. */
  private cutOverLong(): void {
    let best: CutPoint | undefined;
    for (const point of this.cutPoints) {
      if (!best || point.rank >= best.rank) best = point;
    }
    if (best) {
      this.cutOff(this.segment(this.start, best.at));
      this.restartAt(best.at + 1);
      return;
    }
    // One word longer than maxChars: cut inside it, never inside a surrogate pair.
    let at = this.start + this.maxChars;
    if (isHighSurrogate(this.buffer, at - 1) && at - 1 > this.start) at--;
    this.cutOff(this.segment(this.start, at));
    this.restartAt(at);
  }

  /**
   * A segment ended by a cut: held until a letter or digit follows. Without one of its own it
   * joins the held segment when both fit in `maxChars`; otherwise it is dropped (punctuation
   * that has nothing to be said with).
   */
  private cutOff(segment: string): void {
    if (segment.length === 0) return;
    if (hasSpeakable(segment)) {
      this.release();
      this.held = segment;
    } else if (this.held !== undefined && this.held.length + 1 + segment.length <= this.maxChars) {
      this.held += ` ${segment}`;
    }
  }

  private release(): void {
    if (this.held === undefined) return;
    this.ready.push(this.held);
    this.held = undefined;
  }

  /** Starts the next segment at `at`: scanning resumes there. */
  private restartAt(at: number): void {
    this.start = this.scanned = this.wordStart = at;
    this.wordIsSpeakable = false;
    this.cutPoints = [];
    this.sentenceEnd = undefined;
  }

  /** The text from `from` to `to` as a segment: line breaks become spaces. */
  private segment(from: number, to: number): string {
    return this.buffer.slice(from, to).replaceAll('\n', ' ');
  }

  /** Drops the text already cut into segments. */
  private compact(): void {
    const shift = this.start;
    if (shift === 0) return;
    this.buffer = this.buffer.slice(shift);
    this.start = 0;
    this.scanned -= shift;
    this.wordStart -= shift;
    for (const point of this.cutPoints) point.at -= shift;
  }

  private take(): string[] {
    const segments = this.ready;
    this.ready = [];
    return segments;
  }
}
