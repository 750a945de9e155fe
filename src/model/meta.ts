/**
 * What a saved model records beside its weights (model.json, `userDefinedMetadata.homewatch`):
 * the feature schema it was trained on (names and version: a mismatch is refused), the window
 * length, the device kinds and behaviours it knows, how inputs are encoded, the calibration of
 * its score, its thresholds and alert policy, and how it was trained.
 * @module
 */
import { HomewatchError } from '../util/errors.js';
import type { CalibrationTable } from './calibration.js';
import { CONTEXT_INPUTS, type ContextHalfLives } from './context.js';

export const MODEL_FORMAT = 'homewatch-model';
/**
 * 2: context inputs (context.ts) after z. 3: two more context inputs (newEndpointRepeats,
 * portMapsAboveNormal), a half-life per kind of input, and the context's weight in the error.
 * A model of an older format (other inputs) is refused.
 */
export const MODEL_FORMAT_VERSION = 3;

export interface InputEncoding {
  /** Floor of the robust spread in z (octaves of log2(1 + v)). */
  minSpread: number;
  /** z is squashed to ±zClip (zClip·tanh(z/zClip)), then divided by zScale. */
  zClip: number;
  zScale: number;
  /** Standardisation of log2(1 + value) per feature (the head's raw levels). */
  levelMean: number[];
  levelStd: number[];
  /** Standardisation of the baseline's median log2(1 + value) per feature (the device's normal). */
  normalMean: number[];
  normalStd: number[];
  /** Context inputs (context.ts, CONTEXT_INPUTS), in input order after z. */
  context: string[];
  /** Their half-lives, seconds of packet time. */
  contextHalfLives: ContextHalfLives;
  /** Units of z one octave of a context input counts as (before the squash). */
  contextZ: number;
}

/** How the model's outputs become findings (the policy the ablation chose). */
export interface ModelPolicy {
  /** Raise `anomaly` for a high score that no named behaviour explains. */
  anomalyAlerts: boolean;
  /** A detector finding on the device this many seconds before explains a high score. */
  explainS: number;
}

export interface TrainingRecord {
  seed: number;
  command: string;
  /** Backend the weights were trained on. */
  backend: string;
  epochs: { ae: number; head: number };
  /** Rows each part saw (counts by set). */
  rows: Record<string, number>;
}

export interface ModelMeta {
  format: typeof MODEL_FORMAT;
  formatVersion: typeof MODEL_FORMAT_VERSION;
  /** 'autoencoder v1' and what it was trained for. */
  description: string;
  features: { schemaVersion: number; names: string[] };
  windowS: number;
  /** Kinds in one-hot order; a kind not listed is encoded as 'unknown'. */
  kinds: string[];
  /** The head's outputs, in order. */
  behaviours: string[];
  encoding: InputEncoding;
  /**
   * Mean squared reconstruction error per reconstructed input (features, then context inputs)
   * on benign training windows.
   */
  residualScale: number[];
  /**
   * Weight of a context input's residual in the error, against 1 for a feature's z: a context
   * input sums up the window's evidence of something new to the device (one input where a
   * behaviour moves several features' z), so its residual counts for more than one z's.
   */
  contextErrorWeight: number;
  calibration: CalibrationTable;
  thresholds: { anomaly: number; behaviours: Record<string, number> };
  policy: ModelPolicy;
  training: TrainingRecord;
}

function bad(dir: string, problem: string): HomewatchError {
  return new HomewatchError('ERR_MODEL', `--model ${dir}: ${problem}`);
}

function numbers(v: unknown, n: number): boolean {
  return Array.isArray(v) && v.length === n && v.every((x) => typeof x === 'number');
}

/**
 * The metadata of a loaded model.json, checked against what this Homewatch computes: the same
 * feature names in the same order under the same schema version, the same window length.
 */
export function checkMeta(
  dir: string,
  raw: unknown,
  schema: { version: number; names: readonly string[] },
  windowS: number,
): ModelMeta {
  const m = (raw as { homewatch?: ModelMeta } | undefined)?.homewatch;
  if (m === undefined || m === null || m.format !== MODEL_FORMAT)
    throw bad(dir, 'not a Homewatch model (model.json has no homewatch metadata)');
  if (m.formatVersion !== MODEL_FORMAT_VERSION)
    throw bad(
      dir,
      `model format ${m.formatVersion}; this homewatch reads ${MODEL_FORMAT_VERSION} (inputs changed); retrain it with 'homewatch train'`,
    );
  const names = m.features?.names;
  const version = m.features?.schemaVersion;
  const same =
    version === schema.version &&
    Array.isArray(names) &&
    names.length === schema.names.length &&
    names.every((n, i) => n === schema.names[i]);
  if (!same) {
    const diff = Array.isArray(names) ? describeDiff(names, schema.names) : 'no feature list';
    throw bad(
      dir,
      `trained on feature schema v${String(version)} (${Array.isArray(names) ? names.length : 0} features), this homewatch computes v${schema.version} (${schema.names.length} features; ${diff}); retrain it with 'homewatch train'`,
    );
  }
  if (m.windowS !== windowS)
    throw bad(dir, `trained on ${m.windowS} s windows; run with --window ${m.windowS}`);
  const f = names.length;
  const e = m.encoding;
  const ok =
    e !== undefined &&
    typeof e.minSpread === 'number' &&
    Array.isArray(e.context) &&
    e.context.every((n) => typeof n === 'string') &&
    typeof e.contextHalfLives === 'object' &&
    e.contextHalfLives !== null &&
    (['heldS', 'portMapsS', 'repeatsS'] as const).every(
      (k) => typeof e.contextHalfLives[k] === 'number' && e.contextHalfLives[k] > 0,
    ) &&
    typeof e.contextZ === 'number' &&
    numbers(e.levelMean, f) &&
    numbers(e.levelStd, f) &&
    numbers(e.normalMean, f) &&
    numbers(e.normalStd, f) &&
    numbers(m.residualScale, f + (Array.isArray(e.context) ? e.context.length : 0)) &&
    typeof m.contextErrorWeight === 'number' &&
    m.contextErrorWeight > 0 &&
    Array.isArray(m.kinds) &&
    m.kinds.includes('unknown') &&
    Array.isArray(m.behaviours) &&
    m.calibration !== undefined &&
    m.thresholds !== undefined &&
    m.policy !== undefined;
  if (!ok) throw bad(dir, 'its metadata is incomplete (encoding, kinds, calibration or policy)');
  if (e.context.join(',') !== CONTEXT_INPUTS.join(','))
    throw bad(
      dir,
      `trained on context inputs [${e.context.join(', ')}], this homewatch computes [${CONTEXT_INPUTS.join(', ')}]; retrain it with 'homewatch train'`,
    );
  return m;
}

function describeDiff(a: readonly string[], b: readonly string[]): string {
  const missing = b.filter((n) => !a.includes(n));
  const extra = a.filter((n) => !b.includes(n));
  const parts: string[] = [];
  if (missing.length > 0)
    parts.push(`new: ${missing.slice(0, 4).join(', ')}${missing.length > 4 ? ', …' : ''}`);
  if (extra.length > 0)
    parts.push(`gone: ${extra.slice(0, 4).join(', ')}${extra.length > 4 ? ', …' : ''}`);
  return parts.length > 0 ? parts.join('; ') : 'same names, other order or version';
}
