/**
 * Periodicity of repeated contacts between one device and one remote endpoint, in the manner of
 * beacon analysers such as RITA: the intervals between contacts are summarised by their
 * Bowley skewness and their median absolute deviation (MAD) relative to the median. A clock-
 * driven beacon has symmetric, tightly clustered intervals: both terms near 1. Human-driven
 * traffic has skewed, dispersed intervals. The bytes the device sends per contact are scored the
 * same way (RITA's data-size score): a beacon's check-ins are alike in size (beacon-score.ts).
 *
 * A contact is the start of a burst: a new flow to the endpoint, or a packet after at least
 * `CONTACT_GAP_S` of silence on a flow to it. Contacts closer than that are one contact.
 *
 * Storage is flat typed arrays per device, no object per endpoint or contact:
 * - an open-addressed hash index of endpoint keys (IPv4 as numbers, IPv6 as text) to slots
 *   (endpoint-index.ts), and a least-recently-contacted list through the slots: beyond `MAX_ENDPOINTS` the stalest
 *   endpoint is evicted (and counted) in O(1);
 * - per slot a ring of its first `SMALL_HISTORY` contacts (times, payload bytes); an endpoint
 *   contacted more often moves to a ring of `CONTACT_HISTORY` from a pool. A device reaching
 *   hundreds of one-off endpoints (a scan, a crawler) keeps small rings; slow beacons (one
 *   contact every 5–15 min) fill a large ring over hours.
 * - the bytes of a contact are what the device sent on the contact's flow until that flow (or
 *   another) makes the endpoint's next contact: read from the flow's payload counter at both
 *   ends, so counting them costs nothing per packet.
 * Capacity grows by doubling, so a device with few endpoints keeps small arrays.
 * @module
 */
import {
  type BeaconReport,
  madOf,
  medianOf,
  type Periodicity,
  regularity,
  strongestOf,
} from './beacon-score.js';
import { EndpointIndex, hashKey } from './endpoint-index.js';

export { type BeaconReport, type Periodicity, strongestOf } from './beacon-score.js';

/** Contacts kept per endpoint (a ring); intervals are computed over these. */
export const CONTACT_HISTORY = 48;
/** Contacts kept in a slot's own ring before it takes a large one from the pool. */
export const SMALL_HISTORY = 8;
/** Silence that separates two contacts. */
export const CONTACT_GAP_S = 1;
/** Fewest contacts before a periodicity is reported (four intervals). */
export const MIN_CONTACTS = 5;
/** Endpoints tracked per device; the least recently contacted is forgotten beyond it. */
export const MAX_ENDPOINTS = 128;
/** Endpoints kept in the state file per device: the most recently contacted with ≥ 2 contacts. */
export const SAVED_ENDPOINTS = 32;
/** Contacts kept in the state file per endpoint (the latest). */
export const SAVED_CONTACTS = 24;
/** Endpoint slots allocated at first (doubled as needed up to MAX_ENDPOINTS). */
const INITIAL_ENDPOINTS = 8;

const H = CONTACT_HISTORY;
const S = SMALL_HISTORY;
const NIL = -1;
/** Hash buckets: twice the most slots, a power of two. */
const BUCKETS = 2 * MAX_ENDPOINTS;
const scratch = new Float64Array(H);

/** What a contact's bytes are read from: the flow's payload counter, device to endpoint. */
export interface ByteSource {
  readonly payloadUp: number;
}

/**
 * A saved endpoint: key, port, window index of its last contact, and its latest contacts'
 * times and bytes, oldest first (the last one's bytes as counted so far).
 */
export type SavedEndpoint = [
  endpoint: number | string,
  port: number,
  window: number,
  times: number[],
  bytes: number[],
];

export interface BeaconSnapshot {
  evicted: number;
  /** Least recently contacted first. */
  endpoints: SavedEndpoint[];
}

export class BeaconTracker {
  /** Endpoints forgotten because the device had too many. */
  evicted = 0;
  /** Slots in use (a slot, once used, stays in use: eviction reuses it). */
  #size = 0;
  #cap = 0;
  /** Endpoint key → slot. */
  readonly #index = new EndpointIndex(BUCKETS);
  /** Contacts recorded in the slot's current use (the ring position). */
  #count: Int32Array = new Int32Array(0);
  /** Window index of the last contact. */
  #window: Int32Array = new Int32Array(0);
  #port: Uint16Array = new Uint16Array(0);
  /** Flow of the slot's latest contact and its payload counter when that contact began. */
  #source: (ByteSource | null)[] = [];
  #mark: Float64Array = new Float64Array(0);
  /** Large ring of the slot (NIL: still in its small ring). */
  #big: Int16Array = new Int16Array(0);
  /** Least recently contacted list: head is the next to evict. */
  #prev: Int16Array = new Int16Array(0);
  #next: Int16Array = new Int16Array(0);
  #head = NIL;
  #tail = NIL;
  #smallTimes: Float64Array = new Float64Array(0);
  #smallBytes: Float32Array = new Float32Array(0);
  #bigTimes: Float64Array = new Float64Array(0);
  #bigBytes: Float32Array = new Float32Array(0);
  /** Large rings allocated, and the free ones. */
  #bigCap = 0;
  #bigFree: number[] = [];

