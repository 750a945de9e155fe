/**
 * A judged window as the network's two input vectors (network.ts), written into reused
 * Float32Arrays. Per feature f of the schema, with v the window's value:
 *
 * - z: v against the device's own normal, the baseline's robust z (DeviceBaseline.robustZ:
 *   (log2(1+v) − median) / max(IQR/1.349, ¼), log2 scale), squashed to ±zClip and scaled;
 * - normal: the baseline's median of f (log2 scale), standardised over the training windows;
 * - level: log2(1 + v), standardised over the training windows;
 * - kind: one-hot over the model's kinds ('unknown' for a kind it was not trained on).
 *
 * The baseline's three quartiles of a feature are read in one pass over its histogram (the
 * same interpolation as HistogramSet.logQuantile; tests/model/encode.test.ts holds them equal).
 * @module
 */
import type { DeviceBaseline } from '../baseline/device-baseline.js';
import { BINS, BINS_PER_OCTAVE, logScale } from '../baseline/histogram.js';
import type { InputEncoding, ModelMeta } from './meta.js';

/** The robust spread's floor (DeviceBaseline.robustZ): a quarter octave. */
const MIN_SPREAD = 0.25;

export class InputEncoder {
  readonly features: readonly string[];
  readonly kinds: readonly string[];
  readonly aeInputs: number;
  readonly headInputs: number;
  /** The last encoded window's z (unsquashed) and its baseline medians, per feature. */
  readonly z: Float64Array;
  readonly median: Float64Array;
  readonly #enc: InputEncoding;
  readonly #unknown: number;
  readonly #q = new Float64Array(3);
  readonly #level: Float64Array;

  constructor(meta: Pick<ModelMeta, 'encoding' | 'kinds'> & { features: { names: string[] } }) {
    this.features = meta.features.names;
    this.kinds = meta.kinds;
    this.#enc = meta.encoding;
    this.#unknown = meta.kinds.indexOf('unknown');
    const f = this.features.length;
    this.aeInputs = 2 * f + this.kinds.length;
    this.headInputs = 2 * f + this.kinds.length;
    this.z = new Float64Array(f);
    this.median = new Float64Array(f);
    this.#level = new Float64Array(f);
  }

  /** Index of a kind in the one-hot ('unknown' for one the model does not know). */
  kindIndex(kind: string): number {
    const i = this.kinds.indexOf(kind);
    return i >= 0 ? i : this.#unknown;
  }

  /**
   * Encodes one window: `values` in schema order, `baseline` the device's (its histograms in
   * the same feature order), `kind` the device's kind.
   */
  encode(
    values: ArrayLike<number>,
    baseline: DeviceBaseline,
    kind: string,
    ae: Float32Array,
    head: Float32Array,
  ): void {
    const f = this.features.length;
    const hist = baseline.hist;
    const q = this.#q;
    const level = this.#level;
    for (let i = 0; i < f; i++) {
      level[i] = logScale(values[i]);
      let z = 0;
      let med = 0;
      if (hist.total > 0) {
        quartiles(hist.counts, i * BINS, hist.total, q);
        med = q[1];
        z = (level[i] - med) / Math.max((q[2] - q[0]) / 1.349, MIN_SPREAD);
      }
      this.z[i] = z;
      this.median[i] = med;
    }
    writeInputs(
      this.#enc,
      this.z,
      this.median,
      level,
      this.kindIndex(kind),
      this.kinds.length,
      ae,
      0,
      head,
      0,
    );
  }
}

/**
 * The two input vectors from one window's z, baseline medians and levels (module comment),
 * written at `aeAt` / `headAt`: the one formula for scoring and for training.
 */
export function writeInputs(
  e: InputEncoding,
  z: ArrayLike<number>,
  median: ArrayLike<number>,
  level: ArrayLike<number>,
  kindIndex: number,
  kinds: number,
  ae: Float32Array,
  aeAt: number,
  head: Float32Array,
  headAt: number,
): void {
  const f = e.levelMean.length;
  const clip = e.zClip;
  for (let i = 0; i < f; i++) {
    const zs = (clip * Math.tanh(z[i] / clip)) / e.zScale;
    ae[aeAt + i] = zs;
    head[headAt + i] = zs;
    ae[aeAt + f + i] = (median[i] - e.normalMean[i]) / e.normalStd[i];
    head[headAt + f + i] = (level[i] - e.levelMean[i]) / e.levelStd[i];
  }
  for (let j = 0; j < kinds; j++) {
    const v = j === kindIndex ? 1 : 0;
    ae[aeAt + 2 * f + j] = v;
    head[headAt + 2 * f + j] = v;
  }
}

/**
 * The 0.25, 0.5 and 0.75 log-quantiles of one feature's histogram block (HistogramSet
 * .logQuantile, three at once): bin 0 is the point 0, bin b ≥ 1 spans [(b−1)/4, b/4).
 */
export function quartiles(c: Float32Array, base: number, total: number, out: Float64Array): void {
  const targets = [0.25 * total, 0.5 * total, 0.75 * total];
  let t = 0;
  let acc = c[base];
  while (t < 3 && acc >= targets[t]) out[t++] = 0;
  for (let b = 1; b < BINS && t < 3; b++) {
    const w = c[base + b];
    if (w <= 0) continue;
    while (t < 3 && acc + w >= targets[t]) {
      out[t] = (b - 1 + (targets[t] - acc) / w) / BINS_PER_OCTAVE;
      t++;
    }
    acc += w;
  }
  while (t < 3) out[t++] = (BINS - 1) / BINS_PER_OCTAVE;
}
