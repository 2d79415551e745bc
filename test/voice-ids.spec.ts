import { describe, expect, it } from '@jest/globals';
import { Controller, Get } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  HamsaOptionsError,
  HamsaTtsService,
  HamsaVoiceModule,
  type HamsaVoiceModuleOptions,
  InvalidVoiceIdError,
  RequireVoices,
  UnknownVoiceError,
  VoiceReadinessService,
  type VoiceStatus,
} from '../lib/index.js';
import { type FakeHamsaServer, fakeVoiceId } from '../lib/testing/index.js';
import { fakeOptions } from './support/hamsa-app.js';
import { rejectionOf, useHamsaHarness } from './support/hamsa-harness.js';
import { points, useOtelSdk } from './telemetry/otel-sdk.js';

/** Cloned-voice UUIDs with letters in them, so that their case matters. */
const voiceA = '48f7656f-098b-4c43-b165-7cfd2cc8ac30';
const voiceB = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
const [upperA, upperB] = [voiceA, voiceB].map((id) => id.toUpperCase());
import { HAMSA_ENDPOINTS } from '../lib/gateway/hamsa-endpoints.js';

const preloadsOf = (server: FakeHamsaServer) =>
  server.requests.filter((request) => request.path === HAMSA_ENDPOINTS.preload);

@RequireVoices(upperA)
@Controller('speech')
class SpeechController {
  @Get()
  speak() {
    return { ok: true };
  }
}

