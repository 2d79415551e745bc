import { afterEach, describe, expect, it } from '@jest/globals';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Test, type TestingModule } from '@nestjs/testing';
import {
  HamsaVoiceModule,
  type HamsaVoiceModuleOptions,
  VoiceReadinessService,
} from '../../lib/index.js';
import { FakeHamsaServer, fakeVoiceId } from '../../lib/testing/index.js';

/** An app's own options factory, as docs/testing.md's example shares it with the app. */
function hamsaOptions(config: ConfigService): HamsaVoiceModuleOptions {
  return {
    apiKey: config.getOrThrow<string>('HAMSA_API_KEY'),
    baseUrl: config.get<string>('HAMSA_BASE_URL'),
    voiceIds: config.getOrThrow<string>('HAMSA_VOICE_IDS'),
  };
}

// docs/testing.md's "forRootAsync + ConfigService" example, run as written there.
describe('testing a forRootAsync + ConfigService app against FakeHamsaServer', () => {
  let hamsa: FakeHamsaServer | undefined;
  let moduleRef: TestingModule | undefined;

  afterEach(async () => {
    await moduleRef?.close();
    await hamsa?.close();
    moduleRef = hamsa = undefined;
  });

  it('feeds the fake URL and key to ConfigService, never the process environment', async () => {
    hamsa = await FakeHamsaServer.start({ voiceIds: [fakeVoiceId(1), fakeVoiceId(2)] });
    // What a developer's shell or CI may have set: `load` wins over it.
    const env = { HAMSA_API_KEY: 'from-env', HAMSA_BASE_URL: 'http://127.0.0.1:9' };
    const saved = Object.keys(env).map((name) => [name, process.env[name]] as const);
    Object.assign(process.env, env);
    try {
      moduleRef = await Test.createTestingModule({
        imports: [
          ConfigModule.forRoot({
            isGlobal: true,
            ignoreEnvFile: true,
            load: [
              () => ({
                HAMSA_API_KEY: hamsa!.apiKey,
                HAMSA_BASE_URL: hamsa!.url,
                HAMSA_VOICE_IDS: `${fakeVoiceId(1)},${fakeVoiceId(2)}`,
              }),
            ],
          }),
          HamsaVoiceModule.forRootAsync({ inject: [ConfigService], useFactory: hamsaOptions }),
        ],
      }).compile();
      await moduleRef.init();
    } finally {
      for (const [name, value] of saved) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }

    expect(moduleRef.get(VoiceReadinessService).isAllReady()).toBe(true);
    expect(hamsa.requests.map((request) => request.voiceId).sort()).toEqual([
      fakeVoiceId(1),
      fakeVoiceId(2),
    ]);
  });
});
