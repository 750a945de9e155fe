/**
 * What a device is known to use: remote addresses, domains, LAN peers and services. Bounded
 * (least recently seen evicted first, evictions counted) and slow to learn after the learning
 * phase: a key first seen after it waits on probation and becomes known only when it is still
 * in use `promoteS` later, in windows outside any alert episode — so an attack that runs for
 * hours cannot teach itself into the baseline before the detectors have judged it.
 * @module
 */

export interface KnownSetSnapshot {
  known: [key: string, lastSeen: number][];
  pending: [key: string, firstSeen: number][];
  evicted: number;
}

export class KnownSet {
  readonly maxSize: number;
  /** Keys evicted (from either list) to stay within bounds. */
  evicted = 0;
  /** Known keys → packet time last seen, least recently seen first. */
  readonly #known = new Map<string, number>();
  /** Keys on probation → packet time first seen. */
  readonly #pending = new Map<string, number>();

  constructor(maxSize: number) {
    this.maxSize = maxSize;
  }

  get size(): number {
    return this.#known.size;
  }

  get pendingSize(): number {
    return this.#pending.size;
  }

  has(key: string): boolean {
    return this.#known.has(key);
  }

  /** Learning phase: the key is known at once. */
  learn(key: string, ts: number): void {
    this.#pending.delete(key);
    this.#touch(key, ts);
  }

  /**
   * After learning: a known key is refreshed; a new one goes on probation and is promoted when
   * it is seen again at least `promoteS` after it was first seen.
   */
  adapt(key: string, ts: number, promoteS: number): void {
    if (this.#known.has(key)) {
      this.#touch(key, ts);
      return;
    }
    const first = this.#pending.get(key);
    if (first === undefined) {
      if (this.#pending.size >= this.maxSize) {
        this.#pending.delete(this.#pending.keys().next().value as string);
        this.evicted++;
      }
      this.#pending.set(key, ts);
    } else if (ts - first >= promoteS) {
      this.#pending.delete(key);
      this.#touch(key, ts);
    }
  }

  #touch(key: string, ts: number): void {
    const m = this.#known;
    if (!m.delete(key) && m.size >= this.maxSize) {
      m.delete(m.keys().next().value as string);
      this.evicted++;
    }
    m.set(key, ts);
  }

  snapshot(): KnownSetSnapshot {
    return { known: [...this.#known], pending: [...this.#pending], evicted: this.evicted };
  }

  restore(s: KnownSetSnapshot): void {
    this.#known.clear();
    this.#pending.clear();
    for (const [k, t] of s.known.slice(-this.maxSize)) this.#known.set(k, t);
    for (const [k, t] of s.pending.slice(-this.maxSize)) this.#pending.set(k, t);
    this.evicted = s.evicted;
  }
}
