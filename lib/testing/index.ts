/**
 * Test helpers for `nestjs-hamsa`, imported from `nestjs-hamsa/testing`: a fake Hamsa server
 * (preload and real-time TTS endpoints).
 * Use them in your own tests to run the module against real HTTP without calling Hamsa.
 */
export { FakeHamsaServer } from './fake-hamsa-server.js';
export { fakeVoiceId } from './fake-voice-id.js';
export type {
  FakeHamsaServerOptions,
  FakePreloadStep,
  RecordedRequest,
} from './fake-hamsa-server.interfaces.js';
export { fakeSpeech } from './fake-speech.js';
export type { FakeTtsCall, FakeTtsServerOptions, FakeTtsStep } from './fake-tts.interfaces.js';
