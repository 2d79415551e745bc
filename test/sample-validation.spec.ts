import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { VoiceReadinessService } from '../lib/index.js';
import { fakeVoiceId } from '../lib/testing/index.js';
import { AppModule } from '../sample/dashboard/app.module.js';
import { useSampleApp } from './support/sample-app.js';

const RUNS = 150;
/** Fixed, so CI is repeatable; FUZZ_SEED=… explores other corners (fast-check prints the seed). */
const SEED = Number(process.env.FUZZ_SEED ?? 16);
const JSON_TYPE = { 'content-type': 'application/json' };
const TOO_LONG = 'ا'.repeat(2001);
/** 1000 emoji: 1000 code points, 2000 UTF-16 code units, as Hamsa counts: the longest text. */
const LONGEST = '😀'.repeat(1000);

/** What a request answered: its status and, for JSON, its `message`. */
interface Answer {
  status: number;
  message?: unknown;
}

async function send(url: string, init?: RequestInit): Promise<Answer> {
  const response = await fetch(url, init);
  const type = response.headers.get('content-type') ?? '';
  if (!type.startsWith('application/json')) {
    await response.arrayBuffer();
    return { status: response.status };
  }
  const body = (await response.json()) as { message?: unknown };
  return { status: response.status, message: body.message };
}

const post = (body: string | undefined, headers: Record<string, string> = JSON_TYPE) => ({
  method: 'POST',
  headers,
  body,
});

/** [what is wrong, request path, request init, the one message expected]. */
const BAD_REQUESTS: [string, string, RequestInit | undefined, string][] = [
  ['POST /tts: no body', '/tts', { method: 'POST' }, 'text is required: send JSON such as'],
  [
    'POST /tts: text/plain',
    '/tts',
    post('مرحبا', { 'content-type': 'text/plain' }),
    'text is required',
  ],
  ['POST /tts: an empty object', '/tts', post('{}'), 'text is required'],
  ['POST /tts: an empty array', '/tts', post('[]'), 'text is required'],
  ['POST /tts: text null', '/tts', post('{"text": null}'), 'text is required'],
  ['POST /tts: text a number', '/tts', post('{"text": 42}'), 'text must be a string'],
  ['POST /tts: text an array', '/tts', post('{"text": ["مرحبا"]}'), 'text must be a string'],
  ['POST /tts: text empty', '/tts', post('{"text": ""}'), 'text must not be blank'],
  ['POST /tts: text blank', '/tts', post('{"text": " \\t\\n "}'), 'text must not be blank'],
  [
    'POST /tts: text too long',
    '/tts',
    post(JSON.stringify({ text: TOO_LONG })),
    'text must be at most 2000 characters',
  ],
  [
    'POST /tts: text too long in UTF-16',
    '/tts',
    post(JSON.stringify({ text: `${LONGEST}a` })),
    'text must be at most 2000 characters',
  ],
  [
    'POST /tts: speaker a number',
    '/tts',
    post('{"text": "مرحبا", "speaker": 7}'),
    'speaker must be a string: a speaker name or a cloned-voice UUID',
  ],
  [
    'POST /tts: speaker blank',
    '/tts',
    post('{"text": "مرحبا", "speaker": "  "}'),
    'speaker must not be blank',
  ],
  [
    'POST /tts: dialect unknown',
    '/tts',
    post('{"text": "مرحبا", "dialect": "xx"}'),
    'dialect must be one of pls, egy,',
  ],
  [
    'POST /tts: a misspelt field',
    '/tts',
    post('{"text": "مرحبا", "speeker": "Amjad"}'),
    'property speeker should not exist',
  ],
  [
    'GET /tts/stream: no text',
    '/tts/stream',
    undefined,
    'text is required: GET /tts/stream?text=…',
  ],
  ['GET /tts/stream: text blank', '/tts/stream?text=%20%20', undefined, 'text must not be blank'],
  ['GET /tts/stream: text twice', '/tts/stream?text=a&text=b', undefined, 'text must be a string'],
  [
    'GET /tts/stream: a bracketed parameter',
    '/tts/stream?text=hi&text[a]=b',
    undefined,
    'property text[a] should not exist',
  ],
  [
    'GET /tts/stream: text too long',
    `/tts/stream?text=${encodeURIComponent(TOO_LONG)}`,
    undefined,
    'text must be at most 2000 characters',
  ],
  [
    'GET /tts/stream: speaker blank',
    '/tts/stream?text=hi&speaker=',
    undefined,
    'speaker must not be blank',
  ],
  [
    'GET /tts/stream: an unknown parameter',
    '/tts/stream?text=hi&voice=x',
    undefined,
    'property voice should not exist',
  ],
];

