// A NestJS 12 ESM app's test under vitest: import the package by name, preload one voice against
// the fake server, and read its readiness.
import { Test, type TestingModule } from '@nestjs/testing';
import { HamsaVoiceModule, VoiceReadinessService } from 'nestjs-hamsa';
import { FakeHamsaServer, fakeVoiceId } from 'nestjs-hamsa/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe('nestjs-hamsa under vitest', () => {
  let server: FakeHamsaServer;
  let moduleRef: TestingModule;
  const voiceId = fakeVoiceId(1);

  beforeAll(async () => {
    server = await FakeHamsaServer.start();
    moduleRef = await Test.createTestingModule({
      imports: [
        HamsaVoiceModule.forRoot({
          apiKey: server.apiKey,
          baseUrl: server.url,
          voiceIds: [voiceId],
        }),
      ],
    }).compile();
    await moduleRef.init();
  });

  afterAll(async () => {
    await moduleRef?.close();
    await server?.close();
  });

  // vitest leaves node_modules to Node's own import, so the package's frames name the ESM build.
  it('runs the ESM build', () => {
    let stack = '';
    try {
      HamsaVoiceModule.forRoot({ apiKey: '', voiceIds: [] });
    } catch (error) {
      stack = (error as Error).stack ?? '';
    }
    expect(stack).toMatch(/nestjs-hamsa\/dist\/esm\//);
    expect(stack).not.toMatch(/nestjs-hamsa\/dist\/cjs\//);
  });

  it('preloads the voice once and reports it ready', () => {
    expect(moduleRef.get(VoiceReadinessService).isReady(voiceId)).toBe(true);
    expect(server.requests).toHaveLength(1);
  });
});
