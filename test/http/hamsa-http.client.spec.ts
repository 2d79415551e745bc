import { afterEach, describe, expect, it, jest } from '@jest/globals';
import axios, { type CancelTokenSource } from 'axios';
import { firstValueFrom } from 'rxjs';
import { PRELOAD_PATH } from '../../lib/hamsa-voice.constants.js';
import { HamsaHttpClient } from '../../lib/http/hamsa-http.client.js';
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
    const response = await firstValueFrom(
      client.postJson(PRELOAD_PATH, { voiceId: fakeVoiceId(1) }),
    );
    expect(response.status).toBe(200);
    expect(cancels).toHaveLength(1);
    expect(cancels[0].token.reason).toBeUndefined();
  });

  it('cancels a request still waiting for its answer when unsubscribed', async () => {
    const { client, cancels } = await start();
    hamsa!.script(fakeVoiceId(1), { hang: true });
    const subscription = client
      .postJson(PRELOAD_PATH, { voiceId: fakeVoiceId(1) })
      .subscribe({ error: () => undefined });
    await waitFor(() => hamsa!.inFlight === 1, 'the request to arrive');
    subscription.unsubscribe();
    expect(cancels[0].token.reason).toBeDefined();
    await waitFor(() => hamsa!.inFlight === 0, 'the request to be aborted');
  });
});
