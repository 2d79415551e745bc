import {
  HamsaApiError,
  HamsaAuthenticationError,
  HamsaBadRequestError,
  type HamsaApiErrorDetails,
  HamsaQuotaExceededError,
  HamsaRateLimitError,
  HamsaServerError,
  HamsaVoiceNotFoundError,
} from '../errors/hamsa-api.error.js';
import { HamsaEndpointNotFoundError } from '../errors/hamsa-endpoint-not-found.error.js';
import { parseRetryAfterMs } from './retry-after.js';

/** What the errors are read from: an axios response, or a `node:http` answer with its text. */
export interface HamsaAnswer {
  status: number;
  headers: Record<string, unknown>;
  /** The body's text (only a string is parsed). */
  data: unknown;
  /** The URL that answered, named by the error of a wrong endpoint (404/405 not from Hamsa). */
  url?: string;
}

/** The fields Hamsa's error bodies carry, when they are JSON (they are not always). */
interface HamsaResponseBody {
  success?: unknown;
  message?: unknown;
  messageKey?: unknown;
}

const MAX_QUOTED_TEXT = 200;

/**
 * The typed error a Hamsa answer stands for, or `undefined` when it is a success
 * (2xx whose body does not say `success: false`). Bodies are parsed tolerantly: JSON with
 * `message`/`messageKey`, or plain text from a proxy.
 */
export function errorFromResponse(
  response: HamsaAnswer,
  voiceId: string | undefined,
  redact: (text: string) => string,
): HamsaApiError | undefined {
  const { status } = response;
  const text = typeof response.data === 'string' ? response.data : '';
  const body = parseJson(text);
  const isSuccess = status >= 200 && status < 300 && body?.success !== false;
  if (isSuccess) return undefined;

  if ((status === 404 || status === 405) && !isEnvelope(body)) {
    return endpointNotFound(response, redact(text), voiceId, redact);
  }
  // Redacted whole before it is cut: a key across the cut would leave its first part behind.
  const serverMessage = typeof body?.message === 'string' ? body.message : quote(redact(text));
  const requestId = response.headers['x-request-id'];
  const details: HamsaApiErrorDetails = {
    status,
    voiceId,
    message: redact(
      `Hamsa answered ${status}${voiceId ? ` for voice ${voiceId}` : ''}: ${serverMessage || 'no message'}`,
    ),
    messageKey: typeof body?.messageKey === 'string' ? redact(body.messageKey) : undefined,
    requestId: typeof requestId === 'string' ? redact(requestId) : undefined,
  };
  return errorForStatus(details, response, serverMessage);
}

function errorForStatus(
  details: HamsaApiErrorDetails,
  response: HamsaAnswer,
  serverMessage: string,
): HamsaApiError {
  const { status } = details;
  if (status === 400) return new HamsaBadRequestError(details);
  if (status === 401 || status === 403) return new HamsaAuthenticationError(details);
  if (status === 404) return new HamsaVoiceNotFoundError(details);
  if (status === 402) return new HamsaQuotaExceededError(details);
  if (status === 429) {
    return /usage limit/i.test(serverMessage)
      ? new HamsaQuotaExceededError(details)
      : new HamsaRateLimitError(details, parseRetryAfterMs(response.headers));
  }
  if (status >= 500) return new HamsaServerError(details);
  // 408 Request Timeout: the server gave up waiting, so the request can be sent again.
  return new HamsaApiError(details, status === 408);
}

/** Whether a parsed body is Hamsa's JSON envelope (`{ success, message, messageKey }`). */
function isEnvelope(body: HamsaResponseBody | undefined): boolean {
  return body !== undefined && ('success' in body || 'message' in body || 'messageKey' in body);
}

/**
 * A 404/405 that Hamsa's API did not send (Express' `Cannot POST …`, an HTML page, an empty
 * body): `baseUrl` points elsewhere, and every voice would fail the same way.
 */
function endpointNotFound(
  response: HamsaAnswer,
  text: string,
  voiceId: string | undefined,
  redact: (text: string) => string,
): HamsaEndpointNotFoundError {
  const { status, url } = response;
  const message =
    `${url ?? 'Hamsa'} answered ${status} with ${describeBody(text)}, not Hamsa's JSON: no Hamsa API ` +
    "there, check baseUrl (Hamsa's is https://api.tryhamsa.com)";
  return new HamsaEndpointNotFoundError({ status, voiceId, message: redact(message) });
}

/** A body in words: `an empty body`, or its visible text quoted (tags of an HTML page left out). */
function describeBody(text: string): string {
  const isHtml = text.trimStart().startsWith('<');
  // Only the start is read: a page of megabytes says what it is in its first lines.
  const visible = text
    .slice(0, 4096)
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (visible === '') return isHtml ? 'an HTML page' : 'an empty body';
  return `${isHtml ? 'an HTML page ' : ''}"${quote(visible)}"`;
}

function parseJson(text: string): HamsaResponseBody | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null
      ? (parsed as HamsaResponseBody)
      : undefined;
  } catch {
    return undefined;
  }
}

function quote(text: string): string {
  const trimmed = text.trim();
  return trimmed.length > MAX_QUOTED_TEXT ? `${trimmed.slice(0, MAX_QUOTED_TEXT)}…` : trimmed;
}
