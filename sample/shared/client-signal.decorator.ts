import { type ServerResponse } from 'node:http';
import { createParamDecorator, type ExecutionContext, HttpException } from '@nestjs/common';

/** nginx's status for a request whose client left before the answer: nobody reads it. */
const CLIENT_CLOSED_REQUEST = 499;

/**
 * An `AbortSignal` that aborts when the HTTP client disconnects before its response was sent:
 * give it to a Hamsa call, so that a client that leaves stops the call (and its billing).
 *
 * It listens to the response's `'close'`, not the request's: Node closes the request as soon as
 * its body has been read.
 */
export const ClientSignal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AbortSignal => {
    const response = context.switchToHttp().getResponse<ServerResponse>();
    const controller = new AbortController();
    response.once('close', () => {
      if (response.writableFinished) return;
      // An HttpException: Nest answers it (to no one) without logging an error.
      controller.abort(new HttpException('The client closed the request', CLIENT_CLOSED_REQUEST));
    });
    return controller.signal;
  },
);
