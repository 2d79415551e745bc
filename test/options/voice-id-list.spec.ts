import { describe, expect, it } from '@jest/globals';
import { HamsaOptionsError } from '../../lib/index.js';
import { resolveOptions } from '../../lib/options/resolve-options.js';
import { fakeVoiceId } from '../../lib/testing/index.js';

const apiKey = 'sk-secret-key-123';
const [idA, idB, idC] = [1, 2, 3].map(fakeVoiceId);
/** A real-looking UUID with letters, so that case matters. */
const mixed = '48F7656F-098b-4C43-B165-7cfd2cc8ac30';

const voiceIdsOf = (voiceIds: unknown) => resolveOptions({ apiKey, voiceIds }).voiceIds;

/** The one problem reported about `voiceIds` (fails the test if the options are accepted). */
function voiceIdsProblem(voiceIds: unknown): string {
  try {
    resolveOptions({ apiKey, voiceIds });
  } catch (error) {
    expect(error).toBeInstanceOf(HamsaOptionsError);
    const { problems } = error as HamsaOptionsError;
    expect(problems).toHaveLength(1);
    expect(problems[0].startsWith('voiceIds ')).toBe(true);
    return problems[0];
  }
  throw new Error(`expected voiceIds ${JSON.stringify(voiceIds)} to be rejected`);
}

describe('voiceIds as one string (an environment variable)', () => {
  it.each([
    ['commas', `${idA},${idB},${idC}`],
    ['commas and spaces', `${idA}, ${idB} ,${idC}`],
    ['spaces only', `${idA} ${idB}   ${idC}`],
    ['one a line, with a trailing newline', `${idA}\n${idB}\r\n${idC}\n`],
    ['tabs, stray commas and blank lines', `\t${idA},,\n\n${idB},\t${idC},`],
  ])('splits IDs separated by %s', (_separators, voiceIds) => {
    expect(voiceIdsOf(voiceIds)).toEqual([idA, idB, idC]);
  });

  it.each([[''], ['   '], [' ,\n, ']])(
    'names no voice when it holds only separators: %j',
    (given) => {
      expect(voiceIdsOf(given)).toEqual([]);
    },
  );

  it('fixes the reported case: "id1, id2" read from an environment variable', () => {
    expect(voiceIdsOf(`${idA}, ${idB}`)).toEqual([idA, idB]);
  });
});

describe('voiceIds as an array', () => {
  it('trims each element and drops empty ones, as the string form does', () => {
    expect(voiceIdsOf([` ${idA}`, `${idB}\n`, '', '  ', idC])).toEqual([idA, idB, idC]);
  });

  it('rejects an element with whitespace inside instead of splitting it', () => {
    const problem = voiceIdsProblem([`${idA} ${idB}`]);

    expect(problem).toContain(`"${idA} ${idB}" contains whitespace (character 37)`);
    expect(problem).not.toContain('built-in speakers');
  });
});

describe('voiceIds in any case', () => {
  it('keeps UUIDs in lower case, the one form the module knows', () => {
    expect(voiceIdsOf([mixed])).toEqual([mixed.toLowerCase()]);
    expect(voiceIdsOf(mixed)).toEqual([mixed.toLowerCase()]);
  });

  it('collapses upper- and lower-case copies of one UUID into one voice, in first-seen order', () => {
    const voiceIds = [idB, mixed.toUpperCase(), idA, mixed.toLowerCase(), mixed];

    expect(voiceIdsOf(voiceIds)).toEqual([idB, mixed.toLowerCase(), idA]);
  });
});

describe('voiceIds problems', () => {
  it.each([
    ['is one character short', idA.slice(1), 'has 35 characters, but a UUID has 36'],
    ['is one character long', `${idA}0`, 'has 37 characters, but a UUID has 36'],
    ['holds a letter that is not hex', idA.replace(/^0/, 'g'), 'contains "g" (character 1)'],
    ['holds a comma (array element)', `${idA},`, 'contains "," (character 37)'],
    ['has no dashes', idA.replaceAll('-', ''), 'has no dashes: a UUID is 8-4-4-4-12 hex digits'],
    [
      'has misplaced dashes',
      `0${idA.slice(0, 8)}${idA.slice(9)}`,
      'has its dashes in the wrong places',
    ],
  ])('says what is wrong with an ID that %s, without the built-in hint', (_what, bad, expected) => {
    const asArray = voiceIdsProblem([idA, bad]);

    expect(asArray).toContain(`but got ${JSON.stringify([bad])}`);
    expect(asArray).toContain(`${JSON.stringify(bad)} ${expected}`);
    expect(asArray).not.toContain('built-in speakers');
  });

  it('gives the built-in speaker hint only to a value that looks like a name', () => {
    expect(voiceIdsProblem(`${idA}, Amjad`)).toBe(
      'voiceIds must hold cloned-voice UUIDs only, but got ["Amjad"]; built-in speakers such ' +
        'as "Amjad" need no preload, so leave them out of voiceIds',
    );
    expect(voiceIdsProblem(['ليان'])).toContain('built-in speakers such as "ليان" need no preload');
    expect(voiceIdsProblem(['Amjad2'])).not.toContain('built-in speakers');
  });

  it('names every bad ID, each with its own reason, in one line', () => {
    const problem = voiceIdsProblem(`Layan,${idA.slice(1)} ${idB}`);

    expect(problem).toContain(`but got ["Layan","${idA.slice(1)}"]`);
    expect(problem).toContain('built-in speakers such as "Layan" need no preload');
    expect(problem).toContain(`"${idA.slice(1)}" has 35 characters`);
  });

  it('rejects an element that is not a string', () => {
    expect(voiceIdsProblem([idA, 42, undefined])).toBe(
      'voiceIds must hold cloned-voice UUIDs only, but got [ 42, undefined ]; ' +
        'each voice ID must be a string',
    );
  });
});
