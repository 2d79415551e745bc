import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';

const app = await NestFactory.create(AppModule);
// On SIGTERM/SIGINT: stop the preloads, close the embedded fake server, then exit with code 0.
app.enableShutdownHooks([], { useProcessExit: true });
await app.listen(process.env.PORT ?? 3000);
new Logger('Sample').log(`Listening on ${await app.getUrl()} (try GET /voices)`);
