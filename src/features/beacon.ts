/**
 * Periodicity of repeated contacts between one device and one remote endpoint, in the manner of
 * beacon analysers such as RITA: the intervals between contacts are summarised by their
 * Bowley skewness and their median absolute deviation (MAD) relative to the median. A clock-
 * driven beacon has symmetric, tightly clustered intervals: both terms near 1. Human-driven
 * traffic has skewed, dispersed intervals. The bytes the device sends per contact are scored the
 * same way (RITA's data-size score): a beacon's check-ins are alike in size.
 *
 * A contact is the start of a burst: a new flow to the endpoint, or a packet after at least
 * `CONTACT_GAP_S` of silence on a flow to it. Contacts closer than that are one contact.
 *
 * Storage is flat typed arrays per device (no per-contact or per-endpoint objects): a linear
 * index of endpoint keys (IPv4 as numbers, IPv6 as text), and per endpoint a ring of the last
 * `CONTACT_HISTORY` contact times and payload bytes. Slow beacons (one contact every 5–15 min)
 * fill a ring over hours. The least recently contacted endpoint is evicted beyond
 * `MAX_ENDPOINTS`, and counted. Capacity grows by doubling, so a device with few endpoints
 * keeps small arrays.
 * @module
 */

/** Contacts kept per endpoint (a ring); intervals are computed over these. */
export const CONTACT_HISTORY = 48;
/** Silence that separates two contacts. */
export const CONTACT_GAP_S = 1;
/** Fewest contacts before a periodicity is reported (four intervals). */
export const MIN_CONTACTS = 5;
/** Endpoints tracked per device; the least recently contacted is forgotten beyond it. */
export const MAX_ENDPOINTS = 128;
/** Endpoint slots allocated at first (doubled as needed up to MAX_ENDPOINTS). */
const INITIAL_ENDPOINTS = 8;

export interface Periodicity {
  /** 0 (irregular) … 1 (perfectly regular). */
  score: number;
  /** Median interval between contacts, seconds. */
  periodS: number;
  /** Contacts in the history the score was computed on. */
  contacts: number;
  /** The endpoint, as given to `contact()`. */
  endpoint: number | string;
}

/** Everything known about one endpoint's contacts (features/evidence.ts BeaconEvidence). */
export interface BeaconReport extends Periodicity {
  /** Responder port of the latest contact. */
  port: number;
  /** Regularity of the payload bytes sent per contact, 0 … 1. */
  sizeScore: number;
  /** Median absolute deviation of the intervals, seconds. */
  jitterS: number;
  firstContact: number;
  lastContact: number;
  /** Median payload bytes sent per contact. */
  bytesPerContact: number;
}

const H = CONTACT_HISTORY;
const scratch = new Float64Array(H);
const devs = new Float64Array(H);

export class BeaconTracker {
  /** Endpoints forgotten because the device had too many. */
  evicted = 0;
  /** Slots in use (a slot, once used, stays in use: eviction reuses it). */
  #size = 0;
  #cap = 0;
  /** IPv4 key per slot (NaN for an IPv6 slot, so a number never matches it). */
  #key4: Float64Array = new Float64Array(0);
  /** IPv6 key per slot (null for IPv4). */
  #key6: (string | null)[] = [];
  #lastTs: Float64Array = new Float64Array(0);
  /** Contacts ever recorded in the slot's current use (the ring position). */
  #count: Int32Array = new Int32Array(0);
  /** Window index of the last contact. */
  #window: Int32Array = new Int32Array(0);
  #port: Uint16Array = new Uint16Array(0);
  /** Bumped whenever a slot is given to another endpoint, so cached slots can be checked. */
  #gen: Int32Array = new Int32Array(0);
  #times: Float64Array = new Float64Array(0);
  #bytes: Float32Array = new Float32Array(0);
  /** Slot of the latest lookup (repeated contacts to one endpoint skip the scan). */
  #last = -1;

