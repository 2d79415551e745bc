import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Test } from '@nestjs/testing';
import fc from 'fast-check';
import { HamsaOptionsError, HamsaVoiceModule } from '../../lib/index.js';
import { FakeHamsaServer, fakeVoiceId } from '../../lib/testing/index.js';
import { closeAll } from '../support/hamsa-app.js';
import { CapturingLogger } from '../support/capturing-logger.js';
import { within } from '../support/hamsa-harness.js';

const RUNS = 200;
/** Fixed, so CI is repeatable; FUZZ_SEED=… explores other corners (fast-check prints the seed). */
const SEED = Number(process.env.FUZZ_SEED ?? 4);
const MAX_TIMER_MS = 2_147_483_647;
const OPTION_NAMES = [
  'apiKey',
  'voiceIds',
  'baseUrl',
  'concurrency',
  'requestTimeoutMs',
  'retries',
  'retryDelayMs',
  'maxRetryDelayMs',
  'deadlineMs',
  'startupJitterMs',
  'waitForReady',
  'failOnError',
  'isGlobal',
];
const UNKNOWN_KEYS = ['timeout', 'voiceID', 'apikey', 'constructor', 'toString', 'hasOwnProperty'];

/** Values no option accepts: wrong types, NaN, infinities, nulls, bigints, nested junk. */
const junk = fc.oneof(
  fc.constantFrom(null, NaN, Infinity, -Infinity, -1, 0.5, 1e300, -0, '', ' ', '10', true, [], {}),
  fc.anything({ withBigInt: true, withNullPrototype: true, withMap: true, withDate: true }),
);

/** Mostly a valid value, sometimes a bad one: so that runs both start and fail. */
function mostly<T>(valid: fc.Arbitrary<T>, bad: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 12, arbitrary: valid }, { weight: 1, arbitrary: bad });
}

/** An integer option: valid values that keep startup short, boundary breakers, or junk. */
function integer(min: number, max: number, valid: number[]) {
  return mostly(
    fc.constantFrom(...valid),
    fc.oneof(
      fc.constantFrom(min - 1, max + 1, MAX_TIMER_MS + 1, Number.MAX_SAFE_INTEGER),
      fc.integer({ min: -1_000_000, max: -1 }),
      fc.double({ noInteger: true }),
      junk,
    ),
  );
}

function options(server: FakeHamsaServer) {
  const uuid = fc.integer({ min: 0, max: 20 }).map(fakeVoiceId);
  const voiceId = fc.oneof(
    { weight: 4, arbitrary: uuid },
    {
      weight: 1,
      arbitrary: fc.constantFrom('', 'Amjad', 'not-a-uuid', fakeVoiceId(1).toUpperCase()),
    },
    { weight: 1, arbitrary: fc.string() },
    { weight: 1, arbitrary: junk },
  );
  const values: Record<string, fc.Arbitrary<unknown>> = {
    // A wrong but well-formed key is a 401 at run time, not an options problem: not generated.
    apiKey: mostly(
      fc.constant(server.apiKey),
      fc.oneof(
        fc.constantFrom('', ' '),
        junk.filter((value) => typeof value !== 'string'),
      ),
    ),
    voiceIds: mostly(
      fc.oneof(fc.array(uuid, { maxLength: 6 }), fc.constant([fakeVoiceId(1), fakeVoiceId(1)])),
      fc.oneof(fc.array(voiceId, { minLength: 1, maxLength: 6 }), junk),
    ),
    // Never a reachable host other than the fake server: tests stay on 127.0.0.1.
    baseUrl: mostly(
      fc.constantFrom(server.url, `${server.url}/`),
      fc.oneof(
        fc.constantFrom('not a url', 'ftp://127.0.0.1', '127.0.0.1:80', '//127.0.0.1', ''),
        junk.filter((value) => typeof value !== 'string'),
      ),
    ),
    concurrency: integer(1, 64, [1, 4, 64]),
    requestTimeoutMs: integer(1, MAX_TIMER_MS, [2_000, MAX_TIMER_MS]),
    retries: integer(0, 100, [0, 3, 100]),
    retryDelayMs: integer(0, MAX_TIMER_MS, [0, 10, MAX_TIMER_MS]),
    maxRetryDelayMs: integer(0, MAX_TIMER_MS, [0, 50, MAX_TIMER_MS]),
    deadlineMs: integer(1, MAX_TIMER_MS, [5_000, MAX_TIMER_MS]),
    startupJitterMs: integer(0, MAX_TIMER_MS, [0, 20]),
    waitForReady: mostly(fc.boolean(), junk),
    failOnError: mostly(fc.boolean(), junk),
    isGlobal: mostly(fc.boolean(), junk),
  };
  const record = fc.record(values, { requiredKeys: [] });
  const unknown = fc.dictionary(fc.oneof(fc.constantFrom(...UNKNOWN_KEYS), fc.string()), junk, {
    maxKeys: 2,
  });
  return fc.oneof(
    // Mostly well-formed except for one or two options, so each rule gets exercised alone.
    {
      weight: 6,
      arbitrary: fc
        .tuple(record, fc.boolean())
        .map(([given, keepBase]) => ({
          apiKey: server.apiKey,
          voiceIds: [fakeVoiceId(1)],
          ...(keepBase ? { baseUrl: server.url } : {}),
          ...given,
        }))
        .map((given) => ({ baseUrl: server.url, ...given })),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(record, unknown)
        .map(([given, extra]) => ({ ...extra, ...given, baseUrl: server.url })),
    },
    { weight: 1, arbitrary: junk },
  );
}

