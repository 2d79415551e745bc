import { describe, expect, it } from '@jest/globals';
import { fakeVoiceId } from '../../lib/testing/index.js';
import { escapeForLog } from '../../lib/voice/escape-for-log.js';
import { failOnUnhandledRejections, useHamsaHarness } from '../support/hamsa-harness.js';

describe('escapeForLog', () => {
  it.each([
    ['Amjad', 'Amjad'],
    ['a\nb', 'a\\nb'],
    ['a\r\nb', 'a\\r\\nb'],
    ['a\tb', 'a\\tb'],
    ['\u0000', '\\u0000'],
    ['\u001b[31mred', '\\u001b[31mred'],
    ['\u007f\u0085\u009f', '\\u007f\\u0085\\u009f'],
    ['a\u2028b\u2029c', 'a\\u2028b\\u2029c'],
    ['مرحبا ليان', 'مرحبا ليان'],
  ])('writes %j as %j', (value, expected) => {
    expect(escapeForLog(value)).toBe(expected);
  });

  it('cuts a very long value, saying how long it was', () => {
    const escaped = escapeForLog('x'.repeat(90_000));

    expect(escaped).toBe(`${'x'.repeat(500)}… (90000 characters)`);
  });
});

describe('log lines from values Hamsa sent', () => {
  const harness = useHamsaHarness();
  failOnUnhandledRejections('each');

  it('escapes a server message, so that it cannot forge a log line', async () => {
    const voiceId = fakeVoiceId(1);
    const server = await harness.server();
    const forged = 'bad\n[Nest] 1  - ERROR [HamsaVoice] forged line\u001b[2J';
    server.script(voiceId, { status: 400, body: { success: false, message: forged } });

    const app = await harness.start(server, { voiceIds: [voiceId], failOnError: false });

    const lines = app.logger.lines.map((line) => line.message);
    expect(lines.filter((line) => line.includes('\n') || line.includes('\u001b'))).toEqual([]);
    expect(app.logger.messages('error')).toEqual([
      `voice ${voiceId} failed to preload: HamsaBadRequestError: Hamsa answered 400 for voice ` +
        `${voiceId}: bad\\n[Nest] 1  - ERROR [HamsaVoice] forged line\\u001b[2J`,
    ]);
  });
});
