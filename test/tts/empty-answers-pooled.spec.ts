import { describe, expect, it } from '@jest/globals';
import { HamsaEmptyAudioError, type HamsaVoiceModuleOptions } from '../../lib/index.js';
import { type FakeHamsaServerOptions, fakeSpeech } from '../../lib/testing/index.js';
import {
  failOnUnhandledRejections,
  rejectionOf,
  useHamsaHarness,
} from '../support/hamsa-harness.js';
import { collect, handshakes, startTts, text, voice } from './tts-harness.js';

describe('empty answers through the pooled HamsaTtsService.speak()', () => {
  const harness = useHamsaHarness();
  failOnUnhandledRejections('each');
  const start = (
    serverOptions?: FakeHamsaServerOptions,
    overrides?: Partial<HamsaVoiceModuleOptions>,
  ) => startTts(harness, serverOptions, overrides);

  it('asks again on another session: exactly 2 requests on 2 sockets, the caller gets the speech', async () => {
    const { server, tts, app } = await start();
    server.scriptTts(voice, { empty: true, audioBytes: 596 });

    const audio = await collect(tts.speak({ text, speaker: voice }));

    expect(audio.equals(fakeSpeech(text))).toBe(true);
    expect(server.ttsCalls).toHaveLength(2);
    expect(handshakes(server)).toBe(2);
    // The session that answered empty was closed, never reused.
    expect(server.openWebSockets).toBe(1);
    expect(app.logger.messages('warn')).toEqual([
      expect.stringMatching(/on another WebSocket\): attempt 1 failed \(HamsaEmptyAudioError/),
    ]);
  });

  it('rejects HamsaEmptyAudioError after 1 + retries empty answers, each on its own socket', async () => {
    const { server, tts } = await start({ emptyAnswerRate: 1 }, { retries: 2 });

    const error = await rejectionOf(collect(tts.speak({ text, speaker: voice })));

    expect(error).toBeInstanceOf(HamsaEmptyAudioError);
    expect(server.ttsCalls).toHaveLength(3);
    expect(handshakes(server)).toBe(3);
  });

  it('with emptyAnswerRate 0.5, gives every utterance its speech in exactly 2 requests', async () => {
    const { server, tts } = await start({ emptyAnswerRate: 0.5 });

    for (let i = 0; i < 4; i++) {
      expect((await collect(tts.speak({ text, speaker: voice }))).equals(fakeSpeech(text))).toBe(
        true,
      );
    }

    expect(server.ttsCalls).toHaveLength(8);
  });
});