describe('voice IDs from environment variables, in any case', () => {
  const harness = useHamsaHarness();

  describe('voiceIds as one string', () => {
    it('preloads each ID of a string with commas, spaces and newlines, once', async () => {
      const server = await harness.server();
      const { readiness } = await harness.start(server, {
        voiceIds: ` ${voiceA},  ${fakeVoiceId(2)}\n${voiceB},\n`,
      });

      expect(readiness.getAllStatuses().map((status) => status.voiceId)).toEqual([
        voiceA,
        fakeVoiceId(2),
        voiceB,
      ]);
      expect(readiness.isAllReady()).toBe(true);
      expect(
        preloadsOf(server)
          .map((request) => request.voiceId)
          .sort(),
      ).toEqual([voiceA, fakeVoiceId(2), voiceB].sort());
    });

    it("starts with no voice and sends nothing for ''", async () => {
      const server = await harness.server();
      const { readiness } = await harness.start(server, { voiceIds: '' });

      expect(readiness.getAllStatuses()).toEqual([]);
      expect(readiness.isAllReady()).toBe(true);
      await readiness.whenAllReady();
      expect(server.requests).toHaveLength(0);
    });
  });

  describe('one voice in two cases', () => {
    it('preloads upper- and lower-case copies of a configured UUID once, reported in lower case', async () => {
      const server = await harness.server();
      const { readiness } = await harness.start(server, {
        voiceIds: [upperA, voiceA, voiceB, `${upperB}`],
      });

      expect(preloadsOf(server)).toHaveLength(2);
      expect(readiness.getAllStatuses()).toEqual([
        expect.objectContaining({ voiceId: voiceA, state: 'ready', source: 'configured' }),
        expect.objectContaining({ voiceId: voiceB, state: 'ready', source: 'configured' }),
      ]);
    });

    it('answers readiness queries in the other case', async () => {
      const server = await harness.server();
      const { readiness } = await harness.start(server, { voiceIds: upperA });

      expect(readiness.isReady(voiceA)).toBe(true);
      expect(readiness.isReady(upperA)).toBe(true);
      expect(readiness.getStatus(upperA)).toMatchObject({ voiceId: voiceA, state: 'ready' });
      expect(() => readiness.assertReady(upperA)).not.toThrow();
      await readiness.whenReady(upperA, { timeoutMs: 1_000 });
      await readiness.preload(upperA);
      expect(preloadsOf(server)).toHaveLength(1);

      const error = await rejectionOf(readiness.whenReady(upperB));
      expect(error).toBeInstanceOf(UnknownVoiceError);
      expect((error as UnknownVoiceError).voiceId).toBe(voiceB);
    });

    it('preload() in one case makes the voice known in the other, preloaded once', async () => {
      const server = await harness.server();
      const { readiness } = await harness.start(server);
      const changes: VoiceStatus[] = [];
      readiness.changes$.subscribe((status) => changes.push(status));

      await Promise.all([readiness.preload(upperB), readiness.preload(voiceB)]);
      await readiness.preload(upperB);

      expect(preloadsOf(server)).toHaveLength(1);
      expect(readiness.isReady(voiceB)).toBe(true);
      expect(readiness.getAllStatuses()).toEqual([
        expect.objectContaining({ voiceId: voiceB, source: 'runtime' }),
      ]);
      expect(new Set(changes.map((status) => status.voiceId))).toEqual(new Set([voiceB]));
    });

    it('uses an upper-case TTS speaker of a configured voice with no preload, sent as given', async () => {
      const server = await harness.server({ coldStartMs: 1_000 });
      const { moduleRef, readiness } = await harness.start(server, {
        voiceIds: [voiceA],
        onDemandPreload: false,
      });
      const tts = moduleRef.get(HamsaTtsService);

      await tts.synthesize({ text: 'مرحبا', speaker: upperA });
      await tts.synthesize({ text: 'مرحبا', speaker: 'Amjad' });

      expect(preloadsOf(server)).toHaveLength(1);
      expect(server.ttsCalls).toEqual([
        expect.objectContaining({ speaker: upperA, coldStartMs: 0 }),
        expect.objectContaining({ speaker: 'Amjad', coldStartMs: 0 }),
      ]);
      expect(readiness.getAllStatuses().map((status) => status.voiceId)).toEqual([voiceA]);
    });

    it('does not preload on demand a speaker that is a configured voice in the other case', async () => {
      const server = await harness.server();
      const { moduleRef, readiness } = await harness.start(server, { voiceIds: [upperA] });

      await moduleRef.get(HamsaTtsService).synthesize({ text: 'مرحبا', speaker: voiceA });

      expect(preloadsOf(server)).toHaveLength(1);
      expect(readiness.getAllStatuses()).toEqual([
        expect.objectContaining({ voiceId: voiceA, source: 'configured' }),
      ]);
    });

    it('lets @RequireVoices() in upper case through once the lower-case voice is ready', async () => {
      const server = await harness.server();
      server.setLatency(1_000);
      const moduleRef = await Test.createTestingModule({
        imports: [
          HamsaVoiceModule.forRoot(
            fakeOptions(server, { voiceIds: [voiceA], waitForReady: false }),
          ),
        ],
        controllers: [SpeechController],
      }).compile();
      const app = harness.track(moduleRef.createNestApplication({ logger: false }));
      await app.listen(0, '127.0.0.1');
      const url = `${await app.getUrl()}/speech`;
      const readiness = app.get(VoiceReadinessService);

      const early = await fetch(url);
      expect(early.status).toBe(503);
      expect(await early.json()).toMatchObject({ voices: { [voiceA]: 'loading' } });

      await readiness.whenReady(upperA, { timeoutMs: 3_000 });
      expect((await fetch(url)).status).toBe(200);
      expect(preloadsOf(server)).toHaveLength(1);
    });
  });

  describe('malformed IDs', () => {
    const options = (voiceIds: unknown) =>
      ({ apiKey: 'key', voiceIds }) as unknown as HamsaVoiceModuleOptions;
    const optionsProblem = (voiceIds: unknown) => {
      try {
        HamsaVoiceModule.forRoot(options(voiceIds));
      } catch (error) {
        expect(error).toBeInstanceOf(HamsaOptionsError);
        return (error as HamsaOptionsError).message;
      }
      throw new Error('expected forRoot() to throw');
    };

    it('says what is wrong with each, in forRoot(), and keeps the hint for names', () => {
      expect(optionsProblem([`${voiceA} ${voiceB}`])).toContain(
        `"${voiceA} ${voiceB}" contains whitespace (character 37)`,
      );
      expect(optionsProblem(`${voiceA.slice(0, 35)}`)).toContain(
        `"${voiceA.slice(0, 35)}" has 35 characters, but a UUID has 36`,
      );
      expect(optionsProblem(`${voiceA},Amjad`)).toContain(
        'built-in speakers such as "Amjad" need no preload, so leave them out of voiceIds',
      );
      for (const notName of [[`${voiceA} ${voiceB}`], voiceA.slice(0, 35)]) {
        expect(optionsProblem(notName)).not.toContain('built-in speakers');
      }
    });

    it('rejects them in preload() with InvalidVoiceIdError, sending nothing', async () => {
      const server = await harness.server();
      const { readiness } = await harness.start(server);

      const messages = await Promise.all(
        [` ${voiceA}`, `${voiceA}0`, 'Amjad', voiceA.replace('f7', 'x7')].map(async (voiceId) => {
          const error = await rejectionOf(readiness.preload(voiceId));
          expect(error).toBeInstanceOf(InvalidVoiceIdError);
          return (error as Error).message;
        }),
      );

      expect(messages).toEqual([
        `Voice ID " ${voiceA}" is not a UUID: it contains whitespace (character 1), which no voice ID has`,
        `Voice ID "${voiceA}0" is not a UUID: it has 37 characters, but a UUID has 36: ` +
          'a UUID is 8-4-4-4-12 hex digits, e.g. 48f7656f-098b-4c43-b165-7cfd2cc8ac30',
        'Voice ID "Amjad" is not a UUID: only cloned voices, whose IDs are UUIDs, are preloaded; ' +
          'built-in speakers such as "Amjad" need no preload',
        `Voice ID "${voiceA.replace('f7', 'x7')}" is not a UUID: it contains "x" (character 3), ` +
          'but a UUID holds hex digits (0-9, a-f) and dashes only',
      ]);
      expect(server.requests).toHaveLength(0);
    });

    it('rejects them in @RequireVoices() at decoration time', () => {
      expect(() => RequireVoices(`${voiceA}\n`)).toThrow(
        `@RequireVoices: "${voiceA}\\n" is not a cloned-voice UUID: it contains whitespace`,
      );
      // A built-in speaker needs no preload: it is accepted, and always ready.
      expect(() => RequireVoices('Layan')).not.toThrow();
      expect(() => RequireVoices(voiceA.slice(1))).toThrow('has 35 characters');
      expect(() => RequireVoices(voiceA.slice(1))).not.toThrow('built-in speakers');
    });
  });

  describe('telemetry', () => {
    const otel = useOtelSdk();

    it('labels a configured voice given in upper case with its ID, not as another voice', async () => {
      const server = await harness.server();
      await harness.start(server, { voiceIds: upperA });

      const durations = points((await otel.metrics()).get('hamsa.voice.preload.duration'));
      expect(durations.map((point) => point.attributes['hamsa.voice.id'])).toEqual([voiceA]);
    });
  });
});
