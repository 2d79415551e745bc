import { type ServerResponse } from 'node:http';
import {
  BadGatewayException,
  Controller,
  Get,
  type MessageEvent,
  NotFoundException,
  Param,
  Res,
  ServiceUnavailableException,
  Sse,
} from '@nestjs/common';
import { concat, defer, from, map, type Observable } from 'rxjs';
import {
  UnknownVoiceError,
  VoiceNotReadyError,
  VoicePreloadFailedError,
  VoiceReadinessService,
  type VoiceStatus,
} from '../lib/index.js';

/** What `GET /voices` answers. */
export interface VoicesOverview {
  allReady: boolean;
  voices: VoiceStatus[];
}

/** Shows the readiness of the preloaded voices over HTTP. */
@Controller('voices')
export class VoicesController {
  constructor(private readonly readiness: VoiceReadinessService) {}

  /** Every voice's status at this moment. */
  @Get()
  list(): VoicesOverview {
    return {
      allReady: this.readiness.isAllReady(),
      voices: this.readiness.getAllStatuses(),
    };
  }

  /**
   * Server-sent events, one `VoiceStatus` each: every voice's status on connect, then every
   * transition. The stream ends when the app shuts down, and is released when the client leaves.
   */
  @Sse('events')
  events(@Res({ passthrough: true }) response: ServerResponse): Observable<MessageEvent> {
    // Streams end at shutdown, while the server closes: a connection kept alive after its stream
    // would hold app.close() up for the keep-alive timeout (5 s), so it closes with the stream.
    response.once('finish', () => response.req.socket.end());
    // The snapshot is taken when Nest subscribes, in the same tick as changes$: no transition lost.
    const statuses$ = concat(
      defer(() => from(this.readiness.getAllStatuses())),
      this.readiness.changes$,
    );
    return statuses$.pipe(map((status) => ({ data: status })));
  }

  /** Waits up to 10 s for one voice, then answers its status. */
  @Get(':id/ready')
  async ready(@Param('id') voiceId: string): Promise<VoiceStatus | undefined> {
    try {
      await this.readiness.whenReady(voiceId, { timeoutMs: 10_000 });
    } catch (error) {
      throw toHttpException(error);
    }
    return this.readiness.getStatus(voiceId);
  }
}

/** Readiness errors as HTTP answers: unknown 404, not ready (yet) 503, preload failed 502. */
function toHttpException(error: unknown): unknown {
  const options = { cause: error };
  // UnknownVoiceError extends VoiceNotReadyError, so it is tested first.
  if (error instanceof UnknownVoiceError) return new NotFoundException(error.message, options);
  if (error instanceof VoiceNotReadyError) {
    return new ServiceUnavailableException(error.message, options);
  }
  if (error instanceof VoicePreloadFailedError) {
    return new BadGatewayException(error.message, options);
  }
  return error;
}
