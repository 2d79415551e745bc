import { describe, expect, it } from '@jest/globals';
import {
  HamsaApiError,
  HamsaEndpointNotFoundError,
  HamsaVoiceNotFoundError,
} from '../../lib/index.js';
import { errorFromResponse } from '../../lib/gateway/error-from-response.js';

const voiceId = '48f7656f-098b-4c43-b165-7cfd2cc8ac30';
const url = 'http://127.0.0.1:3000/v2/tts/voices/custom/preload';
const keep = (text: string) => text;

function answer(status: number, data: string) {
  return { status, data, headers: {}, url };
}

describe('errorFromResponse: a 404 or 405 that is not Hamsa’s', () => {
  it.each([
    [
      404,
      'Cannot POST /v2/tts/voices/custom/preload',
      '"Cannot POST /v2/tts/voices/custom/preload"',
    ],
    [404, '', 'an empty body'],
    [404, '   \n', 'an empty body'],
    [
      405,
      '<html><body><h1>405 Not Allowed</h1><hr>nginx</body></html>',
      'an HTML page "405 Not Allowed nginx"',
    ],
    [404, '<!DOCTYPE html><html></html>', 'an HTML page'],
    [404, '{"error":"not here"}', '"{"error":"not here"}"'],
  ])('%i %j → HamsaEndpointNotFoundError naming the URL and baseUrl', (status, body, described) => {
    const error = errorFromResponse(answer(status, body), voiceId, keep);

    expect(error).toBeInstanceOf(HamsaEndpointNotFoundError);
    expect(error).toBeInstanceOf(HamsaApiError);
    expect(error).not.toBeInstanceOf(HamsaVoiceNotFoundError);
    expect(error).toMatchObject({ status, voiceId, retryable: false });
    expect(error?.message).toBe(
      `${url} answered ${status} with ${described}, not Hamsa's JSON: no Hamsa API there, ` +
        "check baseUrl (Hamsa's is https://api.tryhamsa.com)",
    );
  });

  it('keeps a 404 with Hamsa’s JSON envelope a HamsaVoiceNotFoundError', () => {
    for (const body of [
      { success: false, message: 'Voice not found', messageKey: 'VOICE_NOT_FOUND' },
      { code: 404, message: 'Voice not found' },
    ]) {
      const error = errorFromResponse(answer(404, JSON.stringify(body)), voiceId, keep);
      expect(error).toBeInstanceOf(HamsaVoiceNotFoundError);
    }
  });

  it('says "Hamsa" when the URL is not known, and reads at most the start of a huge page', () => {
    const page = `<html><body><pre>Cannot GET /v1/realtime/ws</pre>${'<p>x</p>'.repeat(200_000)}`;
    const error = errorFromResponse({ status: 404, data: page, headers: {} }, undefined, keep);

    expect(error?.message).toMatch(
      /^Hamsa answered 404 with an HTML page "Cannot GET \/v1\/realtime\/ws/,
    );
    expect(error?.message.length).toBeLessThan(400);
  });

  it('redacts what the other server echoed', () => {
    const error = errorFromResponse(answer(404, 'no route for key sk-123'), voiceId, (text) =>
      text.replaceAll('sk-123', '[redacted]'),
    );

    expect(error?.message).toContain('no route for key [redacted]');
  });
});
