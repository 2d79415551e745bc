import { parseArgs } from 'node:util';
import { type FakeHamsaServerOptions } from '../testing/fake-hamsa-server.interfaces.js';
import { DEFAULT_MAX_BODY_BYTES } from '../testing/fake-request-body.js';
import { fakeVoiceId } from '../testing/fake-voice-id.js';
import { isUuid } from '../voice/voice-id.js';

/** Port of `nestjs-hamsa-fake` without `--port`. */
export const FAKE_CLI_DEFAULT_PORT = 4010;
/** API key of `nestjs-hamsa-fake` without `--api-key`: fixed, so a `.env` file can hold it. */
export const FAKE_CLI_DEFAULT_API_KEY = 'test-api-key';

/** Largest delay the ms flags take: what `setTimeout` can wait (about 24.8 days). */
const MAX_DELAY_MS = 2_147_483_647;

/**
 * What `nestjs-hamsa-fake` was asked to run. The optional settings are left out when their flag
 * is, so that the fake's own defaults apply.
 */
export interface FakeCliOptions extends Pick<
  FakeHamsaServerOptions,
  'latencyMs' | 'coldStartMs' | 'newConnectionDelayMs' | 'maxBodyBytes' | 'emptyAnswerRate'
> {
  /** `--help`: print the usage and exit. */
  help: boolean;
  /** 127.0.0.1 port; 0 picks a free one. */
  port: number;
  /** Cloned voices that exist on the fake. */
  voiceIds: string[];
  /** Key the fake accepts. */
  apiKey: string;
}

/** A command line that `nestjs-hamsa-fake` cannot run: exit code 2, the message and the usage. */
export class FakeCliUsageError extends Error {
  override readonly name = 'FakeCliUsageError';
}

/** Printed by `--help` and after a usage error. */
export const FAKE_CLI_USAGE = `Usage: nestjs-hamsa-fake [--port ${FAKE_CLI_DEFAULT_PORT}] [--voices id,id] [--api-key key] [options]

Runs the fake Hamsa server of nestjs-hamsa/testing on 127.0.0.1 until Ctrl-C or SIGTERM.

Options:
  --port <n>                    port to listen on, 0 for a free one (default ${FAKE_CLI_DEFAULT_PORT})
  --voices <ids>                comma-separated cloned-voice UUIDs that exist (default: three,
                                ${fakeVoiceId(1)} to -${fakeVoiceId(3).slice(-12)})
  --api-key <key>               key the server accepts (default ${FAKE_CLI_DEFAULT_API_KEY})
  --latency <ms>                delay before every preload answer (default 0)
  --cold-start <ms>             extra delay of the first TTS call with a voice never
                                preloaded (default 1500)
  --new-connection-delay <ms>   delay before a new WebSocket's hello (default 0)
  --max-body-bytes <n>          largest request body read; larger ones get 413
                                (default ${DEFAULT_MAX_BODY_BYTES})
  --empty-rate <r>              fraction 0-1 of TTS answers given without audio, a WAV
                                header only (0.5: the 1st, 3rd, 5th... answer; default 0)
  -h, --help                    print this help and exit`;

/**
 * Reads the arguments of `nestjs-hamsa-fake` (without `node` and the script).
 * Throws `FakeCliUsageError` naming the option and what it takes, for anything it cannot run.
 */
export function parseFakeCliArgs(argv: string[]): FakeCliOptions {
  const { values } = parseOrExplain(argv);
  return {
    help: values.help ?? false,
    port: integerOf('port', values.port, 0, 65535) ?? FAKE_CLI_DEFAULT_PORT,
    voiceIds: voicesOf(values.voices),
    apiKey: apiKeyOf(values['api-key']),
    latencyMs: delayOf('latency', values.latency),
    coldStartMs: delayOf('cold-start', values['cold-start']),
    newConnectionDelayMs: delayOf('new-connection-delay', values['new-connection-delay']),
    maxBodyBytes: integerOf(
      'max-body-bytes',
      values['max-body-bytes'],
      1,
      Number.MAX_SAFE_INTEGER,
      'a whole number of bytes, 1 or more',
    ),
    emptyAnswerRate: emptyRateOf(values['empty-rate']),
  };
}

function parseOrExplain(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        voices: { type: 'string' },
        'api-key': { type: 'string' },
        latency: { type: 'string' },
        'cold-start': { type: 'string' },
        'new-connection-delay': { type: 'string' },
        'max-body-bytes': { type: 'string' },
        'empty-rate': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    // parseArgs' messages name the option (e.g. "Unknown option '--prot'"): keep their first
    // line, without the "TypeError [ERR_PARSE_ARGS_…]: " that some Node realms put in front.
    const message = error instanceof Error ? error.message : String(error);
    throw new FakeCliUsageError(message.split('\n')[0].replace(/^\w*Error \[\w+\]: /, ''));
  }
}

/** A flag's whole number from `min` to `max`, or `undefined` when the flag is not given. */
function integerOf(
  flag: string,
  value: string | undefined,
  min: number,
  max: number,
  what = `an integer from ${min} to ${max}`,
): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < min || number > max) {
    throw new FakeCliUsageError(`--${flag} takes ${what}, got '${value}'`);
  }
  return number;
}

function delayOf(flag: string, value: string | undefined): number | undefined {
  return integerOf(flag, value, 0, MAX_DELAY_MS, `a delay in whole ms from 0 to ${MAX_DELAY_MS}`);
}

function voicesOf(value: string | undefined): string[] {
  if (value === undefined) return [1, 2, 3].map(fakeVoiceId);
  const ids = value
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  const wrong = ids.find((id) => !isUuid(id));
  if (ids.length === 0 || wrong !== undefined) {
    throw new FakeCliUsageError(
      `--voices takes comma-separated cloned-voice UUIDs (such as ${fakeVoiceId(1)}), ` +
        `got '${wrong ?? value}'`,
    );
  }
  return ids;
}

function apiKeyOf(value: string | undefined): string {
  if (value === undefined) return FAKE_CLI_DEFAULT_API_KEY;
  if (value.trim() === '') throw new FakeCliUsageError('--api-key takes a non-empty key');
  return value;
}

function emptyRateOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const rate = Number(value);
  if (value.trim() === '' || !(rate >= 0 && rate <= 1)) {
    throw new FakeCliUsageError(`--empty-rate takes a number from 0 to 1, got '${value}'`);
  }
  return rate;
}
