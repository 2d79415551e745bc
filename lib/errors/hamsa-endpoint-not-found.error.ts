import { HamsaApiError } from './hamsa-api.error.js';

/**
 * 404 or 405 from something that is not Hamsa's API: the body is no Hamsa JSON envelope (Express'
 * `Cannot POST …`, an HTML page, nothing), so `baseUrl` points at the wrong server or path. Every
 * voice would fail the same way, so preloads in flight stop. Never retried.
 */
export class HamsaEndpointNotFoundError extends HamsaApiError {}
