import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { HamsaVoiceModule } from '../../lib/index.js';

/**
 * An application as `nest new` makes it, with `HamsaVoiceModule` blocking its startup until the
 * voices are preloaded (`waitForReady`). Run by sigterm-startup.spec.ts as a process of its own:
 * the environment names the fake Hamsa and the port; `USE_PROCESS_EXIT=1` passes
 * `{ useProcessExit: true }` to `enableShutdownHooks()`.
 */
@Module({
  imports: [
    HamsaVoiceModule.forRoot({
      apiKey: process.env.HAMSA_API_KEY!,
      baseUrl: process.env.HAMSA_BASE_URL,
      voiceIds: process.env.HAMSA_VOICE_IDS!.split(','),
      waitForReady: true,
      deadlineMs: 30_000,
    }),
  ],
})
class AppModule {}

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  app.enableShutdownHooks([], { useProcessExit: process.env.USE_PROCESS_EXIT === '1' });
  await app.listen(process.env.PORT ?? 3000, '127.0.0.1');
}
await bootstrap();
