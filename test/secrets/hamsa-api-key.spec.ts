import { inspect } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { HamsaApiKey } from '../../lib/gateway/hamsa-api-key.js';

/** A key of base64 characters: `+ / =` all change when URL-encoded. */
const key = 'hK7+q/Zx9=Lm+Vb/Tr0=';
const apiKey = new HamsaApiKey(key);

/** `encodeURIComponent` with lower-case hex digits, as some proxies write them. */
const lowerCaseEncoded = encodeURIComponent(key).replace(/%[\dA-F]{2}/g, (hex) =>
  hex.toLowerCase(),
);

describe('HamsaApiKey', () => {
  it('gives the forms the wire needs', () => {
    expect(apiKey.authorizationHeader()).toEqual({ Authorization: `Token ${key}` });
    expect(apiKey.apiKeyHeader()).toEqual({ 'X-Api-Key': key });
    expect(apiKey.queryParameter()).toBe('api_key=hK7%2Bq%2FZx9%3DLm%2BVb%2FTr0%3D');
    expect(new URLSearchParams(apiKey.queryParameter()).get('api_key')).toBe(key);
  });

  it.each([
    ['raw', key],
    ['encodeURIComponent', encodeURIComponent(key)],
    ['lower-case hex', lowerCaseEncoded],
    ['form-encoded', new URLSearchParams({ k: key }).toString().slice(2)],
    ['mixed', 'hK7%2bq/Zx9%3DLm+Vb%2fTr0='],
    ['JSON-escaped', JSON.stringify(key).slice(1, -1).replace(/\//g, '\\/')],
    ['every character encoded', [...key].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('')],
  ])('redacts the key written %s, every time it occurs', (_form, written) => {
    const text = `before ${written} between ${written}after`;

    expect(apiKey.redact(text)).toBe('before [redacted] between [redacted]after');
  });

  it('leaves other text alone, special characters of the key included', () => {
    const text = 'hK7 q Zx9 = + / %2B and hK7+q/Zx9=Lm+Vb/Tr0 (one short)';

    expect(apiKey.redact(text)).toBe(text);
  });

  it('redacts keys holding characters that JSON and regular expressions escape', () => {
    const odd = '"a\\b.*$(x)|[y]^{2}?';
    const oddKey = new HamsaApiKey(odd);

    expect(oddKey.redact(`<${odd}>`)).toBe('<[redacted]>');
    expect(oddKey.redact(`<${JSON.stringify(odd)}>`)).toBe('<"[redacted]">');
    expect(oddKey.redact(`<${encodeURIComponent(odd)}>`)).toBe('<[redacted]>');
    expect(oddKey.redact('<"a\\b.*$(x)|[y]^{2}>')).toBe('<"a\\b.*$(x)|[y]^{2}>');
  });

  it('shows its value to no inspection nor serialisation', () => {
    const holder = { apiKey, nested: { apiKey } };
    const texts = [
      inspect(apiKey, { showHidden: true, depth: Infinity, getters: true }),
      inspect(holder, { showHidden: true, depth: Infinity, getters: true }),
      JSON.stringify(holder),
      String(apiKey),
      JSON.stringify({ ...apiKey }),
    ];

    for (const text of texts) {
      expect(text).not.toContain(key);
      expect(text).not.toContain(encodeURIComponent(key));
    }
  });
});
