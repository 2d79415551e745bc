import { Readable } from 'node:stream';
import {
  Body,
  Controller,
  Get,
  HttpCode,
  Post,
  Query,
  StreamableFile,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { HamsaTtsService, VoiceReadinessService } from 'nestjs-hamsa';
import { ClientSignal } from '../shared/client-signal.decorator.js';
import { HamsaExceptionFilter } from '../shared/hamsa-exception.filter.js';
import { TtsConcurrencyGuard } from './tts-concurrency.guard.js';
import { SpeakBody, StreamQuery } from './tts.dto.js';

/**
 * Speaks text with Hamsa's real-time TTS: a whole WAV, or a WAV streamed as it is made. Each call
 * is billed: the routes are bounded in concurrency (and rate-limited per client by
 * `withTtsRateLimit()`), and a client that leaves stops its Hamsa call.
 */
@Controller('tts')
@UseGuards(TtsConcurrencyGuard)
@UseFilters(HamsaExceptionFilter)
export class TtsController {
  constructor(
    private readonly tts: HamsaTtsService,
    private readonly readiness: VoiceReadinessService,
  ) {}

  /** `POST /tts {"text": "مرحبا بك"}` → `audio/wav`. */
  @Post()
  @HttpCode(200) // the audio itself: nothing was created
  async speak(
    @Body() body: SpeakBody,
    @ClientSignal() signal: AbortSignal,
  ): Promise<StreamableFile> {
    const request = { ...body, speaker: body.speaker ?? this.defaultSpeaker() };
    const wav = await this.tts.synthesize(request, { signal });
    return new StreamableFile(wav, { type: 'audio/wav', length: wav.length });
  }

  /** `GET /tts/stream?text=…[&speaker=…]` → `audio/wav`, sent as Hamsa speaks it. */
  @Get('stream')
  async stream(
    @Query() { text, speaker }: StreamQuery,
    @ClientSignal() signal: AbortSignal,
  ): Promise<StreamableFile> {
    const request = { text, speaker: speaker ?? this.defaultSpeaker() };
    const chunks = this.tts.streamWav(request, { signal })[Symbol.asyncIterator]();
    // Waits for the first bytes, so that a failure before any audio is an HTTP error, not a cut.
    const first = await chunks.next();
    async function* audio(): AsyncGenerator<Buffer> {
      if (!first.done) yield first.value;
      for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value;
    }
    return new StreamableFile(Readable.from(audio()), { type: 'audio/wav' });
  }

  private defaultSpeaker(): string {
    return this.readiness.getRequiredStatuses()[0]?.voiceId ?? 'Amjad';
  }
}
