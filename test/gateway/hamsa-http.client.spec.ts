import { HttpService } from '@nestjs/axios';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import axios, { type CancelTokenSource } from 'axios';
import { HAMSA_ENDPOINTS } from '../../lib/gateway/hamsa-endpoints.js';
import { HamsaHttpClient } from '../../lib/gateway/hamsa-http.client.js';
import { resolveOptions } from '../../lib/options/resolve-options.js';
import { FakeHamsaServer, fakeVoiceId } from '../../lib/testing/index.js';
import { waitFor } from '../support/hamsa-harness.js';

describe('HamsaHttpClient', () => {
  let hamsa: FakeHamsaServer | undefined;
  let client: HamsaHttpClient | undefined;

  afterEach(async () => {
    jest.restoreAllMocks();
    client?.closeSockets();
    await hamsa?.close();
  });

  async function start(): Promise<{ client: HamsaHttpClient; cancels: CancelTokenSource[] }> {
    hamsa = await FakeHamsaServer.start();
    client = new HamsaHttpClient(
      resolveOptions({ apiKey: hamsa.apiKey, baseUrl: hamsa.url, voiceIds: [] }),
      new HttpService(),
    );
    const cancels: CancelTokenSource[] = [];
    const source = axios.CancelToken.source.bind(axios.CancelToken);
    jest.spyOn(axios.CancelToken, 'source').mockImplementation(() => {
      cancels.push(source());
      return cancels.at(-1)!;
    });
    return { client, cancels };
  }

  it('does not cancel a request once it is answered', async () => {
    const { client, cancels } = await start();
    const response = await client.send({
      method: 'POST',
      url: HAMSA_ENDPOINTS.preload,
      data: { voiceId: fakeVoiceId(1) },
    });
    expect(response.status).toBe(200);
    expect(cancels).toHaveLength(1);
    expect(cancels[0].token.reason).toBeUndefined();
  });

  it('cancels a request still waiting for its answer when its signal aborts', async () => {
    const { client, cancels } = await start();
    hamsa!.script(fakeVoiceId(1), { hang: true });
    const controller = new AbortController();
    const sent = client.send(
      { method: 'POST', url: HAMSA_ENDPOINTS.preload, data: { voiceId: fakeVoiceId(1) } },
      { signal: controller.signal },
    );
    await waitFor(() => hamsa!.inFlight === 1, 'the request to arrive');
    const reason = new Error('caller gave up');
    controller.abort(reason);
    await expect(sent).rejects.toBe(reason);
    expect(cancels[0].token.reason).toBeDefined();
    await waitFor(() => hamsa!.inFlight === 0, 'the request to be aborted');
  });

  it('tells when a request gets its socket, and keeps TTS sockets apart from preload ones', async () => {
    const { client } = await start();
    const sockets: string[] = [];
    const preload = (voice: number) =>
      client.send(
        { method: 'POST', url: HAMSA_ENDPOINTS.preload, data: { voiceId: fakeVoiceId(voice) } },
        { onSocket: () => sockets.push('preload') },
      );
    const speak = async () => {
      const answer = await client.openStream(
        '/v1/realtime/tts',
        { text: 'مرحبا', speaker: 'Amjad' },
        { accept: 'audio/wav', onSocket: () => sockets.push('tts') },
      );
      for await (const _chunk of answer) void _chunk;
    };

    await Promise.all([preload(1), speak()]);
    await Promise.all([preload(2), speak()]);

    expect(sockets.sort()).toEqual(['preload', 'preload', 'tts', 'tts']);
    // Keep-alive: each lane reused its socket for its second request; none used the other's.
    expect(hamsa!.connectionCount).toBe(2);
  });
});
