/**
 * A bounded, decaying histogram of one feature's values on a log scale: the robust online
 * summary a baseline keeps per device and feature. Values are binned by log2(1 + v) in quarter
 * octaves (resolution ~19 %), so bytes, counts and shares share one layout; quantiles are read
 * by interpolating within a bin. Memory is bounded (BINS floats a feature at most); old windows
 * fade by `decay()`.
 *
 * Storage: a feature's values keep to a few octaves (a plug's bytes per window, a camera's), so
 * each feature holds only the range of bins it has used, beside its bin 0 (the windows where it
 * was 0), all in one Float32Array per device. A device seen in one window holds a few floats per
 * feature instead of BINS; 1,000 such devices ~1 MB instead of 25 MB. Every stored bin computes
 * exactly what a dense array of BINS floats per feature would (the same float32 arithmetic per
 * bin; bins never used are 0 in both, and 0 decays to 0), so quantiles are the same to the bit.
 * @module
 */

/** Bins per octave of (1 + v). */
export const BINS_PER_OCTAVE = 4;
/** Bin 0 holds v ≤ 0; bins 1 … BINS-1 cover log2(1 + v) up to (BINS - 1) / 4, ~2^34. */
export const BINS = 137;
/** Bins a feature's range takes beyond the one that made it grow (fewer regrowths). */
const SLACK = 2;

/** The log-scale position of a value: log2(1 + v), 0 for v ≤ 0. */
export function logScale(v: number): number {
  return v > 0 ? Math.log2(1 + v) : 0;
}

export function binOf(v: number): number {
  if (!(v > 0)) return 0;
  const b = 1 + Math.floor(BINS_PER_OCTAVE * Math.log2(1 + v));
  return b < BINS ? b : BINS - 1;
}

/** Quantiles of many features: per feature its bin 0 and the range of other bins it used. */
export class HistogramSet {
  readonly features: number;
  /** Total weight per feature (all features receive every window, so they are equal). */
  total = 0;
  /** Weight of bin 0 (value ≤ 0) per feature. */
  readonly #zero: Float32Array;
  /** Per feature: first bin of its range (0: no range yet), bins in it, offset in #bins. */
  readonly #lo: Int32Array;
  readonly #len: Int32Array;
  readonly #off: Int32Array;
  /** The ranges of every feature, one after the other. */
  #bins = new Float32Array(0);

  constructor(features: number) {
    this.features = features;
    this.#zero = new Float32Array(features);
    this.#lo = new Int32Array(features);
    this.#len = new Int32Array(features);
    this.#off = new Int32Array(features);
  }

