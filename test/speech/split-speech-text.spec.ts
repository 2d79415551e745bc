import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { splitSpeechText } from '../../lib/index.js';
import { speechSegmenter } from '../../lib/tts/speech/split-speech-text.js';

/** The input as the segments give it back: whitespace runs collapsed, ends trimmed. */
function collapsed(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The segments of `text` pushed in pieces cut at `cuts` (sorted positions). */
function splitInPieces(text: string, cuts: number[], options = {}): string[] {
  const segmenter = speechSegmenter(options);
  const segments: string[] = [];
  let from = 0;
  for (const cut of [...cuts, text.length]) {
    segments.push(...segmenter.push(text.slice(from, cut)));
    from = cut;
  }
  return [...segments, ...segmenter.end()];
}

const SPEAKABLE = /[\p{L}\p{N}]/u;

/** Whether `joined` is `expected` with some words left out, none with a letter or digit. */
function dropsOnlyPunctuation(expected: string, joined: string): boolean {
  const kept = joined.split(' ').filter(Boolean);
  let next = 0;
  for (const word of expected.split(' ')) {
    if (next < kept.length && kept[next] === word) next++;
    else if (SPEAKABLE.test(word)) return false;
  }
  return next === kept.length;
}

describe('splitSpeechText()', () => {
  it.each([
    [
      'Arabic sentences, a question with ؟',
      'مرحبا بك في خدمة العملاء. هل تريد معرفة رصيدك الحالي؟ سأساعدك الآن بكل سرور!',
      ['مرحبا بك في خدمة العملاء.', 'هل تريد معرفة رصيدك الحالي؟', 'سأساعدك الآن بكل سرور!'],
    ],
    [
      'English, with a decimal, a URL and an emoji after a sentence',
      'The fee is 3.5 dollars per month. Read https://example.com/a?b=1.2 now! 🙂 Anything else for today?',
      [
        'The fee is 3.5 dollars per month.',
        'Read https://example.com/a?b=1.2 now! 🙂',
        'Anything else for today?',
      ],
    ],
    [
      'Arabic decimal separator and Arabic-Indic digits, ؛ as a sentence end',
      'السعر هو ٣٫٥ ريال فقط لا غير؛ والتوصيل مجاني لجميع الطلبات.',
      ['السعر هو ٣٫٥ ريال فقط لا غير؛', 'والتوصيل مجاني لجميع الطلبات.'],
    ],
    [
      'mixed Arabic and English, an ellipsis',
      'Your order رقم ١٢٣ is on its way… سيصل غدا إن شاء الله. Thank you for waiting!',
      ['Your order رقم ١٢٣ is on its way…', 'سيصل غدا إن شاء الله.', 'Thank you for waiting!'],
    ],
    [
      'a list on separate lines (short items join the next)',
      'Here are your options:\n- pay by card\n- pay in cash at the door\n- transfer',
      ['Here are your options:', '- pay by card - pay in cash at the door', '- transfer'],
    ],
    [
      'short sentences join the next, except the last',
      'Hi. Ok. This sentence is long enough to stand. Bye.',
      ['Hi. Ok. This sentence is long enough to stand.', 'Bye.'],
    ],
    [
      'closing quotes stay with their sentence',
      'He said "we are open until nine." «وسنغلق بعد ذلك.» Come early please.',
      ['He said "we are open until nine."', '«وسنغلق بعد ذلك.» Come early please.'],
    ],
    ['only punctuation and emoji: nothing to say', ' ... !!! 🙂 ', []],
    ['empty', '', []],
  ])('%s', (_name, text, expected) => {
    expect(splitSpeechText(text)).toEqual(expected);
  });

  it('cuts a long sentence at ، , ; : first, then at whitespace', () => {
    const text = 'first clause here، second clause here, third part; fourth: and then some words';

    expect(splitSpeechText(text, { maxChars: 40, minChars: 0 })).toEqual([
      'first clause here، second clause here,',
      'third part; fourth: and then some words',
    ]);
    expect(splitSpeechText(`${text} again`, { maxChars: 40, minChars: 0 })).toEqual([
      'first clause here، second clause here,',
      'third part; fourth:',
      'and then some words again',
    ]);
    expect(splitSpeechText('one two three four five six', { maxChars: 10, minChars: 0 })).toEqual([
      'one two',
      'three four',
      'five six',
    ]);
  });

  it('cuts a 5,000-character paragraph without punctuation at whitespace, within 2,000', () => {
    const words = Array.from({ length: 900 }, (_, i) => (i % 2 ? 'كلمة' : `word${i}`));
    const text = words.join(' ');
    expect(text.length).toBeGreaterThan(5_000);

    const segments = splitSpeechText(text);

    expect(segments.length).toBe(3);
    for (const segment of segments) expect(segment.length).toBeLessThanOrEqual(2_000);
    expect(segments.join(' ')).toBe(text);
  });

  it('cuts inside a word only when it is longer than maxChars, never inside an emoji', () => {
    expect(splitSpeechText('abcdefghijkl', { maxChars: 5, minChars: 0 })).toEqual([
      'abcde',
      'fghij',
      'kl',
    ]);
    expect(splitSpeechText('abcd😀efgh', { maxChars: 5, minChars: 0 })).toEqual([
      'abcd',
      '😀efg',
      'h',
    ]);
  });

  it('rejects options out of range, naming them', () => {
    expect(() => splitSpeechText('x', { maxChars: 1 })).toThrow(/maxChars must be an integer ≥ 2/);
    expect(() => splitSpeechText('x', { maxChars: 10, minChars: 11 })).toThrow(
      /minChars must be an integer from 0 to maxChars \(10\)/,
    );
  });

  describe('properties (fast-check)', () => {
    const word = fc.oneof(
      fc.constantFrom('مرحبا', 'بك', 'كيف', 'حالك', 'hello', 'world', '3.5', '٣٫٥', '١٢٣'),
      fc.constantFrom('https://x.io/a?b=1', '🙂', '—', '«نعم»', '"yes"', '-'),
      fc.stringMatching(/^[a-z]{1,8}$/),
    );
    const mark = fc.constantFrom(
      '',
      '',
      '',
      '.',
      '!',
      '?',
      '؟',
      '؛',
      '…',
      '،',
      ',',
      ';',
      ':',
      '...',
    );
    const space = fc.constantFrom(' ', ' ', ' ', '  ', '\n', ' \n ', '\t');
    const text = fc
      .array(fc.tuple(word, mark, space), { maxLength: 60 })
      .map((parts) => parts.map(([w, m, s]) => w + m + s).join(''));
    // maxChars ≥ 30: longer than any generated word, so that no word has to be cut.
    const options = fc.integer({ min: 30, max: 120 }).chain((maxChars) =>
      fc.record({
        maxChars: fc.constant(maxChars),
        minChars: fc.integer({ min: 0, max: maxChars }),
      }),
    );

    it('no empty segment, none over maxChars, none without a letter or digit', () => {
      fc.assert(
        fc.property(text, options, (input, opts) => {
          for (const segment of splitSpeechText(input, opts)) {
            expect(segment.length).toBeGreaterThan(0);
            expect(segment.length).toBeLessThanOrEqual(opts.maxChars);
            expect(segment).toBe(segment.trim());
            expect(segment).toMatch(SPEAKABLE);
          }
        }),
        { numRuns: 300 },
      );
    });

    it('joined with spaces, the segments give back the input modulo whitespace', () => {
      fc.assert(
        fc.property(text, options, (input, opts) => {
          const joined = splitSpeechText(input, opts).join(' ');
          const expected = collapsed(input);
          if (joined === expected) return;
          // Documented: punctuation or emoji left over by a cut that fits nowhere is dropped.
          expect(dropsOnlyPunctuation(expected, joined)).toBe(true);
        }),
        { numRuns: 300 },
      );
    });

    it('a token stream cut anywhere gives the same segments as the whole text', () => {
      const cutsOf = (input: string) =>
        fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, input.length - 1) }), {
          maxLength: 40,
        });
      fc.assert(
        fc.property(
          text.chain((input) => fc.tuple(fc.constant(input), cutsOf(input))),
          options,
          ([input, cuts], opts) => {
            const sorted = cuts.filter((cut) => cut < input.length).sort((a, b) => a - b);
            expect(splitInPieces(input, sorted, opts)).toEqual(splitSpeechText(input, opts));
          },
        ),
        { numRuns: 300 },
      );
    });
  });

  it('gives each segment as soon as the first letter after its end arrives', () => {
    const segmenter = speechSegmenter();
    const first = 'هذه هي الجملة الأولى من الجواب.';

    expect(segmenter.push(first)).toEqual([]);
    expect(segmenter.push(' ')).toEqual([]);
    expect(segmenter.push('و')).toEqual([first]);
    expect(segmenter.push('الثانية')).toEqual([]);
    expect(segmenter.end()).toEqual(['والثانية']);
  });

  it('splits at every position of a mixed text the same way', () => {
    const input =
      'مرحبا! The total is 12.75 SAR، شكرا. See https://hamsa.ai/x?y=1 for more… وداعا 👋\nNext line here.';
    const whole = splitSpeechText(input, { minChars: 5 });
    for (let a = 1; a < input.length; a++) {
      expect(splitInPieces(input, [a], { minChars: 5 })).toEqual(whole);
    }
    const tokens = [...input].map((_, i) => i + 1).slice(0, -1);
    expect(splitInPieces(input, tokens, { minChars: 5 })).toEqual(whole);
  });
});
