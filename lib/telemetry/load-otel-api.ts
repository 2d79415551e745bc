import type * as OtelApi from '@opentelemetry/api';

/** The OpenTelemetry API module, as the optional peer `@opentelemetry/api` exports it. */
export type OtelApiModule = typeof OtelApi;

/**
 * Loads `@opentelemetry/api` when the application installed it, or resolves `undefined`: it is
 * an optional peer, and without it the module records nothing at no cost.
 */
export async function loadOtelApi(): Promise<OtelApiModule | undefined> {
  try {
    return await import('@opentelemetry/api');
  } catch {
    return undefined;
  }
}
