import { describe, expect, it } from '@jest/globals';
import { FakeCliUsageError, parseFakeCliArgs } from '../../lib/bin/fake-cli-args.js';
import { fakeVoiceId } from '../../lib/testing/index.js';

describe('parseFakeCliArgs', () => {
  it('defaults to port 4010, three fake voices and the documented key', () => {
    expect(parseFakeCliArgs([])).toEqual({
      help: false,
      port: 4010,
      voiceIds: [fakeVoiceId(1), fakeVoiceId(2), fakeVoiceId(3)],
      apiKey: 'test-api-key',
      emptyAnswerRate: 0,
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
  ])('refuses %p with a FakeCliUsageError naming the option', (argv, message) => {
    expect(() => parseFakeCliArgs(argv)).toThrow(FakeCliUsageError);
    expect(() => parseFakeCliArgs(argv)).toThrow(message);
  });
});
