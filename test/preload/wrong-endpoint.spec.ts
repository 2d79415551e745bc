import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import {
  HamsaEndpointNotFoundError,
  HamsaPreloadError,
  HamsaVoiceNotFoundError,
} from '../../lib/index.js';
import { HAMSA_ENDPOINTS } from '../../lib/gateway/hamsa-endpoints.js';
import { FakeHamsaServer, fakeVoiceId } from '../../lib/testing/index.js';
import { compileHamsaApp, fakeOptions } from '../support/hamsa-app.js';
import { failOnUnhandledRejections, rejectionOf } from '../support/hamsa-harness.js';

const voices = [1, 2, 3, 4, 5].map(fakeVoiceId);

/** What Express answers for a route it does not have. */
function expressNotFound(req: IncomingMessage): string {
  return (
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n' +
    `</head>\n<body>\n<pre>Cannot ${req.method} ${req.url}</pre>\n</body>\n</html>\n`
  );
}

/**
 * Some other application on `baseUrl` (not Hamsa): answers every request with Express' 404 page,
 * after 100 ms so that the preloads started together are all in flight by then.
 */
async function startOtherApp(): Promise<{ url: string; paths: string[]; server: Server }> {
  const paths: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on('end', () => {
      paths.push(req.url ?? '');
      setTimeout(() => {
        res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
        res.end(expressNotFound(req));
      }, 100);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, paths, server };
}

describe('a baseUrl that points at another server (404 not from Hamsa)', () => {
  const closers: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });
  failOnUnhandledRejections('each');

  async function start(failOnError: boolean) {
    const other = await startOtherApp();
    closers.push(() => new Promise((resolve) => other.server.close(resolve)));
    // The fake only lends its key; the app talks to the other server.
    const fake = await FakeHamsaServer.start();
    closers.push(() => fake.close());
    const app = await compileHamsaApp(
      fakeOptions(fake, { baseUrl: other.url, voiceIds: voices, failOnError }),
    );
    closers.push(() => app.moduleRef.close().catch(() => undefined));
    return { other, app };
  }

  it('fails every voice with one HamsaEndpointNotFoundError naming the URL and baseUrl, logged once, the queued voice never sent', async () => {
    const { other, app } = await start(false);

    await app.moduleRef.init();

    const preloadUrl = `${other.url}${HAMSA_ENDPOINTS.preload}`;
    // concurrency 4: the 5th voice waited for a place, and was stopped before sending.
    expect(other.paths).toEqual(Array(4).fill(HAMSA_ENDPOINTS.preload));
    const failures = voices.map((voiceId) => app.readiness.getStatus(voiceId)?.error);
    for (const failure of failures) {
      expect(failure).toMatchObject({ name: 'HamsaEndpointNotFoundError', status: 404 });
    }
    expect(app.logger.messages('error')).toEqual([
      `${preloadUrl} answered 404 with an HTML page "Error Cannot POST ${HAMSA_ENDPOINTS.preload}", ` +
        "not Hamsa's JSON: no Hamsa API there, check baseUrl (Hamsa's is https://api.tryhamsa.com); " +
        'the preloads in flight were stopped',
    ]);
  });

  it('rejects a blocking bootstrap with HamsaPreloadError whose one line covers every voice', async () => {
    const { app } = await start(true);

    const error = await rejectionOf(app.moduleRef.init());

    expect(error).toBeInstanceOf(HamsaPreloadError);
    const { failures, message } = error as HamsaPreloadError;
    expect(failures).toHaveLength(5);
    for (const { error: cause } of failures) {
      expect(cause).toBeInstanceOf(HamsaEndpointNotFoundError);
      expect(cause).not.toBeInstanceOf(HamsaVoiceNotFoundError);
      expect(cause.retryable).toBe(false);
      expect(cause).toBe(failures[0].error);
    }
    expect(message).toContain(`${voices.join(', ')}: HamsaEndpointNotFoundError`);
    expect(message).toContain('check baseUrl');
  });
});
