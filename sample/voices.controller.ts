import {
  BadGatewayException,
  Controller,
  Get,
  NotFoundException,
  Param,
  ServiceUnavailableException,
} from '@nestjs/common';
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
