// The check a NestJS 11 user runs with `nest new`'s own jest setup (ts-jest, CommonJS): import the
// package by name, preload one voice against the fake server, and read its readiness.
import { Test, TestingModule } from '@nestjs/testing';
import { HamsaVoiceModule, VoiceReadinessService } from 'nestjs-hamsa';
import { FakeHamsaServer, fakeVoiceId } from 'nestjs-hamsa/testing';

describe('nestjs-hamsa in a NestJS 11 CommonJS app', () => {
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
    // compile() runs no lifecycle hooks; init() runs the preload.
    await moduleRef.init();
  });

  afterAll(async () => {
    await moduleRef?.close();
    await server?.close();
  });

  it('resolves the CommonJS build', () => {
    expect(require.resolve('nestjs-hamsa')).toMatch(/[\\/]dist[\\/]cjs[\\/]index\.js$/);
  });

  it('preloads the voice once and reports it ready', async () => {
    const readiness = moduleRef.get(VoiceReadinessService);
    expect(readiness.isReady(voiceId)).toBe(true);
    await expect(readiness.whenReady(voiceId)).resolves.toBeUndefined();
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0].voiceId).toBe(voiceId);
  });
});
