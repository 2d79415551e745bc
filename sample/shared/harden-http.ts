import { type IncomingMessage, type ServerResponse } from 'node:http';
import { type NestExpressApplication } from '@nestjs/platform-express';
import { isDeeperThan } from './json-depth.js';

/** Largest JSON body accepted (413 above): a TTS request of 2000 characters is ~12 KB at most. */
const JSON_BODY_LIMIT = '100kb';
/** Deepest JSON body accepted (400 below): the samples' bodies are flat objects. */
const MAX_JSON_DEPTH = 8;

/**
 * What every sample that takes requests does to its HTTP server, before `listen()`: JSON bodies
 * limited in size and depth before any pipe walks them (a nested body is a fast 400, not a 500
 * that holds the event loop), no `X-Powered-By`, and `X-Content-Type-Options: nosniff`.
 * The app must be created with `{ bodyParser: false }`, so that this parser is the only one.
 */
export function hardenHttp(app: NestExpressApplication): void {
  app.disable('x-powered-by');
  app.use((_request: IncomingMessage, response: ServerResponse, next: () => void) => {
    response.setHeader('X-Content-Type-Options', 'nosniff');
    next();
  });
  app.useBodyParser('json', { limit: JSON_BODY_LIMIT });
  app.use(rejectDeepJson);
}

/** Answers 400 to a parsed body nested deeper than `MAX_JSON_DEPTH`. */
function rejectDeepJson(
  request: IncomingMessage & { body?: unknown },
  response: ServerResponse,
  next: () => void,
): void {
  if (!isDeeperThan(request.body, MAX_JSON_DEPTH)) return next();
  response.statusCode = 400;
  response.setHeader('Content-Type', 'application/json; charset=utf-8');
  response.end(
    JSON.stringify({
      statusCode: 400,
      error: 'Bad Request',
      message: `the JSON body is nested deeper than ${MAX_JSON_DEPTH} levels`,
    }),
  );
}
