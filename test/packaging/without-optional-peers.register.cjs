// `node --require` this file to hide @nestjs/terminus, @nestjs/websockets, @opentelemetry/api and ioredis from require().
const Module = require('node:module');

const OPTIONAL_PEERS = /^(@nestjs\/(terminus|websockets)|@opentelemetry\/api|ioredis)(\/|$)/;
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (OPTIONAL_PEERS.test(request)) {
    const error = new Error(`Cannot find module '${request}' (hidden by the packaging test)`);
    error.code = 'MODULE_NOT_FOUND';
    throw error;
  }
  return resolveFilename.call(this, request, ...rest);
};
