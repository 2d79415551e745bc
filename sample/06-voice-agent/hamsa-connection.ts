import { FakeHamsaServer } from 'nestjs-hamsa/testing';

/**
 * THE switch of this sample: without `HAMSA_API_KEY` it talks to a fake Hamsa embedded in the
 * process (answers after 150 ms, audio 3× faster than real time, a 440 Hz tone per segment);
 * with it, to Hamsa itself (`HAMSA_BASE_URL` optional).
 */
export const USE_EMBEDDED_FAKE_HAMSA = !process.env.HAMSA_API_KEY;

/** Where the module sends its calls, and how to stop the embedded fake (if any). */
export interface HamsaConnection {
  apiKey: string;
  baseUrl?: string;
  close(): Promise<void>;
}

export async function connectHamsa(): Promise<HamsaConnection> {
  if (!USE_EMBEDDED_FAKE_HAMSA) {
    return {
      apiKey: process.env.HAMSA_API_KEY!,
      baseUrl: process.env.HAMSA_BASE_URL,
      close: async () => undefined,
    };
  }
  const fake = await FakeHamsaServer.start({
    coldStartMs: 0,
    ttsLatencyMs: 150,
    ttsBytesPerSecond: 96_000,
    ttsChunkSizes: [3200],
  });
  return { apiKey: fake.apiKey, baseUrl: fake.url, close: () => fake.close() };
}
