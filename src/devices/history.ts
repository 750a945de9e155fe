/**
 * A device's small, bounded memory of what it has done: DNS names it queried and remote
 * endpoints it reached. Features ask "has this device done this before?" and state persistence
 * saves it across restarts.
 * @module
 */

/** One saved entry: key and the packet time it was last added. */
export type HistoryEntry = [key: string, ts: number];

/** The longest key a saved entry may hold. */
const MAX_SAVED_KEY = 1024;

/** Index of the first of `entries` (read from state) that is no saved HistoryEntry, or -1. */
export function badHistoryEntry(entries: readonly unknown[]): number {
  return entries.findIndex(
    (e) =>
      !Array.isArray(e) ||
      e.length !== 2 ||
      typeof e[0] !== 'string' ||
      e[0].length > MAX_SAVED_KEY ||
      typeof e[1] !== 'number' ||
      !Number.isFinite(e[1]),
  );
}

/**
 * A set of string keys with a maximum size. Order is by last addition: adding a key that is
 * already present moves it to the newest end, so when the set is full the key evicted is the
 * one not seen for longest (an endpoint used every minute is never evicted by a burst of
 * one-off ones). Evictions are counted.
 */
export class BoundedKeySet {
  readonly maxSize: number;
  /** Keys evicted to make room, since creation (or as restored). */
  evicted = 0;
  readonly #entries = new Map<string, number>();

  constructor(maxSize: number) {
    if (!Number.isInteger(maxSize) || maxSize < 1) {
      throw new RangeError(`BoundedKeySet: maxSize must be a positive integer, got ${maxSize}`);
    }
    this.maxSize = maxSize;
  }

  get size(): number {
    return this.#entries.size;
  }

  has(key: string): boolean {
    return this.#entries.has(key);
  }

  /** Packet time the key was last added, or undefined. */
  lastAdded(key: string): number | undefined {
    return this.#entries.get(key);
  }

  /**
   * Adds `key` at packet time `ts`. Returns true when the key was not in the set (new to this
   * device, or forgotten since). When full, the least recently added key is evicted first.
   */
  addIsNew(key: string, ts: number): boolean {
    const entries = this.#entries;
    const isNew = !entries.delete(key);
    if (isNew && entries.size >= this.maxSize) {
      const oldest = entries.keys().next();
      if (oldest.done !== true) {
        entries.delete(oldest.value);
        this.evicted++;
      }
    }
    entries.set(key, ts);
    return isNew;
  }

  /** Forgets the keys last added before packet time `ts` (not counted as evictions). */
  forgetBefore(ts: number): void {
    for (const [key, t] of this.#entries) {
      if (t >= ts) break;
      this.#entries.delete(key);
    }
  }

  /** Keys, least recently added first. */
  keys(): string[] {
    return [...this.#entries.keys()];
  }

  /** Entries oldest first, for snapshots. */
  entries(): HistoryEntry[] {
    return [...this.#entries];
  }

  /** Replaces the content with saved entries (oldest first); keeps the newest `maxSize`. */
  load(entries: readonly HistoryEntry[], evicted: number): void {
    this.#entries.clear();
    const skip = Math.max(0, entries.length - this.maxSize);
    for (let i = skip; i < entries.length; i++) this.#entries.set(entries[i][0], entries[i][1]);
    this.evicted = evicted + skip;
  }
}

export interface HistoryLimits {
  /** Distinct DNS names remembered per device (default 256). */
  maxNames: number;
  /** Distinct remote endpoints remembered per device (default 512). */
  maxEndpoints: number;
}

export const DEFAULT_HISTORY_LIMITS: HistoryLimits = { maxNames: 256, maxEndpoints: 512 };

export class DeviceHistory {
  /** DNS names this device queried (lower case, no trailing dot). */
  readonly names: BoundedKeySet;
  /** Remote endpoints it reached: '203.0.113.9' or '203.0.113.9:443' (IPv6: '[2001:db8::1]:443'). */
  readonly endpoints: BoundedKeySet;

  constructor(limits: HistoryLimits = DEFAULT_HISTORY_LIMITS) {
    this.names = new BoundedKeySet(limits.maxNames);
    this.endpoints = new BoundedKeySet(limits.maxEndpoints);
  }
}
