// `npm run say -- "مرحبا بك" --voice <id> --out hello.wav`: speaks a text into a WAV file.
// Runs the sample's AppModule as a standalone context: with HAMSA_API_KEY it calls Hamsa,
// without it the embedded fake server (the file then holds a test tone).
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { NestFactory } from '@nestjs/core';
import { HamsaTtsService, type HamsaTtsDialect } from '../lib/index.js';
import { AppModule } from './app.module.js';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    voice: { type: 'string', default: 'Amjad' },
    out: { type: 'string', default: 'out.wav' },
    dialect: { type: 'string' },
  },
});
const text = positionals.join(' ');
if (!text) {
  console.error(
    'usage: npm run say -- "<text>" [--voice <id or name>] [--out <file.wav>] [--dialect <code>]',
  );
  process.exit(2);
}

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
