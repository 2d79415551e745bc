import { describe, expect, it } from '@jest/globals';
import { FakeCliUsageError, parseFakeCliArgs } from '../../lib/bin/fake-cli-args.js';
import { fakeVoiceId } from '../../lib/testing/index.js';

describe('parseFakeCliArgs', () => {
  it('defaults to port 4010, three fake voices and the documented key', () => {
    expect(parseFakeCliArgs([])).toStrictEqual({
      help: false,
      port: 4010,
      voiceIds: [fakeVoiceId(1), fakeVoiceId(2), fakeVoiceId(3)],
      apiKey: 'test-api-key',
      // Left to the fake's own defaults.
      emptyAnswerRate: undefined,
      latencyMs: undefined,
      coldStartMs: undefined,
      newConnectionDelayMs: undefined,
      maxBodyBytes: undefined,
    });
  });

  it('reads the latency, cold start, new-connection delay and body limit', () => {
    expect(
      parseFakeCliArgs([
        '--latency',
        '250',
        '--cold-start=0',
        '--new-connection-delay',
        '1000',
        '--max-body-bytes',
        '2048',
      ]),
    ).toMatchObject({
      latencyMs: 250,
      coldStartMs: 0,
      newConnectionDelayMs: 1000,
      maxBodyBytes: 2048,
    });
  });

  it('reads every option, in either --name value or --name=value form', () => {
    const voices = ` ${fakeVoiceId(7)},,${fakeVoiceId(8).toUpperCase()} `;
    const argv = ['--port=0', '--voices', voices, '--api-key', 'k', '--empty-rate', '0.5', '-h'];
    expect(parseFakeCliArgs(argv)).toEqual({
      help: true,
      port: 0,
      voiceIds: [fakeVoiceId(7), fakeVoiceId(8).toUpperCase()],
      apiKey: 'k',
      emptyAnswerRate: 0.5,
    });
  });

  it.each([
    [['--port', '65536'], /^--port takes an integer from 0 to 65535, got '65536'$/],
    [['--port', '-1'], /^Option '--port' argument is ambiguous\.$/],
    [['--port', '1.5'], /^--port takes an integer .* got '1\.5'$/],
    [['--port'], /^Option '--port <value>' argument missing$/],
    [['--voices', ','], /^--voices takes comma-separated cloned-voice UUIDs .* got ','$/],
    [['--voices', `${fakeVoiceId(1)},Layan`], /^--voices takes .* got 'Layan'$/],
    [['--api-key', ' '], /^--api-key takes a non-empty key$/],
    [['--help=yes'], /^Option '-h, --help' does not take an argument$/],
    [
      ['--latency', '1.5'],
      /^--latency takes a delay in whole ms from 0 to 2147483647, got '1\.5'$/,
    ],
    [['--latency', '2147483648'], /^--latency takes a delay in whole ms .* got '2147483648'$/],
    [['--cold-start', 'slow'], /^--cold-start takes a delay in whole ms .* got 'slow'$/],
    [['--new-connection-delay', '1e3'], /^--new-connection-delay takes a delay .* got '1e3'$/],
    [['--new-connection-delay'], /^Option '--new-connection-delay <value>' argument missing$/],
    [
      ['--max-body-bytes', '0'],
      /^--max-body-bytes takes a whole number of bytes, 1 or more, got '0'$/,
    ],
    [['--max-body-bytes', '1MB'], /^--max-body-bytes takes .* got '1MB'$/],
  ])('refuses %p with a FakeCliUsageError naming the option', (argv, message) => {
    expect(() => parseFakeCliArgs(argv)).toThrow(FakeCliUsageError);
    expect(() => parseFakeCliArgs(argv)).toThrow(message);
  });
});
