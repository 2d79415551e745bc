import { describe, expect, it } from '@jest/globals';
import {
  HamsaTtsRequestError,
  HamsaTtsService,
  InvalidVoiceIdError,
  UnknownVoiceError,
} from '../../lib/index.js';
import { fakeVoiceId } from '../../lib/testing/index.js';
import {
  failOnUnhandledRejections,
  rejectionOf,
  useHamsaHarness,
  within,
} from '../support/hamsa-harness.js';
import { text } from '../tts/tts-harness.js';

const voiceA = '48f7656f-098b-4c43-b165-7cfd2cc8ac30';

/** Speakers meant as UUIDs that are not UUIDs, and what InvalidVoiceIdError says of each. */
const MALFORMED: [string, string][] = [
  // One character short, a space in its place (issue 20's report).
  ['48f7656f-098b-4c43-b165-00000000 001', 'contains whitespace (character 33)'],
  [voiceA.slice(0, 35), 'has 35 characters, but a UUID has 36'],
  [` ${voiceA}`, 'contains whitespace (character 1)'],
  [voiceA.replaceAll('-', ''), 'has no dashes'],
  [`${voiceA.slice(0, 8)}${voiceA.slice(9)}-`, 'has its dashes in the wrong places'],
];

describe('TTS speakers', () => {
  const harness = useHamsaHarness();
  failOnUnhandledRejections('each');

  async function start() {
    const server = await harness.server({ coldStartMs: 0 });
    const app = await harness.start(server);
    return { server, app, tts: app.moduleRef.get(HamsaTtsService) };
  }

  /**
   * What `synthesize()`, `stream()`, `streamWav()` and a session's `speak()` fail with for
   * `speaker`, checking that none of them sent anything (the session's own opening aside).
   */
  async function errorsOfEveryTtsCall(speaker: string): Promise<unknown[]> {
    const { server, tts } = await start();
    const session = await tts.openSession();
    const opened = server.requests.length;
    const errors = [
      await rejectionOf(tts.synthesize({ text, speaker })),
      captured(() => tts.stream({ text, speaker })),
      captured(() => tts.streamWav({ text, speaker })),
      captured(() => session.speak({ text, speaker })),
    ];
    expect(server.requests).toHaveLength(opened);
    expect(server.ttsCalls).toHaveLength(0);
    await session.close();
    return errors;
  }

  describe('that look like UUIDs but are not', () => {
    it.each(MALFORMED)(
      '%j: InvalidVoiceIdError saying what is wrong, from every TTS call, nothing sent',
      async (speaker, problem) => {
        for (const error of await errorsOfEveryTtsCall(speaker)) {
          expect(error).toBeInstanceOf(InvalidVoiceIdError);
          expect((error as Error).message).toContain(`${JSON.stringify(speaker)} is not a UUID`);
          expect((error as Error).message).toContain(problem);
        }
      },
    );

    it('refuses them in the readiness API too: whenReady and assertReady throw, isReady is false', async () => {
      const { server, app } = await start();

      for (const [voiceId] of MALFORMED) {
        expect(app.readiness.isReady(voiceId)).toBe(false);
        expect(() => app.readiness.assertReady(voiceId)).toThrow(InvalidVoiceIdError);
        expect(await rejectionOf(app.readiness.whenReady(voiceId))).toBeInstanceOf(
          InvalidVoiceIdError,
        );
        expect(await rejectionOf(app.readiness.preload(voiceId))).toBeInstanceOf(
          InvalidVoiceIdError,
        );
      }
      expect(server.requests).toHaveLength(0);
    });
  });

  describe('built-in speaker names', () => {
    it('need no preload: isReady is true, whenReady resolves at once, assertReady passes', async () => {
      const { server, app } = await start();

      for (const name of ['Amjad', 'Layan', 'ليان', 'Amjad2', 'speaker-1']) {
        expect(app.readiness.isReady(name)).toBe(true);
        await within(100, `whenReady('${name}')`, app.readiness.whenReady(name));
        expect(() => app.readiness.assertReady(name)).not.toThrow();
        expect(app.readiness.getStatus(name)).toBeUndefined();
      }
      expect(server.requests).toHaveLength(0);
    });

    it('leaves unknown UUIDs, and blank names, unknown', async () => {
      const { app } = await start();
      const unknown = fakeVoiceId(7);

      expect(app.readiness.isReady(unknown)).toBe(false);
      expect(await rejectionOf(app.readiness.whenReady(unknown))).toBeInstanceOf(UnknownVoiceError);
      expect(() => app.readiness.assertReady(unknown)).toThrow(UnknownVoiceError);
      expect(app.readiness.isReady(' ')).toBe(false);
      expect(() => app.readiness.assertReady('')).toThrow(UnknownVoiceError);
    });
  });

  describe('untrusted speakers', () => {
    it.each([
      ['129 characters', 'Z'.repeat(129), 'speaker must be at most 128 characters, got 129'],
      [
        '90,000 characters',
        'Z'.repeat(90_000),
        'speaker must be at most 128 characters, got 90000',
      ],
      ['a newline', 'Amjad\nERROR forged line', 'got U+000A at character 6'],
      ['an escape sequence', 'Amjad\u001b[2J', 'got U+001B at character 6'],
      ['DEL', 'Am\u007fjad', 'got U+007F at character 3'],
      ['a C1 control', 'Amjad\u0085', 'got U+0085 at character 6'],
      ['a line separator', 'Amjad\u2028x', 'got U+2028 at character 6'],
      ['a paragraph separator', `${voiceA}\u2029`, 'got U+2029 at character 37'],
    ])('with %s: HamsaTtsRequestError before anything is sent', async (_what, speaker, problem) => {
      for (const error of await errorsOfEveryTtsCall(speaker)) {
        expect(error).toBeInstanceOf(HamsaTtsRequestError);
        expect((error as HamsaTtsRequestError).problems).toEqual([
          expect.stringContaining(problem),
        ]);
        // The message never quotes the speaker: it may be hostile, or huge.
        expect((error as Error).message.length).toBeLessThan(200);
      }
    });

    it('accepts a speaker of exactly 128 characters', async () => {
      const { server, tts } = await start();

      await tts.synthesize({ text, speaker: 'Z'.repeat(128) });

      expect(server.ttsCalls.map((call) => call.speaker.length)).toEqual([128]);
    });
  });
});

/** What a synchronous call threw; fails if it did not throw. */
function captured(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}
