import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Injectable, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Test, type TestingModule } from '@nestjs/testing';
import {
  HamsaOptionsError,
  HamsaVoiceModule,
  type HamsaVoiceModuleOptions,
  VoiceReadinessService,
} from '../lib/index.js';
import { FakeHamsaServer, fakeVoiceId } from '../lib/testing/index.js';
import { closeAll, fakeOptions } from './support/hamsa-app.js';

const voiceIds = [fakeVoiceId(1), fakeVoiceId(2)];

describe('HamsaVoiceModule', () => {
  let server: FakeHamsaServer;
  let moduleRef: TestingModule | undefined;

  beforeEach(async () => {
    server = await FakeHamsaServer.start();
  });
  afterEach(async () => {
    await closeAll(moduleRef);
    moduleRef = undefined;
    await server.close();
  });

  async function start(imports: Parameters<typeof Test.createTestingModule>[0]['imports']) {
    moduleRef = await Test.createTestingModule({ imports }).setLogger(silent).compile();
    await moduleRef.init();
    return moduleRef.get(VoiceReadinessService);
  }

  it('forRoot sends nothing at compile() and preloads every voice at init()', async () => {
    moduleRef = await Test.createTestingModule({
      imports: [HamsaVoiceModule.forRoot(fakeOptions(server, { voiceIds }))],
    })
      .setLogger(silent)
      .compile();
    expect(server.requests).toHaveLength(0);

    await moduleRef.init();

    expect(moduleRef.get(VoiceReadinessService).isAllReady()).toBe(true);
    expect(server.requests.map((request) => request.voiceId).sort()).toEqual(voiceIds);
  });

  it('sends POST /v2/tts/voices/custom/preload with the Token header and a JSON voiceId', async () => {
    await start([HamsaVoiceModule.forRoot(fakeOptions(server, { voiceIds: [voiceIds[0]] }))]);

    const [request] = server.requests;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/v2/tts/voices/custom/preload');
    expect(request.headers.authorization).toBe(`Token ${server.apiKey}`);
    expect(request.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(request.body)).toEqual({ voiceId: voiceIds[0] });
  });

  it('collapses duplicate voice IDs into one preload', async () => {
    const readiness = await start([
      HamsaVoiceModule.forRoot(fakeOptions(server, { voiceIds: [voiceIds[0], voiceIds[0]] })),
    ]);

    expect(server.requests).toHaveLength(1);
    expect(readiness.getAllStatuses()).toHaveLength(1);
  });

  it('forRootAsync takes its options from ConfigService through useFactory', async () => {
    const config = { HAMSA_API_KEY: server.apiKey, HAMSA_BASE_URL: server.url };
    const readiness = await start([
      HamsaVoiceModule.forRootAsync({
        imports: [ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => config] })],
        inject: [ConfigService],
        useFactory: (configService: ConfigService) => ({
          apiKey: configService.getOrThrow<string>('HAMSA_API_KEY'),
          baseUrl: configService.getOrThrow<string>('HAMSA_BASE_URL'),
          voiceIds,
        }),
      }),
    ]);

    expect(readiness.isAllReady()).toBe(true);
    expect(server.requests).toHaveLength(2);
  });

  it('forRootAsync with useClass calls createHamsaVoiceOptions()', async () => {
    const options = fakeOptions(server, { voiceIds });
    @Injectable()
    class HamsaOptionsFactory {
      createHamsaVoiceOptions(): HamsaVoiceModuleOptions {
        return options;
      }
    }
    const readiness = await start([
      HamsaVoiceModule.forRootAsync({ useClass: HamsaOptionsFactory }),
    ]);

    expect(readiness.isAllReady()).toBe(true);
  });

  it('forRootAsync with useExisting reuses a provider of another module', async () => {
    const options = fakeOptions(server, { voiceIds });
    @Injectable()
    class SharedOptions {
      createHamsaVoiceOptions = () => options;
    }
    @Module({ providers: [SharedOptions], exports: [SharedOptions] })
    class OptionsModule {}

    const readiness = await start([
      HamsaVoiceModule.forRootAsync({ imports: [OptionsModule], useExisting: SharedOptions }),
    ]);

    expect(readiness.isAllReady()).toBe(true);
  });

  describe('isGlobal', () => {
    @Injectable()
    class Speaker {
      constructor(readonly readiness: VoiceReadinessService) {}
    }
    @Module({ providers: [Speaker] })
    class FeatureModule {}

    it('makes VoiceReadinessService injectable in modules that do not import it', async () => {
      await start([
        HamsaVoiceModule.forRoot({ ...fakeOptions(server, { voiceIds }), isGlobal: true }),
        FeatureModule,
      ]);

      expect(moduleRef?.get(Speaker).readiness.isAllReady()).toBe(true);
    });

    it('is off by default, so other modules must import HamsaVoiceModule', async () => {
      await expect(
        Test.createTestingModule({
          imports: [HamsaVoiceModule.forRoot(fakeOptions(server, { voiceIds })), FeatureModule],
        })
          .setLogger(silent)
          .compile(),
      ).rejects.toThrow(/can't resolve dependencies of the Speaker/);
    });
  });

  it('forRoot rejects invalid options at once, before any module is built', () => {
    expect(() => HamsaVoiceModule.forRoot({ apiKey: '', voiceIds: ['Amjad'] })).toThrow(
      HamsaOptionsError,
    );
    expect(server.requests).toHaveLength(0);
  });

  it('forRootAsync rejects invalid options when the factory resolves', async () => {
    const compiling = Test.createTestingModule({
      imports: [
        HamsaVoiceModule.forRootAsync({
          useFactory: async () => ({ apiKey: server.apiKey, voiceIds, concurrency: 0 }),
        }),
      ],
    })
      .setLogger(silent)
      .compile();

    await expect(compiling).rejects.toThrow(/concurrency must be an integer from 1 to 64/);
    expect(server.requests).toHaveLength(0);
  });
});

const silent = { log() {}, error() {}, warn() {} };
