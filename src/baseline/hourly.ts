/**
 * A device's normal by hour of day, for the few features whose normal has a daily rhythm that
 * a judgement reads: how much it sends (`bytesUp`) and how long it sends without a pause
 * (`uploadLongestS`), which `abnormal_upload` compares a window against. A camera that uploads
 * clips by day or a TV streaming in the evening has a high all-day normal that would hide a
 * night-time leak; by hour, the night is judged against the night.
 *
 * Bounded: BUCKETS coarse buckets of BUCKET_HOURS hours (packet time, UTC: the buckets need not
 * match the home's clock, only be the same hours every day), each a decaying histogram of
 * those features. A bucket judges only once it holds MIN_BUCKET_WINDOWS windows of evidence
 * from MIN_BUCKET_DAYS distinct days; until then the all-day baseline judges (a day or two is
 * not a rhythm, and a bucket's high on thin data is noise). A bucket only tightens: the normal
 * high at an hour is the lower of the all-day one and the bucket's top (BUCKET_HIGH_Q), so the
 * quiet hours are judged against themselves and the busy ones no more leniently than before.
 * @module
 */
import { BINS, HistogramSet } from './histogram.js';

/** Hours a bucket spans: six buckets a day (0–4 h, 4–8 h, … UTC). */
export const BUCKET_HOURS = 4;
export const BUCKETS = 24 / BUCKET_HOURS;
/** The features kept by hour of day. */
export const HOURLY_FEATURES: readonly string[] = ['bytesUp', 'uploadLongestS'];
/** Windows (decayed weight) a bucket needs before it judges: half of its 4 h on one day. */
export const MIN_BUCKET_WINDOWS = 120;
/** Distinct days a bucket must have seen before it judges. */
export const MIN_BUCKET_DAYS = 3;
/**
 * The quantile that is a bucket's normal high: its top, not its 99th percentile. A bucket holds
 * a sixth of the day's windows, and a job the device runs every night (a sync, a log upload: a
 * few windows a night) is a few tenths of a percent of them, but its normal all the same.
 */
export const BUCKET_HIGH_Q = 0.999;

const DAY_S = 86400;

/** The bucket of a packet time (seconds). */
export function bucketOf(ts: number): number {
  const h = Math.floor((((ts % DAY_S) + DAY_S) % DAY_S) / 3600);
  return Math.floor(h / BUCKET_HOURS);
}

export interface HourlySnapshot {
  bucketHours: number;
  features: string[];
  /** Per bucket: distinct days, last day and last time it took a window, total weight, bins. */
  buckets: {
    days: number;
    lastDay: number;
    lastTs: number;
    total: number;
    /** Non-empty bins as [feature × BINS + bin, weight, …] (rounded). */
    bins: number[];
  }[];
}

export class HourlyBaseline {
  readonly #hist: HistogramSet[] = [];
  readonly #days = new Int32Array(BUCKETS);
  readonly #lastDay = new Int32Array(BUCKETS).fill(-1);
  readonly #lastTs = new Float64Array(BUCKETS);

  constructor() {
    for (let b = 0; b < BUCKETS; b++) this.#hist.push(new HistogramSet(HOURLY_FEATURES.length));
  }

  /**
   * Takes in one window's values (HOURLY_FEATURES order) at packet time `ts`. `halfLifeS` > 0:
   * the bucket's older windows fade by the time since it last took one (so every bucket fades
   * at the all-day baseline's pace in wall time, though it is fed a sixth of the day); 0: none.
   */
  add(ts: number, values: ArrayLike<number>, halfLifeS: number): void {
    const b = bucketOf(ts);
    const h = this.#hist[b];
    if (halfLifeS > 0 && h.total > 0 && ts > this.#lastTs[b]) {
      h.decay(2 ** (-(ts - this.#lastTs[b]) / halfLifeS));
    }
    h.add(values);
    const day = Math.floor(ts / DAY_S);
    if (day !== this.#lastDay[b]) {
      this.#days[b]++;
      this.#lastDay[b] = day;
    }
    if (ts > this.#lastTs[b]) this.#lastTs[b] = ts;
  }

  /** The bucket of `ts` holds enough evidence to judge. */
  ready(ts: number): boolean {
    const b = bucketOf(ts);
    return this.#days[b] >= MIN_BUCKET_DAYS && this.#hist[b].total >= MIN_BUCKET_WINDOWS;
  }

  /** The q-quantile of feature `f` (HOURLY_FEATURES index) in the bucket of `ts`. */
  quantile(f: number, q: number, ts: number): number {
    return this.#hist[bucketOf(ts)].quantile(f, q);
  }

  /** Evidence of the bucket of `ts`: distinct days and windows (decayed). */
  evidence(ts: number): { days: number; windows: number } {
    const b = bucketOf(ts);
    return { days: this.#days[b], windows: this.#hist[b].total };
  }

  snapshot(): HourlySnapshot {
    return {
      bucketHours: BUCKET_HOURS,
      features: [...HOURLY_FEATURES],
      buckets: this.#hist.map((h, b) => {
        const bins: number[] = [];
        for (let f = 0; f < h.features; f++)
          for (let k = 0; k < BINS; k++) {
            const w = h.weight(f, k);
            if (w > 0) bins.push(f * BINS + k, Math.round(w * 1e4) / 1e4);
          }
        return {
          days: this.#days[b],
          lastDay: this.#lastDay[b],
          lastTs: this.#lastTs[b],
          total: h.total,
          bins,
        };
      }),
    };
  }

  /**
   * Restores saved buckets. Buckets saved with another width or feature list cannot be mapped
   * onto these: they start empty (the all-day baseline judges until they have evidence again).
   */
  static restore(s: HourlySnapshot | undefined): HourlyBaseline {
    const out = new HourlyBaseline();
    if (
      s === undefined ||
      s.bucketHours !== BUCKET_HOURS ||
      s.buckets?.length !== BUCKETS ||
      s.features?.join() !== HOURLY_FEATURES.join()
    )
      return out;
    for (let b = 0; b < BUCKETS; b++) {
      const sb = s.buckets[b];
      const h = out.#hist[b];
      for (let i = 0; i + 1 < sb.bins.length; i += 2) {
        const f = Math.floor(sb.bins[i] / BINS);
        if (f < h.features) h.set(f, sb.bins[i] % BINS, sb.bins[i + 1]);
      }
      h.total = sb.total;
      out.#days[b] = sb.days;
      out.#lastDay[b] = sb.lastDay;
      out.#lastTs[b] = sb.lastTs;
    }
    return out;
  }
}
