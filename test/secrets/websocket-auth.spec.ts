import { describe, expect, it } from '@jest/globals';
import { HamsaTtsService } from '../../lib/index.js';
import { fakeSpeech } from '../../lib/testing/index.js';
import { useHamsaHarness } from '../support/hamsa-harness.js';
import { collect, text } from '../tts/tts-harness.js';

/** `+ / =` would be read back as other characters if the query were not URL-encoded. */
const apiKey = 'hK7+q/Zx9=Lm+Vb/Tr0=';

describe('tts.webSocketAuth: the key travels in one place only', () => {
  const harness = useHamsaHarness();

  async function speakOnce(webSocketAuth?: 'header' | 'query') {
    const server = await harness.server({ apiKey, coldStartMs: 0 });
    const app = await harness.start(server, {
      apiKey,
      ...(webSocketAuth && { tts: { webSocketAuth } }),
    });
    const session = await app.moduleRef.get(HamsaTtsService).openSession();
    const audio = await collect(session.speak({ text, speaker: 'Amjad' }));
    await session.close();
    const upgrades = server.requests.filter((request) => request.method === 'GET');
    expect(audio.equals(fakeSpeech(text))).toBe(true);
    expect(upgrades).toHaveLength(1);
    return upgrades[0];
  }

  it.each([
    ['omitted (the default)', undefined],
    ["'header'", 'header' as const],
  ])('%s sends X-Api-Key and no api_key in the URL', async (_given, webSocketAuth) => {
    const upgrade = await speakOnce(webSocketAuth);

    expect(upgrade.path).toBe('/v1/realtime/ws');
    expect(upgrade.headers['x-api-key']).toBe(apiKey);
    expect(upgrade.headers.authorization).toBeUndefined();
  });

  it("with 'query' sends the URL-encoded key in ?api_key= and no header", async () => {
    const upgrade = await speakOnce('query');

    expect(upgrade.path).toBe(`/v1/realtime/ws?api_key=${encodeURIComponent(apiKey)}`);
    expect(upgrade.headers['x-api-key']).toBeUndefined();
    expect(upgrade.headers.authorization).toBeUndefined();
  });
});
