import { startApp } from '../shared/start-app.js';
import { withTtsRateLimit } from './tts-rate-limit.module.js';
import { AppModule } from './app.module.js';

await startApp(withTtsRateLimit(AppModule), 'POST /tts {"text": "…"}, GET /tts/stream?text=…');
