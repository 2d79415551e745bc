import { type FactoryProvider, ValidationPipe } from '@nestjs/common';
import { APP_PIPE } from '@nestjs/core';

/**
 * The sample's `ValidationPipe`, registered as `APP_PIPE` so that every way of starting
 * `AppModule` (`main.ts`, the tests' `createNestApplication()`) checks bodies and queries against
 * their DTO classes (`tts.dto.ts`): a broken rule answers 400 naming the field, never 500.
 */
export const validationProvider: FactoryProvider<ValidationPipe> = {
  provide: APP_PIPE,
  useFactory: () =>
    new ValidationPipe({
      // A misspelt field ("speeker") is refused, not silently dropped for the default voice.
      whitelist: true,
      forbidNonWhitelisted: true,
      // One message per field: the first rule it breaks ("text is required", not four lines).
      stopAtFirstError: true,
      transform: true,
    }),
};
