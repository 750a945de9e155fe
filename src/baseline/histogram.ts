/**
 * A bounded, decaying histogram of one feature's values on a log scale: the robust online
 * summary a baseline keeps per device and feature. Values are binned by log2(1 + v) in quarter
 * octaves (resolution ~19 %), so bytes, counts and shares share one layout; quantiles are read
 * by interpolating within a bin. Memory is fixed (BINS floats); old windows fade by `decay()`.
 * @module
 */

/** Bins per octave of (1 + v). */
export const BINS_PER_OCTAVE = 4;
/** Bin 0 holds v ≤ 0; bins 1 … BINS-1 cover log2(1 + v) up to (BINS - 1) / 4, ~2^34. */
export const BINS = 137;

/** The log-scale position of a value: log2(1 + v), 0 for v ≤ 0. */
export function logScale(v: number): number {
  return v > 0 ? Math.log2(1 + v) : 0;
}

export function binOf(v: number): number {
  if (!(v > 0)) return 0;
  const b = 1 + Math.floor(BINS_PER_OCTAVE * Math.log2(1 + v));
  return b < BINS ? b : BINS - 1;
}

/** Quantiles of many features, one block of BINS floats per feature, in one typed array. */
export class HistogramSet {
  readonly features: number;
  readonly counts: Float32Array;
  /** Total weight per feature (all features receive every window, so they are equal). */
  total = 0;

  constructor(features: number, counts?: Float32Array) {
    this.features = features;
    this.counts = counts ?? new Float32Array(features * BINS);
  }

  /** Adds one window's values (weight 1). */
  add(values: ArrayLike<number>): void {
    const c = this.counts;
    for (let f = 0; f < this.features; f++) c[f * BINS + binOf(values[f])] += 1;
    this.total += 1;
  }

  /** Multiplies every weight by `factor` (0 < factor ≤ 1): older windows count less. */
  decay(factor: number): void {
    if (factor >= 1) return;
    const c = this.counts;
    for (let i = 0; i < c.length; i++) c[i] *= factor;
    this.total *= factor;
  }

  /**
   * The q-quantile of feature `f` on the log scale (log2(1 + v)): 0 when nothing was added.
   * Bin 0 is the point 0; bin b ≥ 1 spans [(b-1)/4, b/4) and is interpolated linearly.
   */
  logQuantile(f: number, q: number): number {
    if (this.total <= 0) return 0;
    const c = this.counts;
    const base = f * BINS;
    const target = q * this.total;
    let acc = c[base];
    if (acc >= target) return 0;
    for (let b = 1; b < BINS; b++) {
      const w = c[base + b];
      if (w > 0 && acc + w >= target) {
        const within = (target - acc) / w;
        return (b - 1 + within) / BINS_PER_OCTAVE;
      }
      acc += w;
    }
    return (BINS - 1) / BINS_PER_OCTAVE;
  }

  /** The q-quantile of feature `f` in its own units. */
  quantile(f: number, q: number): number {
    return 2 ** this.logQuantile(f, q) - 1;
  }

  /** Share of the weight of feature `f` at values > 0. */
  nonZeroShare(f: number): number {
    if (this.total <= 0) return 0;
    return 1 - this.counts[f * BINS] / this.total;
  }
}
