import { type Readable } from 'node:stream';
import { type AxiosResponse } from 'axios';
import { HamsaApiError } from '../errors/hamsa-api.error.js';
import { HamsaConnectionError, HamsaTimeoutError } from '../errors/hamsa-transport.error.js';
import { type CallScope } from '../http/call-scope.js';
import { errorFromResponse } from '../http/error-from-response.js';
import { type HamsaHttpClient } from '../http/hamsa-http.client.js';
import { type HamsaTtsRequest } from './hamsa-tts.interfaces.js';
import { ttsBody } from './validate-tts-request.js';

/** Error bodies are small; more than this is not read. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;

/**
 * Sends one TTS request and resolves with the audio body as a stream once Hamsa answered 2xx
 * with audio; an error answer becomes its typed error. The scope's signal aborts the request,
 * and its idle timer bounds the wait for the answer from when the request got its socket.
 */
export async function openAudio(
  http: HamsaHttpClient,
  path: string,
  request: HamsaTtsRequest,
  scope: CallScope,
  timeoutMs: number,
): Promise<Readable> {
  const { speaker } = request;
  try {
    const response = await http.send<Readable>(
      {
        method: 'POST',
        url: path,
        data: ttsBody(request),
        responseType: 'stream',
        // -1: no limit, and axios hands over the socket's own stream (no wrapper to leak).
        maxContentLength: -1,
        headers: { Accept: 'audio/wav' },
      },
      {
        voiceId: speaker,
        lane: 'tts',
        signal: scope.signal,
        onSocket: () => scope.arm(timeoutMs, () => silence("Hamsa's answer", speaker, timeoutMs)),
      },
    );
    return await audioBody(response, speaker, http.redact);
  } finally {
    // A retry's backoff is no silence of Hamsa's: the next attempt arms the timer again.
    scope.disarm();
  }
}

/** The body of a 2xx audio answer, or the typed error of any other answer. */
async function audioBody(
  response: AxiosResponse<Readable>,
  speaker: string,
  redact: (text: string) => string,
): Promise<Readable> {
  const isJson = /json/i.test(String(response.headers['content-type'] ?? ''));
  if (response.status >= 200 && response.status < 300 && !isJson) return response.data;

  const text = await readText(response.data);
  const textResponse = { ...response, data: text } as AxiosResponse<string>;
  throw (
    errorFromResponse(textResponse, speaker, redact) ??
    new HamsaApiError({
      status: response.status,
      voiceId: speaker,
      message: `Hamsa answered ${response.status} with JSON instead of audio (speaker ${speaker})`,
    })
  );
}

/** Hamsa sent nothing for `timeoutMs` while the call waited for `what`. */
function silence(what: string, speaker: string, timeoutMs: number): HamsaTimeoutError {
  return new HamsaTimeoutError(
    `Hamsa sent nothing for ${timeoutMs} ms (requestTimeoutMs) while waiting for ${what} (speaker ${speaker})`,
    { voiceId: speaker, timeoutMs },
  );
}

/**
 * The audio chunks of an open body as they arrive (back-pressured: the socket is read only as
 * fast as the consumer takes chunks). Stopping early, an abort or a failure destroys the body,
 * which releases its socket. A body cut off by Hamsa fails with `HamsaConnectionError`.
 */
export async function* audioChunks(
  body: Readable,
  scope: CallScope,
  timeoutMs: number,
  redact: (text: string) => string,
  speaker: string,
): AsyncGenerator<Buffer> {
  const arm = (what: string) => scope.arm(timeoutMs, () => silence(what, speaker, timeoutMs));
  // axios lets go of the signal once the answer started: from here on, aborting is ours to do.
  const destroy = () => body.destroy();
  scope.signal.addEventListener('abort', destroy, { once: true });
  let received = 0;
  try {
    arm('the first audio chunk');
    for await (const chunk of body as AsyncIterable<Buffer>) {
      received += chunk.length;
      scope.disarm();
      yield chunk;
      arm('the next audio chunk');
    }
  } catch (error) {
    if (scope.signal.aborted) throw scope.signal.reason;
    const reason = error instanceof Error ? error.message : String(error);
    throw new HamsaConnectionError(
      redact(`Hamsa's audio for speaker ${speaker} broke off after ${received} bytes: ${reason}`),
      { voiceId: speaker, code: (error as { code?: string }).code },
    );
  } finally {
    scope.disarm();
    scope.signal.removeEventListener('abort', destroy);
    body.destroy();
  }
}

async function readText(body: Readable): Promise<string> {
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
  return Buffer.concat(chunks).toString('utf8');
}