  /** Records a burst start to `endpoint` at packet time `ts`, in window `window`; its slot. */
  contact(endpoint: number | string, ts: number, window: number, port = 0): number {
    let s = this.#find(endpoint);
    if (s < 0) {
      s = this.#take(endpoint);
    } else {
      const last = this.#times[s * H + ((this.#count[s] - 1) % H)];
      if (ts - last < CONTACT_GAP_S) return s;
    }
    const at = s * H + (this.#count[s] % H);
    this.#times[at] = ts;
    this.#bytes[at] = 0;
    this.#count[s]++;
    this.#window[s] = window;
    this.#lastTs[s] = ts;
    this.#port[s] = port;
    return s;
  }

  /** Generation of `slot` now; pair it with the slot to find the slot's endpoint again later. */
  generation(slot: number): number {
    return this.#gen[slot];
  }

  /** Adds payload bytes sent to the latest contact of `slot`, unless it was given away since. */
  addBytes(slot: number, gen: number, bytes: number): void {
    if (slot < 0 || this.#gen[slot] !== gen || this.#count[slot] === 0) return;
    this.#bytes[slot * H + ((this.#count[slot] - 1) % H)] += bytes;
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

  #find(endpoint: number | string): number {
    const last = this.#last;
    if (typeof endpoint === 'number') {
      if (last >= 0 && this.#key4[last] === endpoint) return last;
      const keys = this.#key4;
      for (let s = 0; s < this.#size; s++) if (keys[s] === endpoint) return (this.#last = s);
    } else {
      if (last >= 0 && this.#key6[last] === endpoint) return last;
      const keys = this.#key6;
      for (let s = 0; s < this.#size; s++) if (keys[s] === endpoint) return (this.#last = s);
    }
    return -1;
  }

  /** A slot for a new endpoint: a free one, or the least recently contacted one's. */
  #take(endpoint: number | string): number {
    let s: number;
    if (this.#size < this.#cap) s = this.#size++;
    else if (this.#cap < MAX_ENDPOINTS) {
      this.#grow(this.#cap === 0 ? INITIAL_ENDPOINTS : Math.min(MAX_ENDPOINTS, this.#cap * 2));
      s = this.#size++;
    } else {
      s = 0;
      const lastTs = this.#lastTs;
      for (let i = 1; i < this.#size; i++) if (lastTs[i] < lastTs[s]) s = i;
      this.evicted++;
    }
    if (typeof endpoint === 'number') {
      this.#key4[s] = endpoint;
      this.#key6[s] = null;
    } else {
      this.#key4[s] = NaN;
      this.#key6[s] = endpoint;
    }
    this.#count[s] = 0;
    this.#window[s] = -1;
    this.#gen[s]++;
    this.#last = s;
    return s;
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
    this.#key4 = f64(this.#key4, cap);
    this.#lastTs = f64(this.#lastTs, cap);
    this.#count = i32(this.#count);
    this.#window = i32(this.#window);
    this.#gen = i32(this.#gen);
    const port = new Uint16Array(cap);
    port.set(this.#port);
    this.#port = port;
    this.#times = f64(this.#times, cap * H);
    const bytes = new Float32Array(cap * H);
    bytes.set(this.#bytes);
    this.#bytes = bytes;
    this.#cap = cap;
  }

  #report(s: number): BeaconReport {
    const count = this.#count[s];
    const n = Math.min(count, H);
    const start = count - n;
    const base = s * H;
    const k = n - 1;
    for (let i = 0; i < k; i++) {
      const a = this.#times[base + ((start + i) % H)];
      const b = this.#times[base + ((start + i + 1) % H)];
      scratch[i] = b - a;
    }
    const timing = regularity(scratch, k, true);
    const periodS = medianOf;
    const jitterS = madOf;
    for (let i = 0; i < n; i++) scratch[i] = this.#bytes[base + ((start + i) % H)];
    const size = regularity(scratch, n, false);
    const key6 = this.#key6[s];
    return {
      score: timing,
      periodS,
      contacts: n,
      endpoint: key6 ?? this.#key4[s],
      port: this.#port[s],
      sizeScore: size,
      jitterS,
      firstContact: this.#times[base + (start % H)],
      lastContact: this.#times[base + ((count - 1) % H)],
      bytesPerContact: medianOf,
    };
  }
}

/** The report with the highest score (most contacts on a tie; the first on a full tie). */
export function strongestOf(reports: readonly BeaconReport[]): Periodicity | null {
  let best: BeaconReport | null = null;
  for (const r of reports) {
    if (
      best === null ||
      r.score > best.score ||
      (r.score === best.score && r.contacts > best.contacts)
    ) {
      best = r;
    }
  }
  return best === null
    ? null
    : {
        score: best.score,
        periodS: best.periodS,
        contacts: best.contacts,
        endpoint: best.endpoint,
      };
}

/** Median and MAD of the values last scored by `regularity`. */
let medianOf = 0;
let madOf = 0;

/**
 * Regularity (0 … 1) of the first `k` values of `v` (sorted in place): the mean of a Bowley
 * skewness score and a MAD/median score, as RITA scores intervals and sizes. For intervals the
 * quartile spread is taken as at least 10 % of the median: the asymmetry of jitter that small
 * (network delay on a clock-driven beacon) says nothing about regularity. Sets medianOf, madOf.
 */
function regularity(v: Float64Array, k: number, intervals: boolean): number {
  const d = v.subarray(0, k).sort();
  const q1 = quantile(d, 0.25);
  const med = quantile(d, 0.5);
  const q3 = quantile(d, 0.75);
  for (let i = 0; i < k; i++) devs[i] = Math.abs(d[i] - med);
  const mad = quantile(devs.subarray(0, k).sort(), 0.5);
  medianOf = med;
  madOf = mad;
  const spread = intervals ? Math.max(q3 - q1, 0.1 * med) : q3 - q1;
  const bowley = spread > 0 ? (q1 + q3 - 2 * med) / spread : 0;
  const skewScore = 1 - Math.min(1, Math.abs(bowley));
  // Sizes all alike (MAD 0) are perfectly regular even at 0 bytes (bare keep-alives).
  const madScore = med > 0 ? 1 - Math.min(1, mad / med) : intervals || mad > 0 ? 0 : 1;
  return (skewScore + madScore) / 2;
}

/** Linear-interpolated quantile of a sorted array. */
function quantile(sorted: Float64Array, q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}
