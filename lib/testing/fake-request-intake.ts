import { type IncomingMessage, type ServerResponse } from 'node:http';
import { HAMSA_ENDPOINTS } from '../gateway/hamsa-endpoints.js';
import { readBodyWithin } from './fake-request-body.js';
import { refuseFakeRequest } from './fake-response.js';

/** What the fake server's intake of HTTP requests needs to know and to call. */
export interface FakeIntake {
  apiKey: string;
  maxBodyBytes: number;
  /** Records a request answered without its body. */
  recordWithoutBody(req: IncomingMessage): void;
  /** Answers a request to a Hamsa endpoint, with the right key, once its body has been read. */
  answer(req: IncomingMessage, res: ServerResponse, body: string): void;
}

/**
 * Takes an HTTP request in, so that no client without the key, and no body over the limit, costs
 * the fake memory: a path or method that is not Hamsa's (404, 405) and a wrong key (401) are
 * answered before the body is read, a body over `maxBodyBytes` is answered 413 as soon as it is
 * known to be; each of them is recorded without a body. Any other request is read and answered.
 */
export function takeFakeRequest(
  intake: FakeIntake,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  const refusal = refusalOf(req, intake.apiKey);
  if (refusal) {
    intake.recordWithoutBody(req);
    return refuseFakeRequest(req, res, refusal.status, refusal.body);
  }
  readBodyWithin(
    req,
    intake.maxBodyBytes,
    (body) => intake.answer(req, res, body),
    () => {
      intake.recordWithoutBody(req);
      refuseFakeRequest(req, res, 413);
    },
  );
}

/** Whether a path (without query) is one of the REST TTS endpoints. */
export function isTtsPath(path: string): boolean {
  return path === HAMSA_ENDPOINTS.tts || path === HAMSA_ENDPOINTS.ttsStream;
}

/** The answer a request gets before its body is read, or `undefined` when its body is to be read. */
function refusalOf(
  req: IncomingMessage,
  apiKey: string,
): { status: number; body?: unknown } | undefined {
  const path = req.url?.split('?')[0] ?? '';
  if (isTtsPath(path)) {
    if (req.method !== 'POST') return { status: 405, body: { success: false } };
  } else if (req.method !== 'POST' || path !== HAMSA_ENDPOINTS.preload) {
    return { status: 404, body: { success: false, message: 'Not found' } };
  }
  if (req.headers.authorization !== `Token ${apiKey}`) return { status: 401 };
  return undefined;
}
