/**
 * Periodicity of repeated contacts between one device and one remote endpoint, in the manner of
 * beacon analysers such as RITA: the intervals between contacts are summarised by their
 * Bowley skewness and their median absolute deviation (MAD) relative to the median. A clock-
 * driven beacon has symmetric, tightly clustered intervals: both terms near 1. Human-driven
 * traffic has skewed, dispersed intervals.
 *
 * A contact is the start of a burst: a new flow to the endpoint, or a packet after at least
 * `CONTACT_GAP_S` of silence on a flow to it. Contacts closer than that are one contact.
 * @module
 */

/** Contacts kept per endpoint (a ring); intervals are computed over these. */
export const CONTACT_HISTORY = 32;
/** Silence that separates two contacts. */
export const CONTACT_GAP_S = 1;
/** Fewest contacts before a periodicity is reported (four intervals). */
export const MIN_CONTACTS = 5;
/** Endpoints tracked per device; the least recently contacted is forgotten beyond it. */
export const MAX_ENDPOINTS = 64;

class Track {
  readonly times = new Float64Array(CONTACT_HISTORY);
  count = 0;
  /** Window index of the last contact. */
  window = -1;
}

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

const scratch = new Float64Array(CONTACT_HISTORY);
const devs = new Float64Array(CONTACT_HISTORY);

export class BeaconTracker {
  readonly #tracks = new Map<number | string, Track>();
  /** Endpoints forgotten because the device had too many. */
  evicted = 0;

  /** Records a burst start to `endpoint` at packet time `ts`, in window `window`. */
  contact(endpoint: number | string, ts: number, window: number): void {
    let t = this.#tracks.get(endpoint);
    if (t === undefined) {
      if (this.#tracks.size >= MAX_ENDPOINTS) {
        // The stalest endpoint's track is reused: a device reaching a new endpoint with every
        // flow (a scan, a crawler) would otherwise allocate a Float64Array per flow.
        const [oldest, recycled] = this.#tracks.entries().next().value as [number | string, Track];
        this.#tracks.delete(oldest);
        this.evicted++;
        recycled.count = 0;
        recycled.window = -1;
        t = recycled;
      } else {
        t = new Track();
      }
      this.#tracks.set(endpoint, t);
    } else {
      const last = t.times[(t.count - 1) % CONTACT_HISTORY];
      if (ts - last < CONTACT_GAP_S) return;
      // Keep Map order = recency of contact, so eviction drops the stalest endpoint.
      this.#tracks.delete(endpoint);
      this.#tracks.set(endpoint, t);
    }
    t.times[t.count % CONTACT_HISTORY] = ts;
    t.count++;
    t.window = window;
  }

  /** The most regular endpoint among those contacted in `window`, or null. */
  strongest(window: number): Periodicity | null {
    let best: Periodicity | null = null;
    for (const [endpoint, t] of this.#tracks) {
      if (t.window !== window || t.count < MIN_CONTACTS) continue;
      const p = periodicity(t);
      if (
        best === null ||
        p.score > best.score ||
        (p.score === best.score && p.contacts > best.contacts)
      ) {
        best = { ...p, endpoint };
      }
    }
    return best;
  }
}

function periodicity(t: Track): Omit<Periodicity, 'endpoint'> {
  const n = Math.min(t.count, CONTACT_HISTORY);
  const start = t.count - n;
  const k = n - 1;
  for (let i = 0; i < k; i++) {
    const a = t.times[(start + i) % CONTACT_HISTORY];
    const b = t.times[(start + i + 1) % CONTACT_HISTORY];
    scratch[i] = b - a;
  }
  const d = scratch.subarray(0, k).sort();
  const q1 = quantile(d, 0.25);
  const med = quantile(d, 0.5);
  const q3 = quantile(d, 0.75);
  for (let i = 0; i < k; i++) devs[i] = Math.abs(d[i] - med);
  const mad = quantile(devs.subarray(0, k).sort(), 0.5);
  // Bowley skewness, but over at least 10 % of the period: the asymmetry of jitter that small
  // (network delay on a clock-driven beacon) says nothing about regularity.
  const spread = Math.max(q3 - q1, 0.1 * med);
  const bowley = spread > 0 ? (q1 + q3 - 2 * med) / spread : 0;
  const skewScore = 1 - Math.min(1, Math.abs(bowley));
  const madScore = med > 0 ? 1 - Math.min(1, mad / med) : 0;
  return { score: (skewScore + madScore) / 2, periodS: med, contacts: n };
}

/** Linear-interpolated quantile of a sorted array. */
function quantile(sorted: Float64Array, q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}
