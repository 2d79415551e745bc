import { type Readable } from 'node:stream';
import { type AxiosResponse } from 'axios';
import { firstValueFrom } from 'rxjs';
import { HamsaApiError } from '../errors/hamsa-api.error.js';
import { HamsaConnectionError } from '../errors/hamsa-transport.error.js';
import { errorFromResponse } from '../http/error-from-response.js';
import { type HamsaHttpClient } from '../http/hamsa-http.client.js';
import { type HamsaTtsRequest } from './hamsa-tts.interfaces.js';
import { type TtsCallScope } from './tts-call-scope.js';
import { ttsBody } from './validate-tts-request.js';

/** Error bodies are small; more than this is not read. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;

/**
 * Sends one TTS request and resolves with the audio body as a stream once Hamsa answered 2xx
 * with audio; an error answer becomes its typed error. The call's signal aborts the request.
 */
export async function openAudio(
  http: HamsaHttpClient,
  path: string,
  request: HamsaTtsRequest,
  scope: TtsCallScope,
): Promise<Readable> {
  scope.arm("Hamsa's answer");
  try {
    return await answer(http, path, request, scope);
  } finally {
    // A retry's backoff is no silence of Hamsa's: the next attempt arms the timer again.
    scope.disarm();
  }
}

async function answer(
  http: HamsaHttpClient,
  path: string,
  request: HamsaTtsRequest,
  scope: TtsCallScope,
): Promise<Readable> {
  const response = await firstValueFrom(
    http.request<Readable>(
      {
        method: 'POST',
        url: path,
        data: ttsBody(request),
        responseType: 'stream',
        signal: scope.signal,
        // -1: no limit, and axios hands over the socket's own stream (no wrapper to leak).
        maxContentLength: -1,
        headers: { Accept: 'audio/wav' },
      },
      request.speaker,
      'tts',
    ),
  );
  const isJson = /json/i.test(String(response.headers['content-type'] ?? ''));
  if (response.status >= 200 && response.status < 300 && !isJson) return response.data;

  const text = await readText(response.data);
  const textResponse = { ...response, data: text } as AxiosResponse<string>;
  throw (
    errorFromResponse(textResponse, request.speaker, http.redact) ??
    new HamsaApiError({
      status: response.status,
      voiceId: request.speaker,
      message: `Hamsa answered ${response.status} with JSON instead of audio (speaker ${request.speaker})`,
    })
  );
}

/**
 * The audio chunks of an open body as they arrive (back-pressured: the socket is read only as
 * fast as the consumer takes chunks). Stopping early, an abort or a failure destroys the body,
 * which releases its socket. A body cut off by Hamsa fails with `HamsaConnectionError`.
 */
export async function* audioChunks(
  body: Readable,
  scope: TtsCallScope,
  redact: (text: string) => string,
  speaker: string,
): AsyncGenerator<Buffer> {
  // axios lets go of the signal once the answer started: from here on, aborting is ours to do.
  const destroy = () => body.destroy();
  scope.signal.addEventListener('abort', destroy, { once: true });
  let received = 0;
  try {
    scope.arm('the first audio chunk');
    for await (const chunk of body as AsyncIterable<Buffer>) {
      received += chunk.length;
      scope.disarm();
      yield chunk;
      scope.arm('the next audio chunk');
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
