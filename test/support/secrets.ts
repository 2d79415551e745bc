import { inspect } from 'node:util';
import { HamsaPreloadError } from '../../lib/index.js';
import { type HamsaTestApp } from './hamsa-app.js';

/** Every form in which an error could reach a log, a response or an error tracker. */
export function errorSerialisations(error: unknown): string[] {
  const forms = [JSON.stringify(error) ?? '', inspect(error, { depth: Infinity }), String(error)];
  if (error instanceof Error) {
    forms.push(error.stack ?? '');
    if (error.cause !== undefined) forms.push(...errorSerialisations(error.cause));
  }
  if (error instanceof HamsaPreloadError) {
    forms.push(...error.failures.flatMap(({ error: cause }) => errorSerialisations(cause)));
  }
  return forms;
}

/**
 * Everything the library produced in one app: the errors it threw, every log line (all
 * contexts and levels), the statuses and the readiness service itself, each serialised.
 */
export function serialisations(app: HamsaTestApp, ...errors: unknown[]): string[] {
  return [
    ...errors.flatMap(errorSerialisations),
    JSON.stringify(app.readiness.getAllStatuses()),
    inspect(app.readiness.getAllStatuses(), { depth: Infinity }),
    inspect(app.readiness, { depth: Infinity }),
    ...app.logger.lines.map((line) => `${line.level} ${line.context ?? ''} ${line.message}`),
  ];
}

/** The serialisations that contain `secret`, with a hint of where: empty when it leaked nowhere. */
export function leaksOf(secret: string, texts: string[]): string[] {
  return texts.filter((text) => text.includes(secret)).map((text) => text.slice(0, 300));
}
