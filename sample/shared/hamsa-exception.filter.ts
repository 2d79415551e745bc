import { type ServerResponse } from 'node:http';
import {
  type ArgumentsHost,
  BadGatewayException,
  BadRequestException,
  Catch,
  type ExceptionFilter,
  GatewayTimeoutException,
  type HttpException,
  NotFoundException,
  ServiceUnavailableException,
} from '@nestjs/common';
import {
  HamsaError,
  HamsaTimeoutError,
  HamsaTtsRequestError,
  UnknownVoiceError,
  VoiceNotReadyError,
} from 'nestjs-hamsa';

/** What a 503 tells the client to wait before trying again, in seconds. */
const RETRY_AFTER_SECONDS = 5;

/**
 * nestjs-hamsa's errors as HTTP answers: a bad request 400, an unknown voice 404, a voice not ready
 * (yet) 503 with `Retry-After`, a timeout 504, any other Hamsa failure 502.
 */
export function toHttpException(error: HamsaError): HttpException {
  const options = { cause: error };
  // UnknownVoiceError extends VoiceNotReadyError, so it is tested first.
  if (error instanceof HamsaTtsRequestError) return new BadRequestException(error.message, options);
  if (error instanceof UnknownVoiceError) return new NotFoundException(error.message, options);
  if (error instanceof VoiceNotReadyError) {
    return new ServiceUnavailableException(error.message, options);
  }
  if (error instanceof HamsaTimeoutError)
    return new GatewayTimeoutException(error.message, options);
  return new BadGatewayException(error.message, options);
}

/** Answers every `HamsaError` a route throws with `toHttpException()`'s status. */
@Catch(HamsaError)
export class HamsaExceptionFilter implements ExceptionFilter<HamsaError> {
  catch(error: HamsaError, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<ServerResponse>();
    // Audio already on its way (a stream cut mid-way), or nobody left to answer.
    if (response.headersSent || response.destroyed) return void response.destroy();
    const exception = toHttpException(error);
    if (exception.getStatus() === 503) response.setHeader('Retry-After', RETRY_AFTER_SECONDS);
    response.statusCode = exception.getStatus();
    response.setHeader('Content-Type', 'application/json; charset=utf-8');
    response.end(JSON.stringify(exception.getResponse()));
  }
}
