import { type IncomingMessage } from 'node:http';
import { positiveIntegerOption } from './fake-positive-integer.js';

/** Default of `FakeHamsaServerOptions.maxBodyBytes`: 1 MB. */
export const DEFAULT_MAX_BODY_BYTES = 1_048_576;

/** Validates `maxBodyBytes` (a positive integer) and returns it, or the default when omitted. */
export function maxBodyBytesOf(value: number | undefined): number {
  return positiveIntegerOption(
    'maxBodyBytes',
    value,
    DEFAULT_MAX_BODY_BYTES,
    'the largest request body it reads, in bytes',
  );
}

/**
 * Reads a request body of at most `maxBytes` bytes and passes it to `onBody` as UTF-8 text.
 * A body that declares a larger `Content-Length`, or turns out larger as it streams in, is never
 * held: reading stops at the first chunk over the limit, what was read is dropped, and
 * `onTooLarge` is called instead of `onBody`.
 */
export function readBodyWithin(
  req: IncomingMessage,
  maxBytes: number,
  onBody: (text: string) => void,
  onTooLarge: () => void,
): void {
  if (Number(req.headers['content-length']) > maxBytes) return onTooLarge();
  let chunks: Buffer[] = [];
  let size = 0;
  const onData = (chunk: Buffer): void => {
    size += chunk.length;
    if (size <= maxBytes) return void chunks.push(chunk);
    req.off('data', onData).off('end', onEnd).pause();
    chunks = [];
    onTooLarge();
  };
  const onEnd = (): void => onBody(Buffer.concat(chunks).toString('utf8'));
  req.on('data', onData).on('end', onEnd);
}

/** Whether a request announces a body (a non-zero `Content-Length`, or chunked). */
export function hasBody(req: IncomingMessage): boolean {
  return (
    req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length']) > 0
  );
}
