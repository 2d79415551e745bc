import { FakeHamsaServer } from '../testing/fake-hamsa-server.js';
import { FAKE_CLI_USAGE, FakeCliUsageError, parseFakeCliArgs } from './fake-cli-args.js';

/** Where `runFakeCli` writes: the process's streams, or a test's. */
export interface FakeCliOutput {
  out(line: string): void;
  err(line: string): void;
}

const PROCESS_OUTPUT: FakeCliOutput = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/**
 * Runs `nestjs-hamsa-fake`: starts `FakeHamsaServer`, prints how to point an app at it, and on
 * SIGINT or SIGTERM closes it. Resolves with the exit code: 0 (help, or stopped by a signal),
 * 1 (could not start), 2 (bad command line). Never rejects, so the user sees no stack trace.
 */
export async function runFakeCli(
  argv: string[],
  output: FakeCliOutput = PROCESS_OUTPUT,
): Promise<number> {
  try {
    const { help, ...serverOptions } = parseFakeCliArgs(argv);
    if (help) {
      output.out(FAKE_CLI_USAGE);
      return 0;
    }
    const { port, voiceIds } = serverOptions;
    // Listening before the server starts: a signal during start-up then stops it as well.
    const stopped = untilStopped();
    const server = await FakeHamsaServer.start(serverOptions).catch((error: unknown) => {
      throw new Error(startFailure(error, port));
    });
    output.out(banner(server, voiceIds));
    const signal = await stopped;
    await server.close();
    output.out(`${signal}: fake Hamsa server closed`);
    return 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    output.err(`nestjs-hamsa-fake: ${message}`);
    if (!(error instanceof FakeCliUsageError)) return 1;
    output.err(FAKE_CLI_USAGE);
    return 2;
  }
}

/** Resolves with the first SIGINT or SIGTERM; a second one then ends the process as usual. */
function untilStopped(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', stop).off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop).on('SIGTERM', stop);
  });
}

function banner(server: FakeHamsaServer, voiceIds: string[]): string {
  return [
    `Fake Hamsa server listening on ${server.url}`,
    `API key: ${server.apiKey}`,
    `Voices:  ${voiceIds.join(', ')}`,
    '',
    'Point an app at it, e.g.:',
    `  HAMSA_BASE_URL=${server.url} HAMSA_API_KEY=${server.apiKey} ` +
      `HAMSA_VOICE_IDS=${voiceIds.join(',')} node dist/main.js`,
    '',
    'Ctrl-C or SIGTERM stops it.',
  ].join('\n');
}

function startFailure(error: unknown, port: number): string {
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    return `port ${port} is already in use on 127.0.0.1; choose another with --port (0: any free port)`;
  }
  return `could not start: ${error instanceof Error ? error.message : String(error)}`;
}
