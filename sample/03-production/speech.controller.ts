import { Controller, Get } from '@nestjs/common';
import { RequireVoices, VoiceReadinessService } from 'nestjs-hamsa';

/**
 * Where real-time TTS routes go: `@RequireVoices()` without IDs requires every configured voice,
 * holding a request up to 2 s for voices still loading, then answering 503 with `Retry-After`.
 */
@RequireVoices({ waitMs: 2_000 })
@Controller('speech')
export class SpeechController {
  constructor(private readonly readiness: VoiceReadinessService) {}

  /** Reached only when every voice is ready. */
  @Get()
  voices(): { voiceIds: string[] } {
    return { voiceIds: this.readiness.getAllStatuses().map((status) => status.voiceId) };
  }
}