describe('the TTS routes of the samples: bad requests are 400s that name the field and the rule', () => {
  const sample = useSampleApp(AppModule, { HAMSA_FAKE_LATENCY_MS: '0' });

  it.each(BAD_REQUESTS)('%s', async (_what, path, init, expected) => {
    const answer = await send(`${sample.baseUrl}${path}`, init);

    expect(answer.status).toBe(400);
    expect(answer.message).toEqual([expect.stringContaining(expected)]);
  });

  it('keeps the good requests and their answers: a WAV, or 404 for a voice never configured', async () => {
    await sample.app.get(VoiceReadinessService).whenAllReady({ timeoutMs: 5_000 });
    const speak = (body: object) => send(`${sample.baseUrl}/tts`, post(JSON.stringify(body)));

    expect(await speak({ text: 'مرحبا' })).toEqual({ status: 200 });
    expect(await speak({ text: LONGEST, speaker: fakeVoiceId(2), dialect: 'egy' })).toEqual({
      status: 200,
    });
    expect(await speak({ text: 'مرحبا', speaker: fakeVoiceId(99) })).toEqual({
      status: 404,
      message: expect.stringContaining(`Voice ${fakeVoiceId(99)} is unknown`),
    });
    expect(await send(`${sample.baseUrl}/tts/stream?text=hi`)).toEqual({ status: 200 });
  });

  it(`${RUNS} random requests to POST /tts and GET /tts/stream: never a 5xx`, async () => {
    await sample.app.get(VoiceReadinessService).whenAllReady({ timeoutMs: 5_000 });
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(request(), async ({ path, init }) => {
        const answer = await send(`${sample.baseUrl}${path}`, init);
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        expect(answer.status).toBeLessThan(500);
        if (answer.status === 400) expect(answer.message).toBeTruthy();
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    // Both kinds were tried: requests that spoke and requests that were refused.
    expect(statuses.get(200)).toBeGreaterThan(RUNS / 20);
    expect(statuses.get(400)).toBeGreaterThan(RUNS / 5);
  }, 60_000);
});

/** A value for one of the fields: mostly plausible, sometimes anything JSON can hold. */
function fieldValue(): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.string({ minLength: 0, maxLength: 40, unit: 'binary' }) },
    { weight: 1, arbitrary: fc.constantFrom('مرحبا بك', 'Amjad', fakeVoiceId(1), 'egy', ' ') },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  );
}

/** A random POST /tts (JSON, or another content type) or GET /tts/stream. */
function request(): fc.Arbitrary<{ path: string; init?: RequestInit }> {
  const key = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom('text', 'speaker', 'dialect') },
    { weight: 1, arbitrary: fc.string({ maxLength: 10 }) },
  );
  const object = fc.dictionary(key, fieldValue(), { maxKeys: 4 });
  const jsonBody = fc.oneof(
    { weight: 4, arbitrary: object.map((value) => JSON.stringify(value)) },
    { weight: 1, arbitrary: fc.json({ maxDepth: 2 }) },
    { weight: 1, arbitrary: fc.string({ maxLength: 20 }) }, // not JSON at all
  );
  const contentType = fc.constantFrom(
    'application/json',
    'text/plain',
    'application/x-www-form-urlencoded',
    'application/octet-stream',
  );
  const posted = fc.record({
    path: fc.constant('/tts'),
    init: fc.oneof(
      { weight: 4, arbitrary: jsonBody.map((body) => post(body)) },
      {
        weight: 1,
        arbitrary: fc
          .tuple(jsonBody, contentType)
          .map(([body, type]) => post(body, { 'content-type': type })),
      },
    ),
  });
  const streamed = fc
    .array(fc.tuple(key, fc.string({ maxLength: 20, unit: 'binary' })), { maxLength: 4 })
    .map((pairs) => ({ path: `/tts/stream?${new URLSearchParams(pairs)}` }));
  return fc.oneof({ weight: 3, arbitrary: posted }, { weight: 1, arbitrary: streamed });
}
