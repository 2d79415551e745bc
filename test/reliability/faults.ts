import {
  HamsaApiError,
  HamsaAuthenticationError,
  HamsaBadRequestError,
  HamsaConnectionError,
  type HamsaError,
  type HamsaVoiceModuleOptions,
  HamsaQuotaExceededError,
  HamsaRateLimitError,
  HamsaServerError,
  HamsaTimeoutError,
  HamsaVoiceNotFoundError,
} from '../../lib/index.js';
import { type FakePreloadStep } from '../../lib/testing/index.js';

/** The API key of every reliability test: distinctive, so that a leak cannot hide. */
export const SECRET_KEY = 'hamsa-live-5ecr3t-reliability-key';

/** One way a preload can go wrong, and what the library must make of it. */
export interface Fault {
  name: string;
  /** What the fake server plays for every attempt; `'refused'` points the app at a closed port. */
  step: FakePreloadStep | 'refused' | (() => FakePreloadStep);
  /** The error the voice fails with; absent for a fault the library deliberately tolerates. */
  error?: new (...args: never[]) => HamsaError;
  /** `VoiceStatus.error.status`, when Hamsa answered. */
  status?: number;
  retryable: boolean;
  /** Options this fault needs on top of the matrix's. */
  options?: Partial<HamsaVoiceModuleOptions>;
}

/** An error body that echoes the key, as a careless proxy or upstream might. */
function echoing(status: number, message: string, headers?: Record<string, string>) {
  const body = { success: false, message: `${message} (Authorization: Token ${SECRET_KEY})` };
  return { status, body, headers } satisfies FakePreloadStep;
}

/** Every fault of issue 4's matrix (and a plain reset, for good measure). */
export const FAULTS: Fault[] = (
  [
    { name: '400', step: echoing(400, 'Invalid voice ID format'), error: HamsaBadRequestError },
    { name: '401', step: echoing(401, 'Invalid API key'), error: HamsaAuthenticationError },
    { name: '403', step: echoing(403, 'Forbidden'), error: HamsaAuthenticationError },
    { name: '402', step: echoing(402, 'Payment required'), error: HamsaQuotaExceededError },
    { name: '404', step: echoing(404, 'Voice not found'), error: HamsaVoiceNotFoundError },
    { name: '408', step: echoing(408, 'Request timeout'), error: HamsaApiError, retryable: true },
    { name: '409', step: echoing(409, 'Conflict'), error: HamsaApiError },
    {
      name: '429 Retry-After: 1 (seconds)',
      step: echoing(429, 'Too many requests', { 'Retry-After': '1' }),
      error: HamsaRateLimitError,
      retryable: true,
    },
    {
      name: '429 Retry-After as an HTTP date',
      // Made when the cell starts; later attempts see the date past, so only one wait is long.
      step: () =>
        echoing(429, 'Too many requests', {
          'Retry-After': new Date(Date.now() + 1_000).toUTCString(),
        }),
      error: HamsaRateLimitError,
      status: 429,
      retryable: true,
    },
    {
      name: '429 retry-after-ms',
      step: echoing(429, 'Too many requests', { 'retry-after-ms': '150' }),
      error: HamsaRateLimitError,
      retryable: true,
    },
    {
      name: '429 "usage limit" (quota)',
      step: echoing(429, 'Monthly usage limit reached'),
      error: HamsaQuotaExceededError,
    },
    ...[500, 502, 503, 504].map((status) => ({
      name: String(status),
      step: echoing(status, 'Upstream failure'),
      error: HamsaServerError,
      retryable: true,
    })),
    { name: '200 {"success": false}', step: echoing(200, 'Nope'), error: HamsaApiError },
    // Tolerated on purpose (see errorFromResponse): only `success: false` fails a 2xx.
    { name: '200 with a non-JSON body', step: { malformed: true } },
    { name: 'connection refused', step: 'refused', error: HamsaConnectionError, retryable: true },
    {
      name: 'reset before answering',
      step: { reset: true },
      error: HamsaConnectionError,
      retryable: true,
    },
    {
      name: 'reset mid-response',
      step: { resetMidBody: true },
      error: HamsaConnectionError,
      retryable: true,
    },
    {
      name: 'accepts and never answers',
      step: { hang: true },
      error: HamsaTimeoutError,
      retryable: true,
    },
    {
      name: 'body trickles slower than the timeout',
      step: { trickle: true, intervalMs: 50 },
      error: HamsaTimeoutError,
      retryable: true,
    },
    {
      name: '10 MB body',
      step: { oversized: true },
      error: HamsaApiError,
      status: 200,
      // Reading the first megabyte must not race the attempt's timeout on a busy machine.
      options: { requestTimeoutMs: 2_000 },
    },
  ] satisfies (Omit<Fault, 'retryable'> & { retryable?: boolean })[]
).map((fault) => ({
  retryable: false,
  status: typeof fault.step === 'object' && 'status' in fault.step ? fault.step.status : undefined,
  ...fault,
}));
