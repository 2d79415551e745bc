import { type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import {
  BadGatewayException,
  BadRequestException,
  Body,
  Controller,
  Get,
  HttpCode,
  NotFoundException,
  Post,
  Query,
  Res,
  ServiceUnavailableException,
  StreamableFile,
} from '@nestjs/common';
import {
  HamsaApiError,
  HamsaTtsRequestError,
  HamsaTtsService,
  UnknownVoiceError,
  VoiceNotReadyError,
  VoicePreloadFailedError,
  VoiceReadinessService,
} from '../lib/index.js';
import { SpeakBody, StreamQuery } from './tts.dto.js';

/** Speaks text with Hamsa's real-time TTS: a whole WAV, or a WAV streamed as it is made. */
@Controller('tts')
export class TtsController {
  constructor(
    private readonly tts: HamsaTtsService,
    private readonly readiness: VoiceReadinessService,
  ) {}

  /** `POST /tts {"text": "مرحبا بك"}` → `audio/wav`. */
  @Post()
  @HttpCode(200) // the audio itself: nothing was created
  async speak(@Body() body: SpeakBody): Promise<StreamableFile> {
    const request = { ...body, speaker: body.speaker ?? this.defaultSpeaker() };
    const wav = await this.tts.synthesize(request).catch(raise);
    return new StreamableFile(wav, { type: 'audio/wav', length: wav.length });
  }

  /** `GET /tts/stream?text=…[&speaker=…]` → `audio/wav`, sent as Hamsa speaks; stops if the client leaves. */
  @Get('stream')
  async stream(
    @Query() { text, speaker }: StreamQuery,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<StreamableFile> {
    const controller = new AbortController();
    response.on('close', () => {
      if (!response.writableFinished) controller.abort();
    });
    const chunks = (() => {
      try {
        return this.tts.streamWav(
          { text, speaker: speaker ?? this.defaultSpeaker() },
          { signal: controller.signal },
        );
      } catch (error) {
        return raise(error);
      }
    })();
    // Wait for the first bytes, so that a failure before any audio is an HTTP error, not a cut.
    const iterator = chunks[Symbol.asyncIterator]();
    const first = await iterator.next().catch(raise);
    async function* all(): AsyncGenerator<Buffer> {
      if (!first.done) yield first.value;
      yield* { [Symbol.asyncIterator]: () => iterator };
    }
    return new StreamableFile(Readable.from(all(), { objectMode: false }), { type: 'audio/wav' });
  }

  private defaultSpeaker(): string {
    return this.readiness.getRequiredStatuses()[0]?.voiceId ?? 'Amjad';
  }
}

/**
 * TTS errors as HTTP answers: a bad request 400, an unknown speaker 404, a voice not ready 503,
 * Hamsa's failures 502.
 */
function raise(error: unknown): never {
  const options = { cause: error };
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof HamsaTtsRequestError) throw new BadRequestException(message, options);
  if (error instanceof UnknownVoiceError) throw new NotFoundException(message, options);
  if (error instanceof VoiceNotReadyError) throw new ServiceUnavailableException(message, options);
  if (error instanceof VoicePreloadFailedError || error instanceof HamsaApiError) {
    throw new BadGatewayException(message, options);
  }
  throw error;
}
