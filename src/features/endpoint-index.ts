/**
 * The endpoint index of a device's beacon tracker (beacon.ts): an open-addressed hash table
 * from endpoint keys (IPv4 as numbers, IPv6 as text) to the tracker's slots, in flat typed
 * arrays. Linear probing; a removed key is deleted by backward shift, so there are no
 * tombstones and a lookup stops at the first empty bucket.
 * @module
 */

/** A hash of an endpoint key: multiplicative for IPv4, FNV-1a for IPv6 text. */
export function hashKey(endpoint: number | string): number {
  if (typeof endpoint === 'number') return Math.imul(endpoint | 0, 0x9e3779b1) >>> 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < endpoint.length; i++) h = Math.imul(h ^ endpoint.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export class EndpointIndex {
  /** Bucket → slot + 1 (0: empty). */
  readonly #index: Int16Array;
  readonly #mask: number;
  /**
   * Per slot: its key's hash, its IPv4 key (NaN for an IPv6 slot, so a number never matches
   * it) and its IPv6 key (null for IPv4).
   */
  #hash: Uint32Array = new Uint32Array(0);
  #key4: Float64Array = new Float64Array(0);
  #key6: (string | null)[] = [];

  /** `buckets`: a power of two, at least twice the most slots. */
  constructor(buckets: number) {
    this.#index = new Int16Array(buckets);
    this.#mask = buckets - 1;
  }

  /** The slot of `endpoint` (hash `h`), or -1. */
  find(endpoint: number | string, h: number): number {
    const index = this.#index;
    for (let b = h & this.#mask; ; b = (b + 1) & this.#mask) {
      const e = index[b];
      if (e === 0) return -1;
      const s = e - 1;
      if (this.#hash[s] !== h) continue;
      if (typeof endpoint === 'number' ? this.#key4[s] === endpoint : this.#key6[s] === endpoint) {
        return s;
      }
    }
  }

  /** Indexes slot `s` (not indexed) under `endpoint`, hash `h`. */
  insert(s: number, endpoint: number | string, h: number): void {
    if (typeof endpoint === 'number') {
      this.#key4[s] = endpoint;
      this.#key6[s] = null;
    } else {
      this.#key4[s] = NaN;
      this.#key6[s] = endpoint;
    }
    this.#hash[s] = h;
    let b = h & this.#mask;
    while (this.#index[b] !== 0) b = (b + 1) & this.#mask;
    this.#index[b] = s + 1;
  }

  /** Removes slot `s` from the index (backward-shift deletion, no tombstones). */
  remove(s: number): void {
    const index = this.#index;
    const mask = this.#mask;
    let hole = this.#hash[s] & mask;
    while (index[hole] !== s + 1) hole = (hole + 1) & mask;
    let j = hole;
    for (;;) {
      j = (j + 1) & mask;
      const e = index[j];
      if (e === 0) break;
      const home = this.#hash[e - 1] & mask;
      const inRange = hole <= j ? home > hole && home <= j : home > hole || home <= j;
      if (!inRange) {
        index[hole] = e;
        hole = j;
      }
    }
    index[hole] = 0;
  }

  /** The key of slot `s`. */
  key(s: number): number | string {
    return this.#key6[s] ?? this.#key4[s];
  }

  /** Room for `cap` slots (more than now), keeping the slots there are. */
  grow(cap: number): void {
    const hash = new Uint32Array(cap);
    hash.set(this.#hash);
    this.#hash = hash;
    const key4 = new Float64Array(cap);
    key4.set(this.#key4);
    this.#key4 = key4;
  }
}
