import { describe, expect, it } from '@jest/globals';
import { type AxiosResponse } from 'axios';
import {
  HamsaApiError,
  HamsaAuthenticationError,
  HamsaBadRequestError,
  HamsaQuotaExceededError,
  HamsaRateLimitError,
  HamsaServerError,
  HamsaVoiceNotFoundError,
} from '../../lib/index.js';
import { errorFromResponse } from '../../lib/gateway/error-from-response.js';

const voiceId = '48f7656f-098b-4c43-b165-7cfd2cc8ac30';
const keep = (text: string) => text;

function response(status: number, data: string, headers: Record<string, string> = {}) {
  return { status, data, headers } as unknown as AxiosResponse<string>;
}

function json(body: object) {
  return JSON.stringify(body);
}

describe('errorFromResponse', () => {
  it.each([
    [
      200,
      json({ success: true, message: 'Custom voice have been preloaded successfully', data: [] }),
    ],
    [200, 'OK'],
    [204, ''],
  ])('treats %i %j as success', (status, body) => {
    expect(errorFromResponse(response(status, body), voiceId, keep)).toBeUndefined();
  });

  it.each([
    [
      400,
      json({ success: false, message: 'Invalid voice ID format' }),
      HamsaBadRequestError,
      false,
    ],
    [401, json({ success: false, message: 'Unauthorized' }), HamsaAuthenticationError, false],
    [403, 'Forbidden', HamsaAuthenticationError, false],
    [404, json({ code: 404, message: 'Voice not found' }), HamsaVoiceNotFoundError, false],
    [402, json({ message: 'Payment required' }), HamsaQuotaExceededError, false],
    [429, json({ message: 'You have reached your usage limit' }), HamsaQuotaExceededError, false],
    [429, json({ message: 'Too many requests' }), HamsaRateLimitError, true],
    [500, '<html>Internal error</html>', HamsaServerError, true],
    [503, '', HamsaServerError, true],
    [408, '', HamsaApiError, true],
    [409, json({ message: 'Conflict' }), HamsaApiError, false],
    [200, json({ success: false, message: 'Could not preload' }), HamsaApiError, false],
  ])('maps %i %j to a retryable=%s error class', (status, body, errorClass, retryable) => {
    const error = errorFromResponse(response(status, body), voiceId, keep);

    expect(error).toBeInstanceOf(errorClass);
    expect(error).toMatchObject({ status, voiceId, retryable });
  });

  it('keeps message, messageKey and request id from a JSON body', () => {
    const error = errorFromResponse(
      response(404, json({ success: false, message: 'Voice not found', messageKey: 'NOT_FOUND' }), {
        'x-request-id': 'req-7',
      }),
      voiceId,
      keep,
    );

    expect(error?.message).toBe(`Hamsa answered 404 for voice ${voiceId}: Voice not found`);
    expect(error).toMatchObject({ messageKey: 'NOT_FOUND', requestId: 'req-7' });
  });

  it('quotes a plain-text body, shortened', () => {
    const error = errorFromResponse(response(502, 'x'.repeat(500)), voiceId, keep);

    expect(error?.message.length).toBeLessThan(300);
    expect(error?.message).toContain('xxx');
  });

  it('reads Retry-After into the rate-limit error', () => {
    const error = errorFromResponse(response(429, '', { 'retry-after': '2' }), voiceId, keep);

    expect((error as HamsaRateLimitError).retryAfterMs).toBe(2000);
  });

  it('redacts what the server echoed', () => {
    const error = errorFromResponse(
      response(401, json({ message: 'bad key sk-123' })),
      voiceId,
      (text) => text.replaceAll('sk-123', '[redacted]'),
    );

    expect(error?.message).toContain('bad key [redacted]');
  });
});
