import { describe, expect, it } from '@jest/globals';
import { streamTarget } from '../../lib/gateway/stream-request.js';

describe('streamTarget', () => {
  it('takes a URL apart as http.request wants it, once per endpoint', () => {
    expect(streamTarget(new URL('https://api.tryhamsa.com/v1/realtime/tts-stream'))).toEqual({
      protocol: 'https:',
      hostname: 'api.tryhamsa.com',
      port: undefined,
      path: '/v1/realtime/tts-stream',
    });
  });

  it("keeps a base URL's own path and port, and unwraps an IPv6 host", () => {
    expect(streamTarget(new URL('http://[::1]:8080/proxy/hamsa/v1/realtime/tts'))).toEqual({
      protocol: 'http:',
      hostname: '::1',
      port: '8080',
      path: '/proxy/hamsa/v1/realtime/tts',
    });
  });
});
