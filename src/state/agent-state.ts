/**
 * How the agent's state file comes back: the DeviceRegistry (devices, their names and endpoint
 * histories, the gateway) here; the runtime (src/pipeline/runtime.ts) restores its own parts
 * (baselines, open alert episodes, the home's first packet time) from the same file.
 * @module
 */

import { DeviceRegistry } from '../devices/registry.js';
import { LanMatcher } from '../devices/lan.js';
import { HomewatchError } from '../util/errors.js';
import type { AgentState, StateStore } from './state-file.js';

/** Wall-clock seconds between periodic saves (and one at shutdown). */
export const STATE_SAVE_INTERVAL_S = 60;

export interface OpenedRegistry {
  registry: DeviceRegistry;
  warnings: string[];
  restored: number;
  /** The whole saved state the registry came from (null when fresh), for the other parts. */
  state: AgentState | null;
}

/** A registry restored from `store` (or fresh), and the warnings to show. */
export function openRegistry(
  store: StateStore | null,
  lanCidrs: string[],
  maxDevices?: number,
): OpenedRegistry {
  const opts = { lan: new LanMatcher(lanCidrs), maxDevices };
  const warnings: string[] = [];
  const fresh = (): OpenedRegistry => ({
    registry: new DeviceRegistry(opts),
    warnings,
    restored: 0,
    state: null,
  });
  if (store === null) return fresh();
  const loaded = store.load();
  if (loaded.warning) warnings.push(loaded.warning);
  if (loaded.state === null) return fresh();
  try {
    const registry = DeviceRegistry.restore(loaded.state.devices, opts);
    return { registry, warnings, restored: registry.size, state: loaded.state };
  } catch (err) {
    if (!(err instanceof HomewatchError) || err.code !== 'ERR_STATE') throw err;
    warnings.push(store.setAside(`is damaged (${err.message})`));
    return fresh();
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
