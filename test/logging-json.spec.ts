import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { ConsoleLogger, type DynamicModule, type INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { LoggerModule, Logger as PinoLogger } from 'nestjs-pino';
import { HamsaVoiceModule } from '../lib/index.js';
import { FakeHamsaServer, fakeVoiceId } from '../lib/testing/index.js';
import { fakeOptions } from './support/hamsa-app.js';
import { type JsonLine, JsonLines } from './support/json-lines.js';

const voice = fakeVoiceId(1);
const apiKey = 'sk-hamsa-never-in-a-log-line';

/** How a logger writes a line's level, message and context into its JSON. */
interface JsonFormat {
  level: { log: unknown; warn: unknown };
  message: string;
}

/**
 * The module's lines in structured form: the app's JSON logger, not the module, does the
 * formatting, so that any logger set with `useLogger()` (or `logger:`) gets them.
 */
describe('structured (JSON) logs', () => {
  let server: FakeHamsaServer;
  let app: INestApplication | undefined;

  beforeEach(async () => {
    server = await FakeHamsaServer.start({ apiKey });
    // One voice that needs a retry; the 503's body echoes the key, which no line may carry.
    server.script(voice, { status: 503, body: `overloaded, Token ${apiKey}` }, { status: 200 });
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await server.close();
  });

  /** `HamsaVoiceModule` with one voice, retried after 5 ms, beside `imports`. */
  function appModule(imports: DynamicModule[] = []): new () => unknown {
    @Module({
      imports: [
        ...imports,
        HamsaVoiceModule.forRoot(fakeOptions(server, { voiceIds: [voice], retryDelayMs: 5 })),
      ],
    })
    class JsonLogsAppModule {}
    return JsonLogsAppModule;
  }

  /** The module's lines (context `HamsaVoice`) hold what they should, and never the key. */
  function expectModuleLines(output: JsonLines, format: JsonFormat): void {
    const lines = output.lines.filter((line: JsonLine) => line.context === 'HamsaVoice');
    const at = (level: unknown) =>
      lines.filter((line) => line.level === level).map((line) => line[format.message]);
    expect(at(format.level.log)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(`^voice ${voice} ready in \\d+ ms \\(2 attempt`),
        expect.stringMatching(/^preloaded 1\/1 voices in \d+ ms$/),
      ]),
    );
    expect(at(format.level.warn)).toEqual([
      expect.stringMatching(
        `^voice ${voice}: attempt 1 failed \\(HamsaServerError: .*503.*retrying in \\d+ ms$`,
      ),
    ]);
    expect(output.raw.filter((line) => line.includes(apiKey))).toEqual([]);
  }

  it('through nestjs-pino: JSON lines with context HamsaVoice, pino levels 30 and 40', async () => {
    const output = new JsonLines();
    const pino = LoggerModule.forRoot({ pinoHttp: { stream: output.writable(), level: 'debug' } });
    app = await NestFactory.create(appModule([pino]), { bufferLogs: true });
    app.useLogger(app.get(PinoLogger));
    // NestJS 11 holds buffered lines until listen() (12 flushes them at the end of init() too).
    await app.listen(0, '127.0.0.1');

    expectModuleLines(output, { level: { log: 30, warn: 40 }, message: 'msg' });
  });

  it("through Nest's own ConsoleLogger with json: true, written to stdout", async () => {
    const output = new JsonLines();
    await output.fromStdio(async () => {
      app = await NestFactory.create(appModule(), { logger: new ConsoleLogger({ json: true }) });
      await app.init();
    });

    expectModuleLines(output, { level: { log: 'log', warn: 'warn' }, message: 'message' });
  });
});
