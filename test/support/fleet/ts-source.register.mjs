// `node --import` this file to run a TypeScript file of this repository in a child process, as
// jest runs the tests: see `ts-hooks.mjs`.
import { register } from 'node:module';

register('./ts-source.hooks.mjs', import.meta.url);
