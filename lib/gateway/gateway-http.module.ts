import { HttpModule } from '@nestjs/axios';

/**
 * The `HttpModule` that gives `HamsaHttpClient` its `HttpService`: an axios instance of the
 * module's own (not the app's: its interceptors and defaults would see every preload). Each request
 * carries its config (base URL, key, agents), so the instance holds no key.
 */
export const GATEWAY_HTTP_MODULE = HttpModule.register({});
