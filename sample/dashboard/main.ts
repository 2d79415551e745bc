import { startApp } from '../shared/start-app.js';
import { withTtsRateLimit } from '../02-tts/tts-rate-limit.module.js';
import { AppModule } from './app.module.js';

await startApp(withTtsRateLimit(AppModule), 'open it in a browser (also GET /voices, POST /tts)');
