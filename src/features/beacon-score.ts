/**
 * The scores of a beacon candidate (features/beacon.ts): RITA's regularity of contact intervals
 * and of bytes per contact, and the choice of the strongest endpoint of a window.
 * @module
 */

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

/** Deviations from the median, scratch for `regularity` (at most this many values). */
const devs = new Float64Array(256);

/** Median and MAD of the values last scored by `regularity`. */
export let medianOf = 0;
export let madOf = 0;

/**
 * Regularity (0 … 1) of the first `k` values of `v` (sorted in place): the mean of a Bowley
 * skewness score and a MAD/median score, as RITA scores intervals and sizes. For intervals the
 * quartile spread is taken as at least 10 % of the median: the asymmetry of jitter that small
 * (network delay on a clock-driven beacon) says nothing about regularity. Sets medianOf, madOf.
 * One sort: the absolute deviations from the median come out of the sorted values already in
 * order, by merging the two sides of the median (this runs for every beacon candidate of every
 * window, where sorting dominated). An insertion sort: at most CONTACT_HISTORY values, often
 * nearly in order (a beacon's sizes are mostly equal), where it beats the built-in sort and its
 * per-call allocation.
 */
export function regularity(v: Float64Array, k: number, intervals: boolean): number {
  sortPrefix(v, k);
  const q1 = quantile(v, k, 0.25);
  const med = quantile(v, k, 0.5);
  const q3 = quantile(v, k, 0.75);
  let split = 0;
  while (split < k && v[split] < med) split++;
  let i = split - 1;
  let j = split;
  for (let n = 0; n < k; n++) {
    if (j >= k || (i >= 0 && med - v[i] <= v[j] - med)) devs[n] = med - v[i--];
    else devs[n] = v[j++] - med;
  }
  const mad = quantile(devs, k, 0.5);
  medianOf = med;
  madOf = mad;
  const spread = intervals ? Math.max(q3 - q1, 0.1 * med) : q3 - q1;
  const bowley = spread > 0 ? (q1 + q3 - 2 * med) / spread : 0;
  const skewScore = 1 - Math.min(1, Math.abs(bowley));
  // Sizes all alike (MAD 0) are perfectly regular even at 0 bytes (bare keep-alives).
  const madScore = med > 0 ? 1 - Math.min(1, mad / med) : intervals || mad > 0 ? 0 : 1;
  return (skewScore + madScore) / 2;
}

/** Sorts the first `k` values of `v` ascending, in place. */
function sortPrefix(v: Float64Array, k: number): void {
  for (let i = 1; i < k; i++) {
    const x = v[i];
    let j = i - 1;
    while (j >= 0 && v[j] > x) {
      v[j + 1] = v[j];
      j--;
    }
    v[j + 1] = x;
  }
}

/** Linear-interpolated quantile of the first `k` values of a sorted array. */
function quantile(sorted: Float64Array, k: number, q: number): number {
  const pos = (k - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}
