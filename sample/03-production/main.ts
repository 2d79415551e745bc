import { startApp } from '../shared/start-app.js';
import { withTtsRateLimit } from '../02-tts/tts-rate-limit.module.js';
import { AppModule } from './app.module.js';

// On SIGTERM: readiness turns 503, the server keeps answering for SHUTDOWN_DELAY_MS, then it
// closes, the preloads stop and the process exits 0.
await startApp(
  withTtsRateLimit(AppModule),
  'GET /health/live, GET /health/ready, GET /speech, POST /tts',
);
