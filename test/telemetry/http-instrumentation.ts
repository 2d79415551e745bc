import { createRequire } from 'node:module';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';

/**
 * `@opentelemetry/instrumentation-http`, with node:http and node:https patched now, as an
 * application's preloaded instrumentation would have them before the library loads.
 *
 * Under jest the instrumentation's require hook never sees a require (jest loads modules
 * itself), so its patches are applied by hand to the real modules here. And jest gives ES
 * modules a copy of a core module's exports, made when the first module graph that imports it is
 * linked: a test file must import this module first, and everything that reaches node:http
 * (the library, the fake server) dynamically, after it.
 */
export const httpInstrumentation = new HttpInstrumentation();

const requireCore = createRequire(import.meta.url);
for (const definition of httpInstrumentation.getModuleDefinitions()) {
  definition.patch?.(requireCore(`node:${definition.name}`), process.versions.node);
}
