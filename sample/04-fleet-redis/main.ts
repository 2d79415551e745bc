import { startApp } from '../shared/start-app.js';
import { AppModule } from './app.module.js';

await startApp(AppModule, 'GET /voices, GET /health/ready (shows the Redis coordinator)');