  /** Adds one window's values (weight 1). */
  add(values: ArrayLike<number>): void {
    const n = this.features;
    if (scratch.length < n) scratch = new Int32Array(n);
    const want = scratch;
    let outside = false;
    for (let f = 0; f < n; f++) {
      const b = binOf(values[f]);
      want[f] = b;
      if (b !== 0 && (b < this.#lo[f] || b >= this.#lo[f] + this.#len[f])) outside = true;
    }
    // One re-layout for every feature that needs room (a device's first window: most of them).
    if (outside) this.#widen(want);
    for (let f = 0; f < n; f++) {
      const b = want[f];
      if (b === 0) this.#zero[f] += 1;
      else this.#bins[this.#off[f] + b - this.#lo[f]] += 1;
    }
    this.total += 1;
  }

  /** Multiplies every weight by `factor` (0 < factor ≤ 1): older windows count less. */
  decay(factor: number): void {
    if (factor >= 1) return;
    const z = this.#zero;
    for (let f = 0; f < z.length; f++) z[f] *= factor;
    const c = this.#bins;
    for (let i = 0; i < c.length; i++) c[i] *= factor;
    this.total *= factor;
  }

  /** Weight of bin `b` of feature `f`. */
  weight(f: number, b: number): number {
    if (b === 0) return this.#zero[f];
    const i = b - this.#lo[f];
    return i >= 0 && i < this.#len[f] ? this.#bins[this.#off[f] + i] : 0;
  }

  /**
   * The q-quantile of feature `f` on the log scale (log2(1 + v)): 0 when nothing was added.
   * Bin 0 is the point 0; bin b ≥ 1 spans [(b-1)/4, b/4) and is interpolated linearly.
   */
  logQuantile(f: number, q: number): number {
    if (this.total <= 0) return 0;
    const target = q * this.total;
    let acc = this.#zero[f];
    if (acc >= target) return 0;
    // Bins outside the range are 0: adding them changes nothing, so only the range is read.
    const c = this.#bins;
    const lo = this.#lo[f];
    const off = this.#off[f] - lo;
    const end = lo + this.#len[f];
    for (let b = lo; b < end; b++) {
      const w = c[off + b];
      if (w > 0 && acc + w >= target) {
        const within = (target - acc) / w;
        return (b - 1 + within) / BINS_PER_OCTAVE;
      }
      acc += w;
    }
    return (BINS - 1) / BINS_PER_OCTAVE;
  }

  /**
   * The three quartiles of feature `f` on the log scale, into out[0..2], in one pass (equal to
   * logQuantile at 0.25, 0.5 and 0.75; the model reads them for every feature of every window).
   */
  logQuartiles(f: number, out: Float64Array): void {
    if (this.total <= 0) {
      out[0] = out[1] = out[2] = 0;
      return;
    }
    const t0 = 0.25 * this.total;
    const t1 = 0.5 * this.total;
    const t2 = 0.75 * this.total;
    let t = 0;
    let acc = this.#zero[f];
    while (t < 3 && acc >= (t === 0 ? t0 : t === 1 ? t1 : t2)) out[t++] = 0;
    const c = this.#bins;
    const lo = this.#lo[f];
    const off = this.#off[f] - lo;
    const end = lo + this.#len[f];
    for (let b = lo; b < end && t < 3; b++) {
      const w = c[off + b];
      if (!(w > 0)) continue;
      let target = t === 0 ? t0 : t === 1 ? t1 : t2;
      while (t < 3 && acc + w >= target) {
        out[t] = (b - 1 + (target - acc) / w) / BINS_PER_OCTAVE;
        t++;
        target = t === 1 ? t1 : t2;
      }
      acc += w;
    }
    while (t < 3) out[t++] = (BINS - 1) / BINS_PER_OCTAVE;
  }

  /** The q-quantile of feature `f` in its own units. */
  quantile(f: number, q: number): number {
    return 2 ** this.logQuantile(f, q) - 1;
  }

  /** Share of the weight of feature `f` at values > 0. */
  nonZeroShare(f: number): number {
    if (this.total <= 0) return 0;
    return 1 - this.#zero[f] / this.total;
  }

  /** All weights, BINS per feature in feature order (as saved in state files). */
  dense(): Float32Array {
    const out = new Float32Array(this.features * BINS);
    for (let f = 0; f < this.features; f++) {
      out[f * BINS] = this.#zero[f];
      const lo = this.#lo[f];
      for (let i = 0; i < this.#len[f]; i++) out[f * BINS + lo + i] = this.#bins[this.#off[f] + i];
    }
    return out;
  }

  /** Sets bin `b` of feature `f` (restoring a saved histogram; stored as float32). */
  set(f: number, b: number, w: number): void {
    if (b === 0) this.#zero[f] = w;
    else if (w !== 0) {
      if (b < this.#lo[f] || b >= this.#lo[f] + this.#len[f]) {
        const want = new Int32Array(this.features);
        want[f] = b;
        this.#widen(want);
      }
      this.#bins[this.#off[f] + b - this.#lo[f]] = w;
    }
  }

  /**
   * Extends the range of every feature `f` whose bin `want[f]` (0: none) lies outside it, to
   * hold that bin and SLACK more on its side, and lays all ranges out anew in one array.
   */
  #widen(want: Int32Array): void {
    const lo = this.#lo;
    const len = this.#len;
    const off = this.#off;
    const old = this.#bins;
    if (newLo.length < this.features) {
      newLo = new Int32Array(this.features);
      newLen = new Int32Array(this.features);
    }
    let size = 0;
    for (let f = 0; f < this.features; f++) {
      const b = want[f];
      if (b !== 0 && (b < lo[f] || b >= lo[f] + len[f])) {
        let from = Math.max(1, b - SLACK);
        let to = Math.min(BINS, b + SLACK + 1);
        if (len[f] > 0) {
          from = Math.min(from, lo[f]);
          to = Math.max(to, lo[f] + len[f]);
        }
        newLo[f] = from;
        newLen[f] = to - from;
      } else {
        newLo[f] = lo[f];
        newLen[f] = len[f];
      }
      size += newLen[f];
    }
    const next = new Float32Array(size);
    let at = 0;
    for (let f = 0; f < this.features; f++) {
      const to = at + lo[f] - newLo[f];
      for (let i = 0; i < len[f]; i++) next[to + i] = old[off[f] + i];
      lo[f] = newLo[f];
      len[f] = newLen[f];
      off[f] = at;
      at += len[f];
    }
    this.#bins = next;
  }
}

/** Scratch for add() and #widen() (one histogram at a time). */
let scratch = new Int32Array(64);
let newLo = new Int32Array(64);
let newLen = new Int32Array(64);
