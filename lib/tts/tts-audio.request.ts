import { type IncomingMessage } from 'node:http';
import { type Readable } from 'node:stream';
import { HamsaApiError } from '../errors/hamsa-api.error.js';
import { HamsaMalformedAudioError } from '../errors/hamsa-malformed-audio.error.js';
import { HamsaTimeoutError } from '../errors/hamsa-transport.error.js';
import { type CallScope } from '../gateway/call-scope.js';
import { errorFromResponse } from '../gateway/error-from-response.js';
import { readErrorText } from '../gateway/read-error-text.js';
import { type HamsaHttpClient } from '../gateway/hamsa-http.client.js';
import { AudioGate, type AudioLimits } from './audio-gate.js';
import { AudioReader, silence } from './audio-reader.js';
import { type HamsaTtsRequest } from './hamsa-tts.interfaces.js';
import { ttsBody } from './validate-tts-request.js';
import { bareStreamFormat } from './wav.js';

/** How one REST or stream answer is read (internal). */
export interface AudioAnswerOptions extends AudioLimits {
  /** Longest silence from Hamsa, in ms (`requestTimeoutMs`). */
  timeoutMs: number;
  /** Longest a reader may hold a chunk, in ms (`tts.readerIdleTimeoutMs`). */
  readerIdleTimeoutMs: number;
  /** REST: the answer must be a WAV file. */
  requireWav: boolean;
}

/** An answer whose first audio has arrived: that audio, then a reader of the rest. */
export interface StartedAudio {
  /** `undefined`: the answer ended (with no audio only when `minAudioMs` is 0). */
  first: Buffer | undefined;
  /** The rest of the answer; `close()` it when leaving early, to release the socket. */
  reader: AudioReader;
}

/**
 * Sends one TTS request and reads its answer until its first `minAudioMs` of audio (or its end)
 * arrived: one attempt of a REST or stream call, retried as a whole while nothing has reached
 * the caller. Rejects with the answer's typed error, `HamsaEmptyAudioError` for an answer
 * without audio, `HamsaMalformedAudioError` for one too large.
 */
export async function startAudio(
  http: HamsaHttpClient,
  path: string,
  request: HamsaTtsRequest,
  scope: CallScope,
  options: AudioAnswerOptions,
): Promise<StartedAudio> {
  const { speaker } = request;
  const { timeoutMs, readerIdleTimeoutMs, minAudioMs, maxAudioBytes, requireWav } = options;
  const body = await openAudio(http, path, request, scope, timeoutMs, maxAudioBytes);
  const gate = new AudioGate({
    speaker,
    minAudioMs,
    maxAudioBytes,
    requireWav,
    bareFormat: bareStreamFormat(request.mulaw ?? false),
  });
  const reading = { speaker, timeoutMs, readerIdleTimeoutMs, redact: http.redact };
  const reader = new AudioReader(body, scope, gate, reading);
  return { first: await reader.next(), reader };
}

/**
 * Sends one TTS request and resolves with the audio body as a stream once Hamsa answered 2xx
 * with audio; an error answer becomes its typed error. The scope's abort ends the request,
 * and its idle timer bounds the whole attempt, the wait for a free connection included.
 */
async function openAudio(
  http: HamsaHttpClient,
  path: string,
  request: HamsaTtsRequest,
  scope: CallScope,
  timeoutMs: number,
  maxAudioBytes: number,
): Promise<Readable> {
  const { speaker } = request;
  // One budget: a request queued behind `tts.maxSockets` busy ones has its wait counted too.
  let waitingFor: 'connection' | 'answer' = 'connection';
  scope.arm(timeoutMs, () =>
    waitingFor === 'connection'
      ? noConnection(speaker, timeoutMs)
      : silence("Hamsa's answer", speaker, timeoutMs),
  );
  try {
    const response = await http.openStream(path, ttsBody(request), {
      voiceId: speaker,
      accept: 'audio/wav',
      scope,
      onSocket: () => (waitingFor = 'answer'),
    });
    return await audioBody(response, speaker, http.redact, maxAudioBytes);
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
  maxAudioBytes: number,
): Promise<Readable> {
  const status = response.statusCode ?? 0;
  const isJson = /json/i.test(String(response.headers['content-type'] ?? ''));
  if (status >= 200 && status < 300 && !isJson) {
    const length = Number(response.headers['content-length'] ?? 0);
    if (length <= maxAudioBytes) return response;
    response.destroy();
    throw new HamsaMalformedAudioError(
      `Hamsa's answer for speaker ${speaker} announces ${length} bytes, more than ` +
        `tts.maxAudioBytes (${maxAudioBytes}); it was not read`,
      { voiceId: speaker },
    );
  }

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

/** Every `tts.maxSockets` connection stayed busy for `timeoutMs`: the request was never sent. */
function noConnection(speaker: string, timeoutMs: number): HamsaTimeoutError {
  return new HamsaTimeoutError(
    `The TTS request for speaker ${speaker} timed out after ${timeoutMs} ms (requestTimeoutMs) ` +
      'waiting for a free connection (tts.maxSockets): it was not sent',
    { voiceId: speaker, timeoutMs },
  );
}
