import { ValidateBy } from 'class-validator';

/**
 * `baseUrl` holds no credentials (`user:pass@`), no query and no fragment: paths are appended
 * to it, so a query or fragment would swallow them, and credentials would travel to Hamsa and
 * into error messages. The message never quotes the value.
 */
export const IsPlainOrigin = () =>
  ValidateBy(
    {
      name: 'isPlainOrigin',
      validator: { validate: (value: unknown) => typeof value !== 'string' || isPlain(value) },
    },
    {
      message:
        'baseUrl must not hold credentials (user:password@), a query (?…) or a fragment (#…): ' +
        'give the origin and an optional path only, such as https://api.tryhamsa.com, and the ' +
        'key as apiKey',
    },
  );

function isPlain(value: string): boolean {
  const authority = /^[a-z][a-z\d+.-]*:\/\/([^/?#]*)/i.exec(value)?.[1] ?? '';
  return !authority.includes('@') && !value.includes('?') && !value.includes('#');
}
