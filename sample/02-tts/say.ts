// `npm run say -- "مرحبا بك" --voice <id> --out hello.wav`: speaks a text into a WAV file.
// Runs the sample's AppModule as a standalone context: with HAMSA_API_KEY it calls Hamsa,
// without it the embedded fake server (the file then holds a test tone).
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { type HamsaTtsDialect } from 'nestjs-hamsa';

const USAGE = `usage: npm run say -- "<text>" [--voice <id or name>] [--out <file.wav>] [--dialect <code>]

  --voice, -v    a cloned-voice UUID or a built-in speaker name (default: Amjad)
  --out, -o      the WAV file to write (default: out.wav)
  --dialect, -d  a Hamsa dialect code such as egy or ksa (default: Hamsa's choice)
  --help, -h     print this help

Without HAMSA_API_KEY it speaks through the sample's embedded fake Hamsa (a test tone).`;

/** Exits 2 with a one-line reason and the usage: a mistake on the command line, not a failure. */
function usageError(reason: string): never {
  console.error(`say: ${reason}\n\n${USAGE}`);
  process.exit(2);
}

/** The command line, or exit: 0 after `--help`, 2 (with the usage) when it cannot be read. */
function commandLine() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        voice: { type: 'string', short: 'v', default: 'Amjad' },
        out: { type: 'string', short: 'o', default: 'out.wav' },
        dialect: { type: 'string', short: 'd' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    // parseArgs' own errors (unknown option, missing value) carry codes ERR_PARSE_ARGS_*.
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')) {
      usageError((error as Error).message.split('\n')[0]!);
    }
    throw error;
  }
}

const { positionals, values } = commandLine();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const text = positionals.join(' ');
if (!text.trim()) usageError('no text to speak');

// Loaded once the command line is read: `--help` and mistakes answer at once.
const [{ NestFactory }, { HamsaTtsService }, { AppModule }] = await Promise.all([
  import('@nestjs/core'),
  import('nestjs-hamsa'),
  import('./app.module.js'),
]);
const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error', 'warn'] });
try {
  const wav = await app.get(HamsaTtsService).synthesize({
    text,
    speaker: values.voice,
    dialect: values.dialect as HamsaTtsDialect | undefined,
  });
  await writeFile(values.out, wav);
  console.log(`wrote ${values.out} (${wav.length} bytes)`);
} catch (error) {
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
  process.exitCode = 1;
} finally {
  await app.close();
}