  /**
   * Records a burst start to `endpoint` at packet time `ts`, in window `window`, on a flow whose
   * payload counter is `source` (read now, before this packet's payload is counted, and again
   * when the endpoint's next contact comes or a report is made).
   */
  contact(
    endpoint: number | string,
    ts: number,
    window: number,
    port = 0,
    source: ByteSource | null = null,
  ): void {
    const h = hashKey(endpoint);
    let s = this.#index.find(endpoint, h);
    if (s < 0) s = this.#take(endpoint, h);
    else {
      const c = this.#count[s];
      if (ts - this.#timeAt(s, c - 1) < CONTACT_GAP_S) return;
      this.#setBytes(s, c - 1, this.#sourceBytes(s));
      if (c === S && this.#big[s] === NIL) this.#promote(s);
    }
    const c = this.#count[s];
    const big = this.#big[s];
    if (big === NIL) this.#smallTimes[s * S + c] = ts;
    else this.#bigTimes[big * H + (c % H)] = ts;
    this.#setBytes(s, c, 0);
    this.#source[s] = source;
    this.#mark[s] = source === null ? 0 : source.payloadUp;
    this.#count[s] = c + 1;
    this.#window[s] = window;
    this.#port[s] = port;
    this.#touch(s);
  }

  /** Bytes sent so far in the slot's latest contact (its flow's counter since the contact). */
  #sourceBytes(s: number): number {
    const src = this.#source[s];
    return src === null ? 0 : src.payloadUp - this.#mark[s];
  }

  #setBytes(s: number, i: number, bytes: number): void {
    const big = this.#big[s];
    if (big === NIL) this.#smallBytes[s * S + i] = bytes;
    else this.#bigBytes[big * H + (i % H)] = bytes;
  }

  /** The most regular endpoint among those contacted in `window`, or null. */
  strongest(window: number): Periodicity | null {
    return strongestOf(this.reports(window));
  }

  /** A report for every endpoint contacted in `window` with at least MIN_CONTACTS contacts. */
  reports(window: number): BeaconReport[] {
    const out: BeaconReport[] = [];
    for (let s = 0; s < this.#size; s++) {
      if (this.#window[s] !== window || this.#count[s] < MIN_CONTACTS) continue;
      out.push(this.#report(s));
    }
    return out;
  }

  #timeAt(s: number, i: number): number {
    const big = this.#big[s];
    return big === NIL ? this.#smallTimes[s * S + i] : this.#bigTimes[big * H + (i % H)];
  }

  #bytesAt(s: number, i: number): number {
    const big = this.#big[s];
    return big === NIL ? this.#smallBytes[s * S + i] : this.#bigBytes[big * H + (i % H)];
  }

  /** A slot for a new endpoint: a free one, or the least recently contacted one's. */
  #take(endpoint: number | string, h: number): number {
    let s: number;
    if (this.#size < this.#cap) s = this.#size++;
    else if (this.#cap < MAX_ENDPOINTS) {
      this.#grow(this.#cap === 0 ? INITIAL_ENDPOINTS : Math.min(MAX_ENDPOINTS, this.#cap * 2));
      s = this.#size++;
    } else {
      s = this.#head;
      this.#index.remove(s);
      this.#unlink(s);
      if (this.#big[s] !== NIL) {
        this.#bigFree.push(this.#big[s]);
        this.#big[s] = NIL;
      }
      this.#source[s] = null;
      this.evicted++;
    }
    this.#index.insert(s, endpoint, h);
    this.#count[s] = 0;
    this.#window[s] = -1;
    this.#linkTail(s);
    return s;
  }

  /** Moves slot `s` to the most recently contacted end of the list. */
  #touch(s: number): void {
    if (this.#tail === s) return;
    this.#unlink(s);
    this.#linkTail(s);
  }

  #linkTail(s: number): void {
    this.#prev[s] = this.#tail;
    this.#next[s] = NIL;
    if (this.#tail === NIL) this.#head = s;
    else this.#next[this.#tail] = s;
    this.#tail = s;
  }

