import { type Readable } from 'node:stream';

/** Error bodies are small; more than this is not read. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;

/**
 * The text of an error answer's body, read up to 64 KB; then (or on a broken body) the body is
 * destroyed, so a huge answer is never read whole.
 */
export async function readErrorText(body: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= MAX_ERROR_BODY_BYTES) break;
    }
  } catch {
    // A body cut short still tells its status; keep what came.
  } finally {
    body.destroy();
  }
  return Buffer.concat(chunks).toString('utf8').slice(0, MAX_ERROR_BODY_BYTES);
}
