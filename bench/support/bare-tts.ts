import { type Agent, request } from 'node:http';
import axios from 'axios';

/** One streamed call as a client saw it. */
export interface StreamCall {
  /** From the call until the first audio byte, in ms. */
  firstByteMs: number;
  bytes: number;
}

/** Where bare clients send a streamed TTS request, and its JSON body. */
export interface StreamTarget {
  url: string;
  apiKey: string;
  body: string;
}

/**
 * One streamed TTS call over bare `node:http` and a keep-alive agent: the POST, its status
 * checked, the body read through `data` events. The floor for a Node client.
 */
export function bareHttpStream(agent: Agent, target: StreamTarget): Promise<StreamCall> {
  return new Promise((resolve, reject) => {
    const startedAt = performance.now();
    let firstByteMs = 0;
    let bytes = 0;
    const headers = {
      authorization: `Token ${target.apiKey}`,
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(target.body),
    };
    const req = request(target.url, { method: 'POST', agent, headers }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        return reject(new Error(`bare node:http: status ${res.statusCode}`));
      }
      res.on('data', (chunk: Buffer) => {
        if (bytes === 0) firstByteMs = performance.now() - startedAt;
        bytes += chunk.length;
      });
      res.on('end', () => resolve({ firstByteMs, bytes }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(target.body);
  });
}

/**
 * The same call with `axios.post` (`responseType: 'stream'`, read with `for await`) over a
 * keep-alive agent: the same call through axios, the HTTP client of the module's preloads.
 */
export async function bareAxiosStream(agent: Agent, target: StreamTarget): Promise<StreamCall> {
  const startedAt = performance.now();
  const response = await axios.post<AsyncIterable<Buffer>>(target.url, target.body, {
    httpAgent: agent,
    responseType: 'stream',
    headers: { Authorization: `Token ${target.apiKey}`, 'Content-Type': 'application/json' },
  });
  return timeChunks(response.data, startedAt);
}

/** Reads a stream to its end, timing its first byte from `startedAt`. */
export async function timeChunks(
  stream: AsyncIterable<Buffer>,
  startedAt: number,
): Promise<StreamCall> {
  let firstByteMs = 0;
  let bytes = 0;
  for await (const chunk of stream) {
    if (bytes === 0) firstByteMs = performance.now() - startedAt;
    bytes += chunk.length;
  }
  return { firstByteMs, bytes };
}
