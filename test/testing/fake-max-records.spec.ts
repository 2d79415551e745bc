import { afterEach, describe, expect, it } from '@jest/globals';
import { HAMSA_ENDPOINTS } from '../../lib/gateway/hamsa-endpoints.js';
import { FakeHamsaServer, fakeVoiceId } from '../../lib/testing/index.js';
import { FakeRecords } from '../../lib/testing/fake-records.js';

describe('FakeHamsaServer maxRecords', () => {
  let server: FakeHamsaServer | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function post(path: string, body: object): Promise<number> {
    const res = await fetch(`${server!.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Token ${server!.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    await res.arrayBuffer();
    return res.status;
  }

  it('keeps the newest maxRecords requests, oldest first', async () => {
    server = await FakeHamsaServer.start({ maxRecords: 10 });
    for (let n = 0; n < 25; n++)
      expect(await post(HAMSA_ENDPOINTS.preload, { voiceId: fakeVoiceId(n) })).toBe(200);

    expect(server.requests).toHaveLength(10);
    expect(server.requests.map((request) => request.voiceId)).toEqual(
      Array.from({ length: 10 }, (_, i) => fakeVoiceId(15 + i)),
    );
    expect(server.requestsFor(fakeVoiceId(14))).toEqual([]);
    expect(server.requestsFor(fakeVoiceId(24))).toHaveLength(1);
  });

  it('keeps the newest maxRecords TTS calls, and counts afresh after reset()', async () => {
    server = await FakeHamsaServer.start({ maxRecords: 4, coldStartMs: 0 });
    for (let n = 0; n < 9; n++)
      expect(await post(HAMSA_ENDPOINTS.tts, { text: `t${n}`, speaker: 'Amjad' })).toBe(200);

    expect(server.ttsCalls.map((call) => call.text)).toEqual(['t5', 't6', 't7', 't8']);
    server.reset();
    expect(server.ttsCalls).toEqual([]);
    expect(server.requests).toEqual([]);
    await post(HAMSA_ENDPOINTS.tts, { text: 'after', speaker: 'Amjad' });
    expect(server.ttsCalls.map((call) => call.text)).toEqual(['after']);
  });

  it('remembers at most maxRecords warm voices: the least recently warmed is cold again', async () => {
    server = await FakeHamsaServer.start({ maxRecords: 2, coldStartMs: 5 });
    for (const n of [1, 2, 3]) await post(HAMSA_ENDPOINTS.preload, { voiceId: fakeVoiceId(n) });
    await post(HAMSA_ENDPOINTS.tts, { text: 'warm', speaker: fakeVoiceId(3) });
    await post(HAMSA_ENDPOINTS.tts, { text: 'forgotten', speaker: fakeVoiceId(1) });

    expect(server.ttsCalls.map((call) => [call.text, call.coldStartMs])).toEqual([
      ['warm', 0],
      ['forgotten', 5],
    ]);
  });

  it.each([0, -1, 1.5, Number.NaN, Infinity, '10' as unknown as number])(
    'refuses maxRecords %p with an error naming the option',
    async (maxRecords) => {
      await expect(FakeHamsaServer.start({ maxRecords })).rejects.toThrow(
        /^FakeHamsaServer: maxRecords must be a positive integer .*got .*default 10000/,
      );
    },
  );
});

describe('FakeRecords', () => {
  it('reads the newest max items in order, whether it trimmed on push or on read', () => {
    const records = new FakeRecords<number>(3);
    for (let n = 0; n < 5; n++) records.push(n);
    expect(records.all).toEqual([2, 3, 4]);
    for (let n = 5; n < 1000; n++) records.push(n);
    expect(records.all).toEqual([997, 998, 999]);
    records.clear();
    expect(records.all).toEqual([]);
  });
});
