import {
  type CanActivate,
  type ExecutionContext,
  Injectable,
  ServiceUnavailableException,
} from '@nestjs/common';
import { HttpAdapterHost, Reflector } from '@nestjs/core';
import { VoiceReadinessService } from '../readiness/voice-readiness.service.js';
import { voiceStates } from '../readiness/voice-states.js';
import { type VoiceStates } from '../voice/voice-status.interface.js';
import {
  DEFAULT_RETRY_AFTER_SECONDS,
  mergeRequirements,
  REQUIRED_VOICES_METADATA,
  type VoiceRequirement,
} from './voice-requirement.js';

/** What a rejected call receives: the 503 body over HTTP, the `WsException` error on a gateway. */
export interface VoicesNotReadyBody {
  statusCode: 503;
  error: 'Service Unavailable';
  message: string;
  /** State of every required voice; `unknown` for one the module was never asked to preload. */
  voices: VoiceStates;
  retryAfterSeconds: number;
}

/**
 * Rejects calls to handlers marked with `@RequireVoices()` while their voices are not ready:
 * HTTP 503 with `Retry-After` and a `VoicesNotReadyBody`, or a `WsException` carrying that body
 * in WebSocket gateways (`@nestjs/websockets` is loaded only then). Handlers without the
 * decorator pass, so it may also be registered globally as `APP_GUARD`.
 *
 * It needs `VoiceReadinessService`: use it in modules that import `HamsaVoiceModule` (or make
 * that module global).
 */
@Injectable()
export class VoiceReadinessGuard implements CanActivate {
  constructor(
    private readonly readiness: VoiceReadinessService,
    private readonly reflector: Reflector,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const requirement = mergeRequirements(
      this.reflector.get<VoiceRequirement | undefined>(
        REQUIRED_VOICES_METADATA,
        context.getHandler(),
      ),
      this.reflector.get<VoiceRequirement | undefined>(
        REQUIRED_VOICES_METADATA,
        context.getClass(),
      ),
    );
    if (!requirement) return true;
    const voiceIds = requirement.voiceIds.length
      ? requirement.voiceIds
      : this.readiness.getRequiredStatuses().map((status) => status.voiceId);
    if (this.allReady(voiceIds)) return true;
    if (requirement.waitMs) {
      await this.waitFor(voiceIds, requirement.waitMs);
      if (this.allReady(voiceIds)) return true;
    }
    throw await this.rejection(context, voiceIds, requirement);
  }

  private allReady(voiceIds: string[]): boolean {
    return voiceIds.every((voiceId) => this.readiness.isReady(voiceId));
  }

  /** Waits until every voice is ready, one fails, or `waitMs` passes; never throws. */
  private async waitFor(voiceIds: string[], waitMs: number): Promise<void> {
    // A failed or unknown voice does not become ready by waiting: answer at once.
    const hopeless = voiceIds.some((voiceId) => {
      const state = this.readiness.getStatus(voiceId)?.state;
      // A built-in speaker's name has no state, and is ready.
      return !this.readiness.isReady(voiceId) && (state === undefined || state === 'failed');
    });
    if (hopeless) return;
    const stopWaiting = new AbortController();
    const options = { timeoutMs: waitMs, signal: stopWaiting.signal };
    try {
      await Promise.all(voiceIds.map((voiceId) => this.readiness.whenReady(voiceId, options)));
    } catch {
      // A voice failed, or the time is up, or shutdown began: the states tell the caller.
    } finally {
      stopWaiting.abort(); // ends the other waits and their timers
    }
  }

  private async rejection(
    context: ExecutionContext,
    voiceIds: string[],
    requirement: VoiceRequirement,
  ): Promise<Error> {
    const body = this.body(voiceIds, requirement);
    if (context.getType() === 'ws') {
      // Loaded here only: gateways exist only where @nestjs/websockets is installed.
      const { WsException } = await import('@nestjs/websockets');
      return new WsException(body);
    }
    if (context.getType() === 'http') {
      const response: unknown = context.switchToHttp().getResponse();
      this.adapterHost.httpAdapter?.setHeader(
        response,
        'Retry-After',
        String(body.retryAfterSeconds),
      );
    }
    return new ServiceUnavailableException(body);
  }

  private body(voiceIds: string[], requirement: VoiceRequirement): VoicesNotReadyBody {
    const voices = voiceStates(this.readiness, voiceIds);
    const notReady = Object.entries(voices)
      .filter(([, state]) => state !== 'ready')
      .map(([voiceId, state]) => `${voiceId} (${state})`);
    return {
      statusCode: 503,
      error: 'Service Unavailable',
      message: `Hamsa voices not ready: ${notReady.join(', ')}`,
      voices,
      retryAfterSeconds: requirement.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS,
    };
  }
}
