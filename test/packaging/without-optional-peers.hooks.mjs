// Module hooks that make the optional peers unresolvable, as in an app that never installed them.
const OPTIONAL_PEERS = /^(@nestjs\/(terminus|websockets)|@opentelemetry\/api|ioredis)(\/|$)/;

export async function resolve(specifier, context, nextResolve) {
  if (OPTIONAL_PEERS.test(specifier)) {
    const error = new Error(`Cannot find package '${specifier}' (hidden by the packaging test)`);
    error.code = 'ERR_MODULE_NOT_FOUND';
    throw error;
  }
  return nextResolve(specifier, context);
}
