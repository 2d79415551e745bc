import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { FakeHamsaServer, fakeVoiceId } from '../lib/testing/index.js';
import { compileHamsaApp, fakeOptions, type HamsaTestApp } from './support/hamsa-app.js';

const [ready, flaky, missing] = [fakeVoiceId(1), fakeVoiceId(2), fakeVoiceId(3)];

describe('logging (context HamsaVoice)', () => {
  let server: FakeHamsaServer;
  let app: HamsaTestApp;

  beforeEach(async () => {
    server = await FakeHamsaServer.start();
    server.script(flaky, { status: 503 }).script(missing, { status: 404 });
    app = await compileHamsaApp(
      fakeOptions(server, { voiceIds: [ready, flaky, missing], failOnError: false }),
    );
    await app.moduleRef.init();
  });
  afterEach(async () => {
    await app.moduleRef.close();
    await server.close();
  });

  it('logs each ready voice with its duration and attempts', () => {
    const lines = app.logger.messages('log');

    expect(lines).toContainEqual(
      expect.stringMatching(`voice ${ready} ready in \\d+ ms \\(1 attempt`),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(`voice ${flaky} ready in \\d+ ms \\(2 attempt`),
    );
  });

  it('warns once per retry, naming the reason and the wait', () => {
    expect(app.logger.messages('warn')).toContainEqual(
      expect.stringMatching(
        `voice ${flaky}: attempt 1 failed \\(HamsaServerError: .*503.*retrying in \\d+ ms`,
      ),
    );
  });

  it('logs one error per failed voice', () => {
    expect(app.logger.messages('error')).toEqual([
      expect.stringContaining(`voice ${missing} failed to preload: HamsaVoiceNotFoundError`),
    ]);
  });

  it('ends with a summary', () => {
    expect(app.logger.messages('warn')).toContainEqual(
      expect.stringMatching(/^preloaded 2\/3 voices in \d+ ms$/),
    );
  });
});
