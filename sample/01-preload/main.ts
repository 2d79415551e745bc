import { startApp } from '../shared/start-app.js';
import { AppModule } from './app.module.js';

// With waitForReady: true, the port opens once every voice is preloaded.
await startApp(AppModule, 'GET /voices, GET /voices/:id/ready');
