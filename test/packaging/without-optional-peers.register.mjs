// `node --import` this file to hide @nestjs/terminus and @nestjs/websockets from ESM imports.
import { register } from 'node:module';

register('./without-optional-peers.hooks.mjs', import.meta.url);
