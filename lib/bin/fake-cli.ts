#!/usr/bin/env node
// `npx nestjs-hamsa-fake`: the fake Hamsa server on its own, for a local dev loop without a key.
import { runFakeCli } from './fake-cli-run.js';

void runFakeCli(process.argv.slice(2)).then((code) => {
  // Not process.exit(): once the server has closed nothing is left, and the process ends by itself.
  process.exitCode = code;
});
