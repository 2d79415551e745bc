import { type DynamicModule, Module } from '@nestjs/common';
import { HamsaVoiceModule } from 'nestjs-hamsa';
import { AgentController } from './agent.controller.js';
import { AgentSpeeches } from './agent-speeches.js';
import { type HamsaConnection } from './hamsa-connection.js';

/** The voice-agent sample: `HamsaVoiceModule` (no voices to preload: a built-in speaker) and `/agent`. */
@Module({})
export class AgentModule {
  static forRoot(hamsa: HamsaConnection): DynamicModule {
    return {
      module: AgentModule,
      imports: [
        HamsaVoiceModule.forRoot({ apiKey: hamsa.apiKey, baseUrl: hamsa.baseUrl, voiceIds: [] }),
      ],
      controllers: [AgentController],
      providers: [
        AgentSpeeches,
        // Stops the embedded fake Hamsa (if any) when the application shuts down.
        { provide: 'HAMSA_CONNECTION', useValue: { onApplicationShutdown: () => hamsa.close() } },
      ],
    };
  }
}
