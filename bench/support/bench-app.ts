import 'reflect-metadata';
import { type INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { HamsaVoiceModule, type HamsaVoiceModuleOptions } from '../../lib/index.js';

/**
 * Creates, without starting, the Nest HTTP application a user would have: with
 * `HamsaVoiceModule.forRoot(hamsa)` when given, otherwise the same app without the module.
 * Logging is off, so that no bench pays for console output.
 */
export function createBenchApp(hamsa?: HamsaVoiceModuleOptions): Promise<INestApplication> {
  @Module({ imports: hamsa ? [HamsaVoiceModule.forRoot(hamsa)] : [] })
  class BenchAppModule {}
  return NestFactory.create(BenchAppModule, { logger: false });
}
