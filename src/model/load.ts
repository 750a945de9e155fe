/**
 * Opening a saved model for scoring: read the folder, refuse a model trained on another feature
 * schema or window length (one line, exit 2), and put it on an engine — the plain forward pass
 * by default (no TensorFlow.js import, so a replay with a model starts as fast as one without),
 * or a TensorFlow.js backend when HOMEWATCH_BACKEND (or `engine`) asks for one.
 * @module
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FEATURE_NAMES, FEATURE_SCHEMA_VERSION } from '../features/schema.js';
import { HomewatchError } from '../util/errors.js';
import { isTfBackend, loadTf, type TfBackendName } from './backend.js';
import { type Engine, JsEngine, TfEngine } from './engine.js';
import { fileLoadHandler, readModelFolder } from './io.js';
import { checkMeta, type ModelMeta } from './meta.js';
import { chainFromFolder } from './network.js';
import { ModelScorer } from './scorer.js';

/** 'js': the plain forward pass; 'auto': the best TensorFlow.js backend; or one by name. */
export type EngineChoice = 'js' | 'auto' | TfBackendName;

export interface LoadedModel {
  scorer: ModelScorer;
  meta: ModelMeta;
  /** One line for a person: which model, on which engine. */
  line: string;
}

/** The engine asked for by HOMEWATCH_BACKEND (default: js). */
export function requestedEngine(): EngineChoice {
  const v = process.env.HOMEWATCH_BACKEND;
  if (v === undefined || v === '' || v === 'js') return 'js';
  if (v === 'auto' || isTfBackend(v)) return v;
  throw new HomewatchError(
    'ERR_USAGE',
    `HOMEWATCH_BACKEND=${v}: expected js, auto, tensorflow, wasm or cpu`,
  );
}

/** The shipped model folder: models/default beside dist/ (or src/) in the package. */
export function defaultModelDir(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const candidate = join(dir, 'models', 'default');
    if (existsSync(join(candidate, 'model.json'))) return candidate;
    dir = dirname(dir);
  }
  return null;
}

export async function loadModel(
  dir: string,
  opts: { windowS: number; engine?: EngineChoice },
): Promise<LoadedModel> {
  const folder = readModelFolder(dir);
  const meta = checkMeta(
    dir,
    folder.json.userDefinedMetadata,
    { version: FEATURE_SCHEMA_VERSION, names: FEATURE_NAMES },
    opts.windowS,
  );
  const choice = opts.engine ?? requestedEngine();
  let engine: Engine;
  try {
    if (choice === 'js') {
      engine = new JsEngine(
        chainFromFolder(folder.json.modelTopology, folder.weights, 'ae'),
        chainFromFolder(folder.json.modelTopology, folder.weights, 'head'),
      );
    } else {
      const tf = await loadTf(choice);
      const model = await tf.layers.loadLayersModel(fileLoadHandler(tf.core, dir));
      engine = new TfEngine(tf, model);
    }
  } catch (err) {
    if (err instanceof HomewatchError) throw err;
    throw new HomewatchError(
      'ERR_MODEL',
      `--model ${dir}: ${(err as Error).message.split('\n')[0]}`,
    );
  }
  checkShapes(dir, meta, folder.weights);
  const scorer = new ModelScorer(meta, engine);
  return {
    scorer,
    meta,
    line: `model ${dir}: ${meta.description}, feature schema v${meta.features.schemaVersion}; scoring on ${engine.line}`,
  };
}

/** The weights fit the metadata: inputs, reconstructed features and behaviours line up. */
function checkShapes(
  dir: string,
  meta: ModelMeta,
  weights: ReturnType<typeof readModelFolder>['weights'],
): void {
  const c = meta.encoding.context.length;
  const f = meta.features.names.length;
  const aeInputs = 2 * f + meta.kinds.length;
  const headInputs = aeInputs + c;
  const enc = weights.get('ae_enc/kernel')?.shape;
  const out = weights.get('ae_out/kernel')?.shape;
  const head = weights.get('head_hidden/kernel')?.shape;
  const probs = weights.get('head_out/kernel')?.shape;
  if (
    enc?.[0] !== aeInputs ||
    out?.[1] !== f + c ||
    head?.[0] !== headInputs ||
    probs?.[1] !== meta.behaviours.length
  )
    throw new HomewatchError(
      'ERR_MODEL',
      `--model ${dir}: its weights do not fit its metadata (${f} features, ${c} context inputs, ${meta.kinds.length} kinds, ${meta.behaviours.length} behaviours)`,
    );
}
