import { Controller, Get, Header, NotFoundException, Param, Query, Res } from '@nestjs/common';
import { type ServerResponse } from 'node:http';
import { HamsaTtsService, sendTtsAudio } from 'nestjs-hamsa';
import { speechFrames } from './agent-frames.js';
import { AGENT_PAGE } from './agent.page.js';
import { type AgentReport, AgentSpeeches } from './agent-speeches.js';
import { answerTo, scriptedTokens } from './scripted-llm.js';

/** A built-in Hamsa speaker: nothing to preload. */
const SPEAKER = 'Amjad';

@Controller('agent')
export class AgentController {
  constructor(
    private readonly tts: HamsaTtsService,
    private readonly speeches: AgentSpeeches,
  ) {}

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  page(): string {
    return AGENT_PAGE;
  }

  /**
   * Answers `q` with the scripted LLM, spoken as it is generated: captions and audio frames.
   * The page stops it by aborting its request (barge-in): `sendTtsAudio()` then stops Hamsa.
   */
  @Get('speech')
  async speech(@Query('q') question: string, @Query('id') id: string, @Res() res: ServerResponse) {
    let lastTokenAt: number | undefined;
    const tokens = scriptedTokens(answerTo(question ?? ''), (at) => (lastTokenAt = at));
    const captions: string[] = [];
    await sendTtsAudio(
      res,
      (signal) => {
        const speech = this.tts.speakText(tokens, {
          speaker: SPEAKER,
          signal,
          onSegmentStart: ({ text }) => captions.push(text),
        });
        this.speeches.track(id, speech.report, () => lastTokenAt);
        return speechFrames(speech, captions);
      },
      { contentType: 'application/octet-stream' },
    );
  }

  /** What the speech `id` said: what an agent would write into its conversation history. */
  @Get('report/:id')
  report(@Param('id') id: string): Promise<AgentReport> {
    const report = this.speeches.reportOf(id);
    if (!report) throw new NotFoundException(`No speech ${id}`);
    return report;
  }
}
