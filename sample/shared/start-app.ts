import { Logger, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type NestExpressApplication } from '@nestjs/platform-express';
import { hardenHttp } from './harden-http.js';

/**
 * Starts a sample's `AppModule` as every sample's `main.ts` does: `hardenHttp()`'s body parser and
 * headers, shutdown hooks, `listen()` on `PORT` (default 3000), then one line naming its routes.
 */
export async function startApp(module: Type, routes: string): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(module, { bodyParser: false });
  hardenHttp(app);
  // On SIGTERM or Ctrl-C the shutdown hooks run, then the process exits 0. Without
  // useProcessExit, Nest sends the signal again once the hooks have run and the process dies of
  // it (exit status 143 for SIGTERM, 130 for Ctrl-C).
  app.enableShutdownHooks([], { useProcessExit: true });
  await app.listen(process.env.PORT ?? 3000);
  new Logger('Sample').log(`Listening on ${await app.getUrl()}: ${routes}`);
  return app;
}
