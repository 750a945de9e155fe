/**
 * What a detector remembers of a device beyond its windows, for behaviours slower than the
 * windows' span: the keys (a failing name, a failed host and port) seen in the last `horizonS`
 * of packet time, at most `maxKeys` a device, the least recently seen dropped first.
 * @module
 */
import { badHistoryEntry, BoundedKeySet, type HistoryEntry } from '../devices/history.js';
import { expectMap, stateError } from '../state/codec.js';

export class RecentKeys {
  readonly #byMac = new Map<string, BoundedKeySet>();
  readonly #horizonS: number;
  readonly #maxKeys: number;

  constructor(horizonS: number, maxKeys: number) {
    this.#horizonS = horizonS;
    this.#maxKeys = maxKeys;
  }

  /** Adds the device's `keys` seen at `now`; its keys seen within the horizon, oldest first. */
  add(mac: string, keys: readonly string[], now: number): string[] {
    let set = this.#byMac.get(mac);
    if (set === undefined) {
      if (keys.length === 0) return [];
      set = new BoundedKeySet(this.#maxKeys);
      this.#byMac.set(mac, set);
    }
    for (const k of keys) set.addIsNew(k, now);
    set.forgetBefore(now - this.#horizonS);
    if (set.size === 0) this.#byMac.delete(mac);
    return set.keys();
  }

  forget(mac: string): void {
    this.#byMac.delete(mac);
  }

  /** Per device, its keys and when last seen, oldest first (for the state file). */
  snapshot(): Map<string, HistoryEntry[]> {
    return new Map([...this.#byMac].map(([mac, set]) => [mac, set.entries()]));
  }

  restore(v: unknown, what: string): void {
    const saved = expectMap(v, what, (x, w): HistoryEntry[] => {
      if (!Array.isArray(x) || badHistoryEntry(x) >= 0)
        throw stateError(`${w} is not a list of [key, time]`);
      return x as HistoryEntry[];
    });
    this.#byMac.clear();
    for (const [mac, entries] of saved) {
      const set = new BoundedKeySet(this.#maxKeys);
      set.load(entries, 0);
      if (set.size > 0) this.#byMac.set(mac, set);
    }
  }
}
