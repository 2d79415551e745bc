import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from '@jest/globals';
import {
  HamsaAuthenticationError,
  HamsaBadRequestError,
  HamsaTtsService,
} from '../../lib/index.js';
import { fakeVoiceId } from '../../lib/testing/index.js';
import { closeAll, compileHamsaApp, type HamsaTestApp } from '../support/hamsa-app.js';
import { rejectionOf } from '../support/hamsa-harness.js';
import { collect } from '../tts/tts-harness.js';
import { leaksOf, serialisations } from '../support/secrets.js';
import { type EchoAnswer, type EchoRequest, startEchoingUpstream } from './echoing-upstream.js';

/** A key of base64 characters: `+ / =` all change when URL-encoded. */
const key = 'hK7+q/Zx9=Lm+Vb/Tr0=';
const forms: Record<string, string> = {
  raw: key,
  encoded: encodeURIComponent(key),
  'lower-case hex': encodeURIComponent(key).replace(/%[\dA-F]{2}/g, (hex) => hex.toLowerCase()),
};
/** Every echo must lose these: the key in each form, and its first part (the same in each). */
const secrets = [...Object.values(forms), key.slice(0, 3)];

/** Error bodies are quoted up to 200 characters: keys start on each side of that cut. */
const QUOTE_CUT = 200;
const cases = Object.entries(forms).flatMap(([form, written]) => {
  const offsets = [];
  for (let offset = QUOTE_CUT - written.length - 2; offset <= QUOTE_CUT + 1; offset++) {
    offsets.push(offset);
  }
  return offsets.map((offset) => ({ form, written, offset }));
});
type EchoCase = (typeof cases)[number];

/** The body that puts the key `offset` characters in, after text that proves it was quoted. */
const echoBody = ({ written, offset }: EchoCase) => `${'.'.repeat(offset)}${written} echoed`;

/** Every serialisation of the app and errors, `util.inspect` with `showHidden` included. */
function everyForm(app: HamsaTestApp, errors: unknown[]): string[] {
  return [
    ...serialisations(app, ...errors),
    ...errors.map((error) => inspect(error, { showHidden: true, depth: Infinity })),
  ];
}

function expectNoLeak(texts: string[]): void {
  for (const secret of secrets) expect(leaksOf(secret, texts)).toEqual([]);
}

/** The quoted body was there (so a leak could have shown), the key replaced where it fitted. */
function expectQuoted(error: unknown, echo: EchoCase): void {
  const { message } = error as Error;
  expect(message).toContain('.'.repeat(Math.min(echo.offset, QUOTE_CUT)));
  if (echo.offset + echo.written.length <= QUOTE_CUT) expect(message).toContain('[redacted]');
}

describe('an upstream that echoes the API key', () => {
  let upstream: Awaited<ReturnType<typeof startEchoingUpstream>> | undefined;
  let app: HamsaTestApp | undefined;

  afterEach(async () => {
    await closeAll(app?.moduleRef).finally(() => upstream?.close());
    app = upstream = undefined;
  });

  async function start(answer: (request: EchoRequest) => EchoAnswer, voiceIds: string[] = []) {
    upstream = await startEchoingUpstream(answer);
    app = await compileHamsaApp({
      apiKey: key,
      voiceIds,
      baseUrl: upstream.url,
      retries: 0,
      failOnError: false,
    });
    await app.moduleRef.init();
    return { app, tts: app.moduleRef.get(HamsaTtsService) };
  }

  it('leaks no part of it from text bodies cut at 200 characters (REST and stream)', async () => {
    const byText = (request: EchoRequest) => cases[Number(request.json.text)];
    const { app, tts } = await start((request) => ({
      status: 400,
      body: echoBody(byText(request)),
    }));
    const errors: unknown[] = [];

    for (const [index, echo] of cases.entries()) {
      const request = { text: String(index), speaker: 'Amjad' };
      const restError = await rejectionOf(tts.synthesize(request));
      const streamError = await rejectionOf(collect(tts.stream(request)));
      for (const error of [restError, streamError]) {
        expect(error).toBeInstanceOf(HamsaBadRequestError);
        expectQuoted(error, echo);
      }
      errors.push(restError, streamError);
    }

    expect(upstream!.requests).toHaveLength(cases.length * 2);
    expectNoLeak(everyForm(app, errors));
  });

  it('leaks no part of it from preload answers, statuses and logs', async () => {
    const voiceIds = cases.map((_echo, index) => fakeVoiceId(index + 1));
    const byVoice = (request: EchoRequest) =>
      cases[voiceIds.indexOf(request.json.voiceId as string)];
    const { app } = await start(
      (request) => ({ status: 400, body: echoBody(byVoice(request)) }),
      voiceIds,
    );

    const failures = voiceIds.map((voiceId) => app.readiness.getStatus(voiceId)?.error);
    const errors = await Promise.all(
      voiceIds.map((voiceId) => rejectionOf(app.readiness.whenReady(voiceId))),
    );

    expect(upstream!.requests).toHaveLength(cases.length);
    failures.forEach((failure, index) => expectQuoted(failure, cases[index]));
    expectNoLeak([
      ...everyForm(app, errors),
      ...failures.map((failure) => inspect(failure, { showHidden: true, depth: Infinity })),
    ]);
  });

  it('redacts messageKey and requestId, and the message of a JSON body', async () => {
    const { app, tts } = await start(() => ({
      status: 400,
      headers: { 'x-request-id': `req-${forms.encoded}` },
      body: JSON.stringify({ message: `${'.'.repeat(190)}${key}`, messageKey: forms.raw }),
    }));

    const error = await rejectionOf(tts.synthesize({ text: 'مرحبا', speaker: 'Amjad' }));

    expect(error).toMatchObject({ messageKey: '[redacted]', requestId: 'req-[redacted]' });
    expect((error as Error).message).toMatch(/\.{190}\[redacted\]$/);
    expectNoLeak(everyForm(app, [error]));
  });

  it('leaks no part of a URL-encoded key from a refused WebSocket upgrade', async () => {
    const echoes = cases.filter(({ form }) => form !== 'raw');
    let next = 0;
    const { app, tts } = await start(() => ({
      status: 401,
      headers: { 'x-request-id': forms['lower-case hex'] },
      body: echoBody(echoes[next++]),
    }));
    const errors: unknown[] = [];

    for (const echo of echoes) {
      const error = await rejectionOf(tts.openSession());
      expect(error).toBeInstanceOf(HamsaAuthenticationError);
      expect(error).toMatchObject({ requestId: '[redacted]' });
      expectQuoted(error, echo);
      errors.push(error);
    }

    expect(upstream!.requests).toHaveLength(echoes.length);
    expectNoLeak(everyForm(app, errors));
  });

  it('keeps the key out of a preload error however the upstream fails (statuses, logs)', async () => {
    const voiceId = fakeVoiceId(1);
    const { app } = await start(
      () => ({ status: 401, headers: { 'x-request-id': key }, body: `bad Token ${key}` }),
      [voiceId],
    );
    const failure = await rejectionOf(app.readiness.whenReady(voiceId));
    const error = await rejectionOf(app.readiness.preload(fakeVoiceId(2)));

    expect((failure as Error).cause).toMatchObject({ status: 401, requestId: '[redacted]' });
    expectNoLeak(everyForm(app, [failure, error]));
  });
});
