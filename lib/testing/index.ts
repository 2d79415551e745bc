/**
 * Test helpers for `nestjs-hamsa`, imported from `nestjs-hamsa/testing`: a fake Hamsa preload server.
 * Use them in your own tests to run the module against real HTTP without calling Hamsa.
 */
export { FakeHamsaServer, fakeVoiceId } from './fake-hamsa-server.js';
export type {
  FakeHamsaServerOptions,
  FakePreloadStep,
  RecordedRequest,
} from './fake-hamsa-server.interfaces.js';
