import { type HamsaCoordinator } from '../coordination/hamsa-coordinator.interface.js';
import { type HamsaApiKey } from '../gateway/hamsa-api-key.js';
import {
  type HamsaTtsModuleOptions,
  type HamsaVoiceModuleOptions,
  type OnDemandPreloadOptions,
} from './hamsa-voice-options.interface.js';

/**
 * Options after validation, with every default filled in: what the module's providers read
 * (internal; users configure `HamsaVoiceModuleOptions`).
 */
export type ResolvedHamsaVoiceOptions = Required<
  Omit<HamsaVoiceModuleOptions, 'apiKey' | 'voiceIds' | 'tts' | 'onDemandPreload' | 'coordinator'>
> & {
  /**
   * The key, in its one private home (non-enumerable): its value shows in no `util.inspect`,
   * `showHidden` included, nor in `JSON.stringify`.
   */
  apiKey: HamsaApiKey;
  /** The voices, each UUID in lower case (its canonical form), de-duplicated. */
  voiceIds: string[];
  /** Non-enumerable, like `apiKey`: it holds a store's client. */
  coordinator?: HamsaCoordinator;
  tts: Required<HamsaTtsModuleOptions>;
  /** `false`: on-demand preloading is off. */
  onDemandPreload: Required<OnDemandPreloadOptions> | false;
};