/** Asserts one readable HamsaOptionsError whose every line names an option. */
function expectReadable(error: unknown, given: unknown, apiKey: string): void {
  expect(error).toBeInstanceOf(HamsaOptionsError);
  const { message, problems } = error as HamsaOptionsError;
  expect(message.startsWith('Invalid HamsaVoiceModule options:\n  - ')).toBe(true);
  expect(problems.length).toBeGreaterThanOrEqual(1);
  const keys = typeof given === 'object' && given !== null ? Object.keys(given) : [];
  for (const problem of problems) {
    const names = [...OPTION_NAMES, ...keys, 'options'];
    expect({ problem, named: names.some((name) => problem.startsWith(`${name} `)) }).toEqual({
      problem,
      named: true,
    });
  }
  expect(message).not.toContain(apiKey);
}

describe('options, fuzzed', () => {
  let server: FakeHamsaServer;
  beforeAll(async () => {
    server = await FakeHamsaServer.start({ apiKey: 'fuzz-5ecr3t-key' });
  });
  afterAll(() => server.close());

  it(`${RUNS} random option objects: a clean start or one readable HamsaOptionsError`, async () => {
    const outcomes = { started: 0, rejected: 0 };
    await fc.assert(
      fc.asyncProperty(options(server), async (given) => {
        let module;
        try {
          module = HamsaVoiceModule.forRoot(given as never);
        } catch (error) {
          expectReadable(error, given, server.apiKey);
          // forRootAsync validates when its factory resolves: the same error, at compile().
          const compiling = Test.createTestingModule({
            imports: [HamsaVoiceModule.forRootAsync({ useFactory: () => given as never })],
          })
            .setLogger(new CapturingLogger())
            .compile();
          const asyncError = await within(5_000, 'forRootAsync compile', compiling).then(
            (moduleRef) => moduleRef.close().then(() => 'compiled'),
            (caught: unknown) => caught,
          );
          expectReadable(asyncError, given, server.apiKey);
          expect((asyncError as HamsaOptionsError).problems).toEqual(
            (error as HamsaOptionsError).problems,
          );
          outcomes.rejected++;
          return;
        }
        const moduleRef = await Test.createTestingModule({ imports: [module] })
          .setLogger(new CapturingLogger())
          .compile();
        try {
          await within(10_000, 'init()', moduleRef.init());
        } finally {
          await within(5_000, 'close()', closeAll(moduleRef));
        }
        outcomes.started++;
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    console.log(`options fuzz (seed ${SEED}): ${JSON.stringify(outcomes)}`);
    expect(outcomes.started).toBeGreaterThan(RUNS / 10);
    expect(outcomes.rejected).toBeGreaterThan(RUNS / 10);
  }, 60_000);
});
