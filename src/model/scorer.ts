/**
 * The model as the runtime sees it (types.ts, WindowScorer): for every judged window, the
 * anomaly `score` (calibration.ts), the head's probability per behaviour, and — when the
 * model's policy says so — an `anomaly` finding for a high score that no named behaviour
 * explains, naming the features that drove it.
 *
 * A device still learning has no reliable normal: its windows score 0 and never raise
 * `anomaly` (the head's probabilities are still written; they read the raw levels too).
 * @module
 */
import type { DetectContext, Finding } from '../detect/types.js';
import { AnomalyDetector, type AnomalyFacts, type Contribution } from './anomaly.js';
import { calibratedScore, exceedance } from './calibration.js';
import { InputEncoder } from './encode.js';
import type { Engine } from './engine.js';
import type { ModelMeta } from './meta.js';
import type { ModelVerdict, WindowScorer } from './types.js';
import { HomewatchError } from '../util/errors.js';

/** Features named in an anomaly's facts. */
export const TOP_FEATURES = 3;
/** Devices whose last explaining finding is remembered (oldest forgotten first). */
const MAX_REMEMBERED = 4096;
/** Version of the scorer's part of the state file (`snapshot`). */
export const SCORER_STATE_VERSION = 1;

/** The scorer's part of the state file: what it remembers per device between windows. */
export interface ScorerSnapshot {
  version: typeof SCORER_STATE_VERSION;
  /** The held context inputs (context.ts). */
  context: unknown;
  /** Packet time of each device's last detector finding, least recent first. */
  explained: [string, number][];
}

/** What one window's pass produced, for training, evaluation and tests. */
export interface WindowOutput {
  /** Mean standardised squared residual (the error the score calibrates). */
  error: number;
  score: number;
  /** Standardised squared residual per reconstructed input (features, then context inputs). */
  residuals: Float64Array;
  probs: Float32Array;
}

export class ModelScorer implements WindowScorer {
  readonly description: string;
  readonly anomalyDetector = new AnomalyDetector();
  readonly meta: ModelMeta;
  readonly engine: Engine;
  readonly encoder: InputEncoder;
  readonly #values: Float64Array;
  readonly #ae: Float32Array;
  readonly #head: Float32Array;
  readonly #recon: Float32Array;
  readonly #probs: Float32Array;
  readonly #residuals: Float64Array;
  readonly #weights: Float64Array;
  /** Packet time of each device's last detector finding. */
  readonly #explained = new Map<string, number>();
  /**
   * Every behaviour at 0, in the model's order, made by JSON.parse (an object V8 keeps in fast
   * mode): each window's `behaviours` is a copy with the values overwritten, not an object given
   * its properties one by one by computed name.
   */
  readonly #zeros: Readonly<Record<string, number>>;

