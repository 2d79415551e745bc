import 'reflect-metadata';
import { type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AgentModule } from './agent.module.js';
import { connectHamsa, USE_EMBEDDED_FAKE_HAMSA } from './hamsa-connection.js';

/** Starts the sample on `port` (0: any free one); closing the app also stops the embedded fake. */
export async function startAgentSample(port: number): Promise<INestApplication> {
  const hamsa = await connectHamsa();
  const app = await NestFactory.create(AgentModule.forRoot(hamsa), { logger: ['error', 'warn'] });
  await app.listen(port, '127.0.0.1');
  return app;
}

if (process.argv[1]?.endsWith('dist-sample-agent/main.js')) {
  const app = await startAgentSample(Number(process.env.PORT ?? 3006));
  app.enableShutdownHooks();
  const hamsa = USE_EMBEDDED_FAKE_HAMSA ? 'an embedded fake Hamsa (HAMSA_API_KEY unset)' : 'Hamsa';
  console.log(`Voice agent sample on ${await app.getUrl()}/agent, speaking through ${hamsa}`);
}
