import { type IncomingMessage } from 'node:http';
import { type Readable } from 'node:stream';
import { HamsaApiError } from '../errors/hamsa-api.error.js';
import { HamsaConnectionError, HamsaTimeoutError } from '../errors/hamsa-transport.error.js';
import { type CallScope } from '../gateway/call-scope.js';
import { errorFromResponse } from '../gateway/error-from-response.js';
import { readErrorText } from '../gateway/read-error-text.js';
import { type HamsaHttpClient } from '../gateway/hamsa-http.client.js';
import { type HamsaTtsRequest } from './hamsa-tts.interfaces.js';
import { ttsBody } from './validate-tts-request.js';

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
    const response = await http.openStream(path, ttsBody(request), {
      voiceId: speaker,
      accept: 'audio/wav',
      signal: scope.signal,
      onSocket: () => scope.arm(timeoutMs, () => silence("Hamsa's answer", speaker, timeoutMs)),
    });
    return await audioBody(response, speaker, http.redact);
  } finally {
    // A retry's backoff is no silence of Hamsa's: the next attempt arms the timer again.
    scope.disarm();
  }
}

/** The body of a 2xx audio answer, or the typed error of any other answer. */
async function audioBody(
  response: IncomingMessage,
  speaker: string,
  redact: (text: string) => string,
): Promise<Readable> {
  const status = response.statusCode ?? 0;
  const isJson = /json/i.test(String(response.headers['content-type'] ?? ''));
  if (status >= 200 && status < 300 && !isJson) return response;

  const answer = { status, headers: response.headers, data: await readErrorText(response) };
  throw (
    errorFromResponse(answer, speaker, redact) ??
    new HamsaApiError({
      status,
      voiceId: speaker,
      message: `Hamsa answered ${status} with JSON instead of audio (speaker ${speaker})`,
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
  // Once the answer started, aborting is ours to do.
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
