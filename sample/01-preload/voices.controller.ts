import { Controller, Get, Param, UseFilters } from '@nestjs/common';
import { VoiceReadinessService, type VoiceStatus } from 'nestjs-hamsa';
import { HamsaExceptionFilter } from '../shared/hamsa-exception.filter.js';

/** What `GET /voices` answers. */
export interface VoicesOverview {
  allReady: boolean;
  voices: VoiceStatus[];
}

/** The readiness of the preloaded voices over HTTP. */
@Controller('voices')
@UseFilters(HamsaExceptionFilter)
export class VoicesController {
  constructor(private readonly readiness: VoiceReadinessService) {}

  /** `GET /voices` → every voice's status at this moment. */
  @Get()
  list(): VoicesOverview {
    return { allReady: this.readiness.isAllReady(), voices: this.readiness.getAllStatuses() };
  }

  /** `GET /voices/:id/ready` → waits up to 10 s for one voice: 200, or 404 / 503 / 502. */
  @Get(':id/ready')
  async ready(@Param('id') voiceId: string): Promise<VoiceStatus | undefined> {
    await this.readiness.whenReady(voiceId, { timeoutMs: 10_000 });
    return this.readiness.getStatus(voiceId);
  }
}
