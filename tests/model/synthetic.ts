/**
 * A small model with seeded random weights and complete metadata for the current feature
 * schema, saved as a folder: what the model tests load, score and compare without a training
 * run. Its calibration is fitted to the errors of seeded random inputs, so its scores spread
 * over [0, 1] the way a trained model's do.
 */
import { loadTf, type Tf, type TfBackendName } from '../../src/model/backend.js';
import { fitCalibration } from '../../src/model/calibration.js';
import { CONTEXT_HALF_LIVES, CONTEXT_INPUTS, CONTEXT_Z } from '../../src/model/context.js';
import { fileSaveHandler } from '../../src/model/io.js';
import { MODEL_FORMAT, MODEL_FORMAT_VERSION, type ModelMeta } from '../../src/model/meta.js';
import { buildNetwork, DEFAULT_SIZES, type Network } from '../../src/model/network.js';
import { FEATURE_NAMES, FEATURE_SCHEMA_VERSION } from '../../src/features/schema.js';
import { NAMED } from '../../src/model/train/table.js';
import { Rng } from '../../src/model/train/fit.js';

export const KINDS = ['camera', 'plug', 'unknown'];

export function syntheticMeta(overrides: Partial<ModelMeta> = {}): ModelMeta {
  const f = FEATURE_NAMES.length;
  const rng = new Rng(7);
  // Errors of a chi-square-like benign distribution: mean of f squared normals.
  const errors = Array.from({ length: 4000 }, () => {
    let s = 0;
    for (let i = 0; i < 8; i++) {
      const u = Math.max(1e-12, rng.next());
      const n = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
      s += n * n;
    }
    return s / 8;
  });
  return {
    format: MODEL_FORMAT,
    formatVersion: MODEL_FORMAT_VERSION,
    description: 'synthetic test model',
    features: { schemaVersion: FEATURE_SCHEMA_VERSION, names: [...FEATURE_NAMES] },
    windowS: 60,
    kinds: KINDS,
    behaviours: [...NAMED],
    encoding: {
      minSpread: 1,
      zClip: 8,
      zScale: 3,
      levelMean: new Array(f).fill(2),
      levelStd: new Array(f).fill(4),
      normalMean: new Array(f).fill(2),
      normalStd: new Array(f).fill(4),
      context: [...CONTEXT_INPUTS],
      contextHalfLives: CONTEXT_HALF_LIVES,

      contextZ: CONTEXT_Z,
    },
    residualScale: new Array(f + CONTEXT_INPUTS.length).fill(0.05),
    contextErrorWeight: 1,
    calibration: fitCalibration(errors, 1e-4),
    thresholds: { anomaly: 0.5, behaviours: Object.fromEntries(NAMED.map((b) => [b, 0.9])) },
    policy: { anomalyAlerts: true, explainS: 900 },
    training: { seed: 0, command: 'tests', backend: 'cpu', epochs: { ae: 0, head: 0 }, rows: {} },
    ...overrides,
  };
}

export async function syntheticNetwork(tf: Tf, seed = 3): Promise<Network> {
  const f = FEATURE_NAMES.length;
  const c = CONTEXT_INPUTS.length;
  const a = 2 * f + KINDS.length;
  return buildNetwork(
    tf.layers,
    {
      aeInputs: a,
      aeOutputs: f + c,
      aeHidden: DEFAULT_SIZES.aeHidden,
      aeCode: DEFAULT_SIZES.aeCode,
      headInputs: a + c,
      headHidden: DEFAULT_SIZES.headHidden,
      behaviours: NAMED.length,
    },
    seed,
  );
}

/** Saves a synthetic model into `dir`; returns the network it saved. */
export async function saveSyntheticModel(
  dir: string,
  opts: { meta?: Partial<ModelMeta>; seed?: number; backend?: TfBackendName } = {},
): Promise<Network> {
  const tf = await loadTf(opts.backend ?? 'cpu');
  const net = await syntheticNetwork(tf, opts.seed);
  net.full.setUserDefinedMetadata({ homewatch: syntheticMeta(opts.meta) });
  await net.full.save(fileSaveHandler(tf.core, dir));
  return net;
}