  #unlink(s: number): void {
    const p = this.#prev[s];
    const n = this.#next[s];
    if (p === NIL) this.#head = n;
    else this.#next[p] = n;
    if (n === NIL) this.#tail = p;
    else this.#prev[n] = p;
  }

  /** Gives slot `s`, whose small ring is full, a large ring with its contacts so far. */
  #promote(s: number): void {
    if (this.#bigFree.length === 0) this.#growBig();
    const big = this.#bigFree.pop() as number;
    this.#bigTimes.set(this.#smallTimes.subarray(s * S, s * S + S), big * H);
    this.#bigBytes.set(this.#smallBytes.subarray(s * S, s * S + S), big * H);
    this.#big[s] = big;
  }

  /** Doubles the pool of large rings (at most one per slot). */
  #growBig(): void {
    const cap = Math.min(MAX_ENDPOINTS, Math.max(4, this.#bigCap * 2));
    const times = new Float64Array(cap * H);
    times.set(this.#bigTimes);
    const bytes = new Float32Array(cap * H);
    bytes.set(this.#bigBytes);
    this.#bigTimes = times;
    this.#bigBytes = bytes;
    for (let r = cap - 1; r >= this.#bigCap; r--) this.#bigFree.push(r);
    this.#bigCap = cap;
  }

  #grow(cap: number): void {
    const f64 = (a: Float64Array, n: number): Float64Array => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    const i32 = (a: Int32Array): Int32Array => {
      const b = new Int32Array(cap);
      b.set(a);
      return b;
    };
    const i16 = (a: Int16Array): Int16Array => {
      const b = new Int16Array(cap);
      b.set(a);
      return b;
    };
    this.#index.grow(cap);
    const port = new Uint16Array(cap);
    port.set(this.#port);
    this.#port = port;
    this.#count = i32(this.#count);
    this.#window = i32(this.#window);
    this.#mark = f64(this.#mark, cap);
    this.#prev = i16(this.#prev);
    this.#next = i16(this.#next);
    this.#big = i16(this.#big);
    this.#big.fill(NIL, this.#cap);
    this.#smallTimes = f64(this.#smallTimes, cap * S);
    const bytes = new Float32Array(cap * S);
    bytes.set(this.#smallBytes);
    this.#smallBytes = bytes;
    this.#cap = cap;
  }

  /** What a restart should keep (state file): the endpoints that may be beacons in the making. */
  snapshot(): BeaconSnapshot {
    const endpoints: SavedEndpoint[] = [];
    for (let s = this.#tail; s !== NIL && endpoints.length < SAVED_ENDPOINTS; s = this.#prev[s]) {
      const count = this.#count[s];
      if (count < 2) continue;
      const n = Math.min(count, SAVED_CONTACTS);
      const times: number[] = [];
      const bytes: number[] = [];
      for (let i = count - n; i < count; i++) {
        times.push(this.#timeAt(s, i));
        bytes.push(i === count - 1 ? this.#sourceBytes(s) : this.#bytesAt(s, i));
      }
      endpoints.push([this.#index.key(s), this.#port[s], this.#window[s], times, bytes]);
    }
    return { evicted: this.evicted, endpoints: endpoints.reverse() };
  }

  /** Takes back a snapshot into this (fresh) tracker, as if its contacts had been seen again. */
  restore(saved: BeaconSnapshot): void {
    for (const [endpoint, port, window, times, bytes] of saved.endpoints) {
      let source: { payloadUp: number } | null = null;
      for (let i = 0; i < times.length; i++) {
        if (source !== null) source.payloadUp = bytes[i - 1];
        source = { payloadUp: 0 };
        this.contact(endpoint, times[i], window, port, source);
      }
      if (source !== null) source.payloadUp = bytes[times.length - 1];
    }
    this.evicted = saved.evicted;
  }

  #report(s: number): BeaconReport {
    const count = this.#count[s];
    const n = Math.min(count, H);
    const start = count - n;
    const k = n - 1;
    for (let i = 0; i < k; i++)
      scratch[i] = this.#timeAt(s, start + i + 1) - this.#timeAt(s, start + i);
    const timing = regularity(scratch, k, true);
    const periodS = medianOf;
    const jitterS = madOf;
    for (let i = 0; i < n - 1; i++) scratch[i] = this.#bytesAt(s, start + i);
    scratch[n - 1] = this.#sourceBytes(s); // the latest contact, still counting
    const size = regularity(scratch, n, false);
    return {
      score: timing,
      periodS,
      contacts: n,
      endpoint: this.#index.key(s),
      port: this.#port[s],
      sizeScore: size,
      jitterS,
      firstContact: this.#timeAt(s, start),
      lastContact: this.#timeAt(s, count - 1),
      bytesPerContact: medianOf,
    };
  }
}
