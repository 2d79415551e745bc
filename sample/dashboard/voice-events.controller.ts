import { type ServerResponse } from 'node:http';
import { Controller, type MessageEvent, Res, Sse } from '@nestjs/common';
import { VoiceReadinessService } from 'nestjs-hamsa';
import { concat, defer, from, map, type Observable } from 'rxjs';

/** The voices' states as they change, for the page. */
@Controller('voices')
export class VoiceEventsController {
  constructor(private readonly readiness: VoiceReadinessService) {}

  /**
   * `GET /voices/events`: server-sent events, one `VoiceStatus` each: every voice's status on
   * connect, then every transition. The stream ends when the app shuts down, and is released when
   * the client leaves.
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
}
