import { type ServerResponse } from 'node:http';
import { pipeline } from 'node:stream';
import { Controller, type DynamicModule, Get, Module, Query, Res } from '@nestjs/common';
import {
  HamsaTtsService,
  HamsaVoiceModule,
  type HamsaVoiceModuleOptions,
} from '../../lib/index.js';

/** `GET /tts/stream?text=…&speaker=…`: the audio piped into the response as Hamsa sends it. */
@Controller('tts')
class TtsStreamController {
  constructor(private readonly tts: HamsaTtsService) {}

  @Get('stream')
  stream(
    @Query('text') text: string,
    @Query('speaker') speaker: string,
    @Res() response: ServerResponse,
  ): void {
    response.setHeader('content-type', 'audio/wav');
    // pipeline() destroys the response when the call fails (e.g. ended at shutdown), which
    // closes its connection: pipe() would leave it open and hold the HTTP server's close.
    pipeline(this.tts.streamReadable({ text, speaker }), response, () => undefined);
  }
}

/** A module serving TTS streams over HTTP, as an application using the library would. */
@Module({})
export class TtsStreamAppModule {
  static with(options: HamsaVoiceModuleOptions): DynamicModule {
    return {
      module: TtsStreamAppModule,
      imports: [HamsaVoiceModule.forRoot(options)],
      controllers: [TtsStreamController],
    };
  }
}