  constructor(meta: ModelMeta, engine: Engine) {
    this.meta = meta;
    this.engine = engine;
    this.encoder = new InputEncoder(meta);
    const f = meta.features.names.length;
    this.#values = new Float64Array(f);
    this.#ae = new Float32Array(this.encoder.aeInputs);
    this.#head = new Float32Array(this.encoder.headInputs);
    this.#recon = new Float32Array(this.encoder.outputs);
    this.#probs = new Float32Array(meta.behaviours.length);
    this.#residuals = new Float64Array(this.encoder.outputs);
    this.#weights = errorWeights(f, meta.encoding.context.length, meta.contextErrorWeight);
    this.description = `${meta.description} (${engine.name})`;
    this.#zeros = JSON.parse(
      JSON.stringify(Object.fromEntries(meta.behaviours.map((b) => [b, 0]))),
    ) as Record<string, number>;
  }

  /** The last window's feature values, in schema order. */
  get lastValues(): Float64Array {
    return this.#values;
  }

  /** Runs one window through the network (no policy): the numbers behind a verdict. */
  run(ctx: DetectContext): WindowOutput {
    const names = this.meta.features.names;
    const feats = ctx.w.record.features;
    const values = this.#values;
    for (let i = 0; i < names.length; i++) values[i] = feats[names[i]] ?? 0;
    this.encoder.encode(ctx.w, values, ctx.baseline, ctx.kind, this.#ae, this.#head);
    this.engine.run(this.#ae, this.#head, 1, this.#recon, this.#probs);
    // The reconstruction's target is the head's input: z, then the context inputs.
    const error = residuals(
      this.#head,
      this.#recon,
      this.meta.residualScale,
      this.#weights,
      this.#residuals,
    );
    return {
      error,
      score: ctx.judged ? calibratedScore(this.meta.calibration, error) : 0,
      residuals: this.#residuals,
      probs: this.#probs,
    };
  }

  score(ctx: DetectContext, findings: readonly Finding[]): ModelVerdict {
    const out = this.run(ctx);
    const behaviours: Record<string, number> = { ...this.#zeros };
    const bs = this.meta.behaviours;
    for (let j = 0; j < bs.length; j++) behaviours[bs[j]] = round4(out.probs[j]);
    const mac = ctx.w.device.macStr;
    const end = ctx.w.record.end;
    if (findings.length > 0) this.#remember(mac, end);
    let anomaly: Finding<AnomalyFacts> | null = null;
    const policy = this.meta.policy;
    if (
      policy.anomalyAlerts &&
      ctx.judged &&
      out.score >= this.meta.thresholds.anomaly &&
      findings.length === 0 &&
      !(end - (this.#explained.get(mac) ?? -Infinity) <= policy.explainS)
    )
      anomaly = this.#finding(ctx, out);
    return { score: round4(out.score), behaviours, anomaly };
  }

  /** Per-device memory for the state file (what a restart would otherwise forget). */
  snapshot(): ScorerSnapshot {
    return {
      version: SCORER_STATE_VERSION,
      context: this.encoder.trace.snapshot(),
      explained: [...this.#explained],
    };
  }

  /** Restores a `snapshot`; throws ERR_STATE (remembering nothing) when it is not one. */
  restore(part: unknown): void {
    this.#explained.clear();
    const s = part as Partial<ScorerSnapshot> | null;
    try {
      if (s === null || typeof s !== 'object' || s.version !== SCORER_STATE_VERSION)
        throw new HomewatchError(
          'ERR_STATE',
          `model: unknown format (version ${JSON.stringify(s?.version)})`,
        );
      if (
        !Array.isArray(s.explained) ||
        !s.explained.every(
          (e) => Array.isArray(e) && typeof e[0] === 'string' && typeof e[1] === 'number',
        )
      )
        throw new HomewatchError('ERR_STATE', 'model: the explained list is damaged');
      this.encoder.trace.restore(s.context);
      for (const [mac, ts] of s.explained) this.#remember(mac, ts);
    } catch (err) {
      this.#explained.clear();
      this.encoder.trace.clear();
      throw err;
    }
  }

  #remember(mac: string, ts: number): void {
    const m = this.#explained;
    m.delete(mac);
    m.set(mac, ts);
    if (m.size > MAX_REMEMBERED) m.delete(m.keys().next().value as string);
  }

  #finding(ctx: DetectContext, out: WindowOutput): Finding<AnomalyFacts> {
    const top = topContributions(this, out.residuals, TOP_FEATURES);
    let looksLike = '';
    let looksLikeP = 0;
    for (let j = 0; j < this.meta.behaviours.length; j++)
      if (out.probs[j] > Math.max(0.5, looksLikeP)) {
        looksLike = this.meta.behaviours[j];
        looksLikeP = round4(out.probs[j]);
      }
    return {
      behaviour: 'anomaly',
      key: '',
      ts: ctx.w.record.start,
      score: round4(out.score),
      severity: out.score >= 0.9 ? 'medium' : 'low',
      facts: {
        score: round4(out.score),
        rarity: Math.round(1 / exceedance(this.meta.calibration, out.error)),
        top,
        looksLike,
        looksLikeP,
      },
    };
  }
}

/** A feature is named only when the window moved it at least this far from the normal (|z|). */
export const NAMED_MIN_Z = 1;

/**
 * The inputs that drove the error of the window `scorer` last ran: of those the window moved
 * off the device's normal (|z| ≥ NAMED_MIN_Z; a context input, at least that many octaves of
 * something new), the ones with the largest standardised residuals, with their values and the
 * device's normal (0 for a context input: nothing new). (An input can carry residual only
 * because the reconstruction is off while the window sits at its normal; naming it would not
 * say why.)
 */
export function topContributions(
  scorer: ModelScorer,
  res: Float64Array,
  k: number,
): Contribution[] {
  const enc = scorer.encoder;
  const names = enc.outputNames;
  const f = enc.features.length;
  const z = (i: number): number => (i < f ? enc.z[i] : enc.context[i - f]);
  let total = 0;
  for (let i = 0; i < res.length; i++) total += res[i];
  const moved = Array.from(res.keys()).filter((i) => Math.abs(z(i)) >= NAMED_MIN_Z);
  const order = (moved.length > 0 ? moved : Array.from(res.keys())).sort(
    (a, b) => res[b] - res[a] || a - b,
  );
  return order.slice(0, k).map((i) => ({
    feature: names[i],
    value: round4(i < f ? scorer.lastValues[i] : enc.context[i - f]),
    normal: i < f ? round4(2 ** enc.median[i] - 1) : 0,
    z: round4(z(i)),
    share: total > 0 ? round4(res[i] / total) : 0,
  }));
}

/**
 * Weighted standardised squared residuals of the reconstructed inputs (`weight[i]` × squared
 * residual / `scale[i]`) into `out`; returns their weighted mean, the window's error.
 */
export function residuals(
  x: Float32Array,
  recon: Float32Array,
  scale: readonly number[],
  weight: ArrayLike<number>,
  out: Float64Array,
): number {
  let sum = 0;
  let weights = 0;
  for (let i = 0; i < out.length; i++) {
    const d = x[i] - recon[i];
    const r = (weight[i] * d * d) / scale[i];
    out[i] = r;
    sum += r;
    weights += weight[i];
  }
  return sum / weights;
}

/**
 * The weight of each reconstructed input in the error: 1 for each of `features` z, then
 * `contextWeight` for each of `contexts` context inputs (meta.ts, `contextErrorWeight`).
 */
export function errorWeights(
  features: number,
  contexts: number,
  contextWeight: number,
): Float64Array {
  return new Float64Array(features + contexts).fill(1).fill(contextWeight, features);
}

function round4(v: number): number {
  return Math.round(v * 1e4) / 1e4;
}
