// DEVELOPMENT ONLY. The one place where the samples import `nestjs-hamsa/testing`: loaded by
// `HamsaAccount` only when HAMSA_API_KEY is unset. Production code never imports it.
import { Logger } from '@nestjs/common';
import { FakeHamsaServer, fakeVoiceId } from 'nestjs-hamsa/testing';
import { type HamsaAccountOptions } from './hamsa-account.js';

/**
 * Default latency of the fake's preloads, long enough to watch voices go from `loading` to
 * `ready`; `HAMSA_FAKE_LATENCY_MS` overrides it (e.g. to watch readiness probes fail, then pass).
 */
const LATENCY_MS = 400;
/**
 * Requests and TTS calls the fake keeps: nothing reads them here, and the default (10,000 of each,
 * about 1 KB of heap per TTS call) would hold 10 MB or more for nothing.
 */
const MAX_RECORDS = 100;

/** A fake Hamsa on a random port of 127.0.0.1, with three fake cloned voices. */
export async function startDevFakeHamsa(env: NodeJS.ProcessEnv) {
  const latencyMs = Number(env.HAMSA_FAKE_LATENCY_MS ?? LATENCY_MS);
  const server = await FakeHamsaServer.start({ latencyMs, maxRecords: MAX_RECORDS });
  new Logger('Sample').log(
    `Hamsa: a fake server for development at ${server.url} (HAMSA_API_KEY not set)`,
  );
  const options: HamsaAccountOptions = {
    apiKey: server.apiKey,
    baseUrl: server.url,
    voiceIds: env.HAMSA_VOICE_IDS?.trim() || [1, 2, 3].map(fakeVoiceId),
  };
  return { options, close: () => server.close() };
}
