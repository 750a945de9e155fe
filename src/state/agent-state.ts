/**
 * Which parts of the agent go into the state file, and how they come back. Today: the
 * DeviceRegistry (devices, their names and endpoint histories, the gateway). Baselines and alert
 * episodes will be further keys of the same file, each restored by its own stage.
 * @module
 */

import { DeviceRegistry } from '../devices/registry.js';
import { LanMatcher } from '../devices/lan.js';
import { HomewatchError } from '../util/errors.js';
import type { StateStore } from './state-file.js';

/** Wall-clock seconds between periodic saves (and one at shutdown). */
export const STATE_SAVE_INTERVAL_S = 60;

/** A registry restored from `store` (or fresh), and the warnings to show. */
export function openRegistry(
  store: StateStore | null,
  lanCidrs: string[],
  maxDevices?: number,
): { registry: DeviceRegistry; warnings: string[]; restored: number } {
  const opts = { lan: new LanMatcher(lanCidrs), maxDevices };
  const warnings: string[] = [];
  if (store === null) return { registry: new DeviceRegistry(opts), warnings, restored: 0 };
  const loaded = store.load();
  if (loaded.warning) warnings.push(loaded.warning);
  if (loaded.state === null) return { registry: new DeviceRegistry(opts), warnings, restored: 0 };
  try {
    const registry = DeviceRegistry.restore(loaded.state.devices, opts);
    return { registry, warnings, restored: registry.size };
  } catch (err) {
    if (!(err instanceof HomewatchError) || err.code !== 'ERR_STATE') throw err;
    warnings.push(store.setAside(`is damaged (${err.message})`));
    return { registry: new DeviceRegistry(opts), warnings, restored: 0 };
  }
}

/** The parts to save now. */
export function stateParts(registry: DeviceRegistry): { devices: unknown } {
  return { devices: registry.snapshot() };
}

/** Saves asynchronously (periodic saves). */
export function saveState(store: StateStore, registry: DeviceRegistry): Promise<void> {
  return store.save(stateParts(registry), Date.now() / 1000);
}
