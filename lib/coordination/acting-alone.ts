import { type HamsaCoordinator, type PreloadLease } from './hamsa-coordinator.interface.js';

/** A lease outside any store: this replica preloads the voice itself, sharing nothing. */
export const OWN_LEASE: PreloadLease = { settle: () => Promise.resolve() };

/**
 * The coordinator of a replica configured without one: every request may go at once, every
 * preload is its own, every refresh is due.
 */
export const ACTING_ALONE: HamsaCoordinator = {
  state: 'connected',
  takeToken: () => Promise.resolve(),
  claimPreload: () => Promise.resolve(OWN_LEASE),
  claimRefresh: () => Promise.resolve(true),
  close: () => Promise.resolve(),
};
