import { describe, expect, it } from '@jest/globals';
import {
  type BeforeApplicationShutdown,
  Injectable,
  Module,
  type OnApplicationShutdown,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { EmptyError } from 'rxjs';
import {
  HamsaError,
  HamsaTtsService,
  HamsaVoiceModule,
  VoiceNotReadyError,
  VoiceReadinessService,
} from '../../lib/index.js';
import { type FakeHamsaServer, fakeVoiceId } from '../../lib/testing/index.js';
import { fakeOptions } from '../support/hamsa-app.js';
import {
  failOnUnhandledRejections,
  settled,
  useHamsaHarness,
  waitFor,
  within,
} from '../support/hamsa-harness.js';
import { text } from '../tts/tts-harness.js';

const [loading, ready] = [1, 2].map(fakeVoiceId);

/** What each question asked at one moment settled with, by `moment: question`. */
type Answers = Map<string, Promise<unknown>>;

/**
 * Asks the module about a voice still loading (`whenReady`, `whenAllReady`, a TTS call) and,
 * once it is shutting down, about the ready voice and "Amjad" too (before, those are ordinary
 * calls that succeed), recording how each settles.
 */
function ask(
  answers: Answers,
  moment: string,
  readiness: VoiceReadinessService,
  tts: HamsaTtsService,
): void {
  answers.set(`${moment}: whenReady`, settled(readiness.whenReady(loading)));
  answers.set(`${moment}: whenAllReady`, settled(readiness.whenAllReady()));
  answers.set(`${moment}: synthesize(UUID)`, settled(tts.synthesize({ text, speaker: loading })));
  if (readiness.isShuttingDown()) {
    answers.set(`${moment}: whenReady(ready)`, settled(readiness.whenReady(ready)));
    const speaking = tts.synthesize({ text, speaker: 'Amjad' });
    answers.set(`${moment}: synthesize(Amjad)`, settled(speaking));
  }
}

/** The answers of the application being tested; each test builds its own. */
let answers: Answers;

/** Asks at every shutdown hook, and when `changes$` completes. */
@Injectable()
class AskingProvider
  implements OnModuleInit, OnModuleDestroy, BeforeApplicationShutdown, OnApplicationShutdown
{
  constructor(
    private readonly readiness: VoiceReadinessService,
    private readonly tts: HamsaTtsService,
  ) {}

  /** Which of the two providers this is. */
  protected place = 'root';

  onModuleInit(): void {
    this.readiness.changes$.subscribe({ complete: () => this.ask('changes$ completes') });
  }

  onModuleDestroy(): void {
    this.ask('onModuleDestroy');
  }

  beforeApplicationShutdown(): void {
    this.ask('beforeApplicationShutdown');
  }

  onApplicationShutdown(): void {
    this.ask('onApplicationShutdown');
  }

  private ask(moment: string): void {
    ask(answers, `${this.place} ${moment}`, this.readiness, this.tts);
  }
}

@Injectable()
class ImportedAskingProvider extends AskingProvider {
  protected override place = 'imported';
}

/** Two imports below the root, so that its hooks run at another point than the root's. */
@Module({ providers: [ImportedAskingProvider] })
class InnerModule {}

@Module({ imports: [InnerModule] })
class MiddleModule {}

describe('errors of readiness and TTS calls during and after shutdown', () => {
  const harness = useHamsaHarness();
  failOnUnhandledRejections('each');

  /** An app with `loading` hanging and `ready` ready, and askers around HamsaVoiceModule's hooks. */
  async function startApp(server: FakeHamsaServer) {
    server.script(loading, { hang: true });
    const options = fakeOptions(server, { voiceIds: [loading, ready], waitForReady: false });
    const moduleRef = await Test.createTestingModule({
      // Global, so that InnerModule's provider gets the services without importing the module.
      imports: [HamsaVoiceModule.forRoot({ ...options, isGlobal: true }), MiddleModule],
      providers: [AskingProvider],
    }).compile();
    harness.track(moduleRef);
    await moduleRef.init();
    const readiness = moduleRef.get(VoiceReadinessService);
    await waitFor(() => readiness.isReady(ready), 'the ready voice');
    return { moduleRef, readiness, tts: moduleRef.get(HamsaTtsService) };
  }

  /** Asserts that every answer is a VoiceNotReadyError with reason `shutdown`. */
  async function expectShutdownErrors(): Promise<void> {
    const settledAnswers = await within(
      2_000,
      'every question to be answered',
      Promise.all([...answers].map(async ([question, answer]) => [question, await answer])),
    );
    for (const [question, error] of settledAnswers) {
      expect({ question, emptyError: error instanceof EmptyError }).toEqual({
        question,
        emptyError: false,
      });
      expect({ question, error }).toEqual({ question, error: expect.any(VoiceNotReadyError) });
      expect(error).toBeInstanceOf(HamsaError);
      expect({ question, reason: (error as VoiceNotReadyError).reason }).toEqual({
        question,
        reason: 'shutdown',
      });
    }
  }

  /** The questions `ask()` asks at `moment`, as the module was `shuttingDown` then or not. */
  const questions = (moment: string, shuttingDown: boolean) => [
    `${moment}: whenReady`,
    `${moment}: whenAllReady`,
    `${moment}: synthesize(UUID)`,
    ...(shuttingDown ? [`${moment}: whenReady(ready)`, `${moment}: synthesize(Amjad)`] : []),
  ];

  it('rejects with reason shutdown whether asked before, while or after close() runs', async () => {
    answers = new Map();
    const server = await harness.server();
    const { moduleRef, readiness, tts } = await startApp(server);

    ask(answers, 'before close', readiness, tts);
    const closing = harness.close(moduleRef);
    ask(answers, 'close pending', readiness, tts);
    await within(2_000, 'close()', closing);
    ask(answers, 'after close', readiness, tts);

    await expectShutdownErrors();
    // Every moment asked; from HamsaVoiceModule's own hook on, the ready voice and "Amjad" too.
    const asked = [...answers.keys()];
    expect(asked).toEqual(expect.arrayContaining(questions('before close', false)));
    expect(asked).toEqual(expect.arrayContaining(questions('close pending', false)));
    for (const place of ['root', 'imported']) {
      expect(asked).toEqual(expect.arrayContaining(questions(`${place} onModuleDestroy`, false)));
      for (const moment of [
        'changes$ completes',
        'beforeApplicationShutdown',
        'onApplicationShutdown',
      ]) {
        expect(asked).toEqual(expect.arrayContaining(questions(`${place} ${moment}`, true)));
      }
    }
    expect(asked).toEqual(expect.arrayContaining(questions('after close', true)));
    expect(server.ttsCalls.filter((call) => call.speaker === loading)).toEqual([]);
  });

  it('rejects whenAllReady() with reason shutdown when no voice is configured', async () => {
    const server = await harness.server();
    const app = await harness.start(server, { voiceIds: [] });
    await harness.close(app.moduleRef);

    const error = await settled(app.readiness.whenAllReady());

    expect(error).toBeInstanceOf(VoiceNotReadyError);
    expect(error).toMatchObject({ reason: 'shutdown' });
  });

  it('rejects a TTS call after close for a ready UUID speaker and for "Amjad", sending nothing', async () => {
    const server = await harness.server();
    const app = await harness.start(server, { voiceIds: [ready] });
    const tts = app.moduleRef.get(HamsaTtsService);
    await harness.close(app.moduleRef);
    const requests = server.requests.length;

    for (const speaker of [ready, 'Amjad', fakeVoiceId(9)]) {
      const error = await settled(tts.synthesize({ text, speaker }));
      expect(error).toBeInstanceOf(VoiceNotReadyError);
      expect(error).toMatchObject({ reason: 'shutdown', voiceId: speaker });
    }
    expect(server.requests).toHaveLength(requests);
  });

  it('rejects TTS calls still in flight when the connection closes with reason shutdown', async () => {
    const server = await harness.server({ ttsChunkSizes: [400], ttsChunkIntervalMs: 100 });
    const app = await harness.start(server, { voiceIds: [ready] });
    const tts = app.moduleRef.get(HamsaTtsService);
    server.scriptTts('Amjad', { hang: true });
    const whole = settled(tts.synthesize({ text, speaker: 'Amjad' }));
    const streamed = settled(
      (async () => {
        for await (const _chunk of tts.stream({ text, speaker: ready })) void _chunk;
      })(),
    );
    await waitFor(() => server.ttsCalls.length === 2, 'both calls to reach Hamsa');

    await harness.close(app.moduleRef);

    for (const [speaker, answer] of [
      ['Amjad', whole],
      [ready, streamed],
    ] as const) {
      const error = await within(2_000, `the call of ${speaker}`, answer);
      expect(error).toBeInstanceOf(VoiceNotReadyError);
      expect(error).toMatchObject({ reason: 'shutdown', voiceId: speaker });
    }
  });
});
