/**
 * A judged window as the network's two input vectors (network.ts), written into reused
 * Float32Arrays. Per feature f of the schema, with v the window's value and the device's
 * baseline histogram of f (log2 scale):
 *
 * - z: v against the device's own normal, a robust z as DeviceBaseline.robustZ computes it —
 *   (log2(1+v) − median) / max(IQR/1.349, floor) — but with the model's own floor
 *   (`minSpread`, one octave: a quiet IoT device's counts are so steady that the baseline's
 *   quarter-octave floor makes a doubling a 4-sigma event), squashed to ±zClip and scaled;
 *   0 while the baseline is empty;
 * - normal: the baseline's median of f, standardised over the training windows;
 * - level: log2(1 + v), standardised over the training windows, squashed to ±zClip (a feature
 *   that is 0 in nearly every training window has a tiny spread);
 * - kind: one-hot over the model's kinds ('unknown' for a kind it was not trained on);
 * - context: the held context inputs (context.ts: what was new to the device, lately, in
 *   octaves), each octave counted as `contextZ` units of z, then squashed and scaled as z.
 *
 * Layout: autoencoder [z, normal, kind], head [z, context, level, kind]. The autoencoder
 * reconstructs z and context — the first `outputs` of the head's input, the residuals' target
 * — but is not shown the context: it must predict from the window's features what was new to
 * the device (a busy window explains a new endpoint or two), not copy it, so something new that
 * the window does not explain leaves a residual.
 *
 * What a window contributes is kept as (level, median, spread) so that training can encode
 * rows recorded long before (train/table.ts) with the same formula (`writeInputs`). The three
 * quartiles are read in one pass over the histogram (the interpolation of
 * HistogramSet.logQuantile; tests/model/encode.test.ts holds them equal).
 * @module
 */
import type { DeviceBaseline } from '../baseline/device-baseline.js';
import { logScale } from '../baseline/histogram.js';
import type { ClosedWindow } from '../features/windows.js';
import { ContextTrace } from './context.js';
import type { InputEncoding, ModelMeta } from './meta.js';

export class InputEncoder {
  readonly features: readonly string[];
  readonly kinds: readonly string[];
  readonly aeInputs: number;
  readonly headInputs: number;
  /** Inputs the autoencoder reconstructs: z of every feature, then the context inputs. */
  readonly outputs: number;
  /** Names of the reconstructed inputs (features, then context inputs). */
  readonly outputNames: readonly string[];
  /** The last encoded window, per feature: z (unsquashed), baseline median and spread, level. */
  readonly z: Float64Array;
  readonly median: Float64Array;
  readonly spread: Float64Array;
  readonly level: Float64Array;
  /** The last encoded window's held context inputs (context.ts). */
  readonly context: Float64Array;
  /** Each device's held context inputs (saved with the agent's state through the scorer). */
  readonly trace: ContextTrace;
  readonly #enc: InputEncoding;
  readonly #unknown: number;
  readonly #q = new Float64Array(3);

  constructor(meta: Pick<ModelMeta, 'encoding' | 'kinds'> & { features: { names: string[] } }) {
    this.features = meta.features.names;
    this.kinds = meta.kinds;
    this.#enc = meta.encoding;
    this.#unknown = meta.kinds.indexOf('unknown');
    const f = this.features.length;
    const c = meta.encoding.context.length;
    this.outputs = f + c;
    this.outputNames = [...this.features, ...meta.encoding.context];
    this.aeInputs = 2 * f + this.kinds.length;
    this.headInputs = 2 * f + c + this.kinds.length;
    this.context = new Float64Array(c);
    this.trace = new ContextTrace(meta.encoding.contextHalfLives);
    this.z = new Float64Array(f);
    this.median = new Float64Array(f);
    this.spread = new Float64Array(f);
    this.level = new Float64Array(f);
  }

  /** Index of a kind in the one-hot ('unknown' for one the model does not know). */
  kindIndex(kind: string): number {
    const i = this.kinds.indexOf(kind);
    return i >= 0 ? i : this.#unknown;
  }

  /**
   * Encodes one window: `values` in schema order, `baseline` the device's (its histograms in
   * the same feature order), `kind` the device's kind. Every window of a device goes through
   * here in time order (the context inputs are held from one window to the next).
   */
  encode(
    w: ClosedWindow,
    values: ArrayLike<number>,
    baseline: DeviceBaseline,
    kind: string,
    ae: Float32Array,
    head: Float32Array,
  ): void {
    this.measure(w, values, baseline);
    writeInputs(
      this.#enc,
      this.level,
      this.median,
      this.spread,
      this.context,
      this.kindIndex(kind),
      this.kinds.length,
      ae,
      0,
      head,
      0,
      this.z,
    );
  }

  /**
   * Level, baseline median and spread of every feature (spread +∞ for an empty baseline), and
   * the held context inputs.
   */
  measure(w: ClosedWindow, values: ArrayLike<number>, baseline: DeviceBaseline): void {
    if (this.context.length > 0) this.trace.next(w, baseline, this.context);
    const f = this.features.length;
    const hist = baseline.hist;
    const q = this.#q;
    for (let i = 0; i < f; i++) {
      this.level[i] = logScale(values[i]);
      if (hist.total > 0) {
        hist.logQuartiles(i, q);
        this.median[i] = q[1];
        this.spread[i] = (q[2] - q[0]) / 1.349;
      } else {
        this.median[i] = 0;
        this.spread[i] = Infinity;
      }
    }
  }
}

/** The robust z of a level against a median and spread, under the model's floor. */
export function robustZ(level: number, median: number, spread: number, minSpread: number): number {
  return spread === Infinity ? 0 : (level - median) / Math.max(spread, minSpread);
}

/**
 * The two input vectors from one window's levels, baseline medians, spreads and held context
 * inputs (module comment), written at `aeAt` / `headAt`: the one formula for scoring and for
 * training. `zOut`, when given, receives the unsquashed z.
 */
export function writeInputs(
  e: InputEncoding,
  level: ArrayLike<number>,
  median: ArrayLike<number>,
  spread: ArrayLike<number>,
  context: ArrayLike<number>,
  kindIndex: number,
  kinds: number,
  ae: Float32Array,
  aeAt: number,
  head: Float32Array,
  headAt: number,
  zOut?: Float64Array,
): void {
  const f = e.levelMean.length;
  const c = e.context.length;
  const clip = e.zClip;
  for (let i = 0; i < f; i++) {
    const z = robustZ(level[i], median[i], spread[i], e.minSpread);
    if (zOut !== undefined) zOut[i] = z;
    const zs = (clip * Math.tanh(z / clip)) / e.zScale;
    ae[aeAt + i] = zs;
    head[headAt + i] = zs;
    ae[aeAt + f + i] = (median[i] - e.normalMean[i]) / e.normalStd[i];
    // Squashed as z: a feature that is 0 in nearly every training window has a tiny spread,
    // and its first count would otherwise be an input of 50–100 (an unstable fit).
    head[headAt + f + c + i] = clip * Math.tanh((level[i] - e.levelMean[i]) / e.levelStd[i] / clip);
  }
  for (let i = 0; i < c; i++)
    head[headAt + f + i] = (clip * Math.tanh((e.contextZ * context[i]) / clip)) / e.zScale;
  for (let j = 0; j < kinds; j++) {
    const v = j === kindIndex ? 1 : 0;
    ae[aeAt + 2 * f + j] = v;
    head[headAt + 2 * f + c + j] = v;
  }
}
