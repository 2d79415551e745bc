import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';

const app = await NestFactory.create(AppModule);
// On SIGTERM: readiness turns 503, the server keeps answering for SHUTDOWN_DELAY_MS, then it
// closes, the preloads stop, the embedded fake server closes and the process exits with code 0.
// useProcessExit makes that 0: without it Nest sends the signal again once the hooks have run,
// and the process dies of it (exit status 143 for SIGTERM, 130 for Ctrl-C).
app.enableShutdownHooks([], { useProcessExit: true });
await app.listen(process.env.PORT ?? 3000);
new Logger('Sample').log(
  `Listening on ${await app.getUrl()}: open it in a browser (also GET /voices, /health/ready, /metrics)`,
);
