/**
 * `homewatch train`: rebuilds a model from the repo's scenarios and the real benign captures,
 * seeded and deterministic.
 *
 * 1. Collect: every capture set of every split is replayed through the runtime (collect.ts);
 *    scenarios are generated into a temporary folder first and deleted after.
 * 2. Encode: input statistics from the training rows, the rows as inputs (encoding.ts).
 * 3. Autoencoder on the benign judged training windows; its per-feature residual scale.
 * 4. Calibration of the score on the benign judged calibration windows (calibration.ts).
 * 5. Head on every training window; a threshold per behaviour from the calibration windows.
 * 6. Save, reload through the plain forward pass (what replay uses), and evaluate on the
 *    held-out sets: ROC AUC per behaviour, the false-alarm rate against its budget, and the
 *    ablation of policies (ablation.ts); the winning policy is written into the model.
 * 7. MODEL.md (card.ts).
 * @module
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FEATURE_NAMES, FEATURE_SCHEMA_VERSION } from '../../features/schema.js';
import { loadTf, requestedBackend, type TfBackendName } from '../backend.js';
import { calibratedScore, fitCalibration, type CalibrationTable } from '../calibration.js';
import { CONTEXT_INPUTS, CONTEXT_ERROR_WEIGHT } from '../context.js';
import { fileSaveHandler, MODEL_JSON } from '../io.js';
import { loadModel } from '../load.js';
import { errorWeights } from '../scorer.js';
import { MODEL_FORMAT, MODEL_FORMAT_VERSION, type ModelMeta } from '../meta.js';
import { buildNetwork, DEFAULT_SIZES } from '../network.js';
import {
  evaluatePolicy,
  novelty,
  POLICIES,
  RUNNABLE,
  winner,
  type AttackCapture,
  type EvalSet,
  type PolicyResult,
} from './ablation.js';
import { aucByBehaviour, byRow } from './auc.js';
import { writeCard, type Card } from './card.js';
import { errorsOf, meanResiduals, predictHead, scoreRows } from './predict.js';
import { buildCardData, range, type SetInfo } from './summary.js';
import { collect } from './collect.js';
import { fitAutoencoder, fitHead } from './fit.js';
import { fitEncoding, rowEncoder } from './encoding.js';
import {
  FULL_SCALE,
  generateScenario,
  realAttackSpecs,
  realSet,
  realSpecs,
  scenarioSpecs,
  type DataScale,
  type DataSpec,
  type Generator,
  type Split,
} from './sources.js';
import { MASKED, NAMED, NEG, POS, WindowTable } from './table.js';

/** False-alarm budget per judged benign window (score 0.5): ~1 a device-week at one a minute. */
export const BUDGET = 1e-4;
/** A detector finding this long before explains a high score (the episodes' quiet time). */
const EXPLAIN_S = 900;

export interface TrainOptions {
  out: string;
  seed: number;
  windowS?: number;
  learnS?: number;
  scale?: DataScale;
  /** The real captures (../shared/datasets); null: none. */
  datasets: string | null;
  backend?: TfBackendName | 'auto';
  epochs?: { ae: number; head: number };
  /** Generator of scenarios (datasets/generator by default). */
  generator?: Generator;
  /**
   * Where scenarios are generated (each deleted once collected); default: a temporary folder
   * made and removed here. A caller that must clean up on a signal passes its own.
   */
  workDir?: string;
  /** The command line, for the model card. */
  command: string;
  onProgress?(p: Progress): void;
}

export interface Progress {
  stage: 'collect' | 'autoencoder' | 'head' | 'evaluate' | 'done';
  done: number;
  total: number;
  note: string;
}

export interface TrainResult {
  meta: ModelMeta;
  card: Card;
  backendLine: string;
  /** The held-out windows and the saved model's outputs on them (for analysis and tests). */
  heldOut: { table: WindowTable; rows: number[]; outputs: ReturnType<typeof scoreRows> };
}

export async function train(o: TrainOptions): Promise<TrainResult> {
  const windowS = o.windowS ?? 60;
  const learnS = o.learnS ?? 3600;
  const scale = o.scale ?? FULL_SCALE;
  const epochs = o.epochs ?? { ae: 24, head: 20 };
  const progress = o.onProgress ?? (() => {});
  const tf = await loadTf(o.backend ?? requestedBackend());
  const F = FEATURE_NAMES.length;
  const C = CONTEXT_INPUTS.length;
  /** Reconstructed inputs: z of every feature, then the context inputs. */
  const R = F + C;

  // 1. Collect.
  const specs: DataSpec[] = [
    ...scenarioSpecs(o.seed, 'train', scale.scenarios.train),
    ...scenarioSpecs(o.seed, 'calibration', scale.scenarios.calibration),
    ...scenarioSpecs(o.seed, 'evaluation', scale.scenarios.evaluation),
    ...(scale.real && o.datasets !== null
      ? [...realSpecs(o.datasets, o.seed), ...realAttackSpecs(o.datasets)]
      : []),
  ];
  const table = new WindowTable(F, C);
  const infos: SetInfo[] = [];
  const tmp = o.workDir ?? mkdtempSync(join(tmpdir(), 'homewatch-train-'));
  try {
    for (const [i, spec] of specs.entries()) {
      progress({
        stage: 'collect',
        done: i,
        total: specs.length,
        note: spec.kind === 'real' ? spec.name : `scenario ${spec.split}`,
      });
      const set =
        spec.kind === 'scenario'
          ? generateScenario(spec, tmp, learnS, o.generator)
          : realSet(spec, learnS);
      const from = table.length;
      const r = await collect(set, table, { windowS, keepFindings: spec.split === 'evaluation' });
      if (spec.kind === 'scenario') for (const f of set.files) rmSync(f, { force: true });
      infos.push({
        spec,
        set,
        from,
        to: table.length,
        ...r,
        alerts: spec.split === 'evaluation' ? r.alerts : [],
      });
    }
  } finally {
    if (o.workDir === undefined) rmSync(tmp, { recursive: true, force: true });
  }
  progress({
    stage: 'collect',
    done: specs.length,
    total: specs.length,
    note: `${table.length} windows`,
  });
  // Real attack captures are judged per capture (no window labels): kept out of the windows.
  const isAttack = (s: SetInfo): boolean => s.set.expect !== undefined;
  const rowsOf = (split: Split): number[] =>
    infos.filter((s) => s.spec.split === split && !isAttack(s)).flatMap((s) => range(s.from, s.to));
  const trainRows = rowsOf('train');
  const calRows = rowsOf('calibration');
  const evalRows = rowsOf('evaluation');

  // 2. Encode.
  const kinds = [...new Set([...trainRows.map((r) => table.kinds[r]), 'unknown'])].sort();
  const encoding = fitEncoding(table, F, trainRows);
  const encoder = rowEncoder(table, encoding, kinds, F, C, o.seed);
  const encodeRows = encoder.encode;
  /** Autoencoder and head input widths. */
  const A = encoder.aeWidth;
  const H = encoder.headWidth;

  // 3. Autoencoder.
  const shape = {
    aeInputs: A,
    aeOutputs: R,
    aeHidden: DEFAULT_SIZES.aeHidden,
    aeCode: DEFAULT_SIZES.aeCode,
    headInputs: H,
    headHidden: DEFAULT_SIZES.headHidden,
    behaviours: NAMED.length,
  };
  const net = buildNetwork(tf.layers, shape, o.seed);
  const aeRows = trainRows.filter((r) => table.benignJudged(r));
  const aeX = encodeRows(aeRows, true);
  if (aeRows.length < 100)
    throw new Error(`only ${aeRows.length} benign judged training windows: too few to train on`);
  await fitAutoencoder(tf, net.ae, aeX.ae, aeX.head, aeRows.length, A, H, R, {
    epochs: epochs.ae,
    batchSize: 256,
    learningRate: 2e-3,
    seed: o.seed ^ 0xae,
    onEpoch: (e, loss) =>
      progress({
        stage: 'autoencoder',
        done: e + 1,
        total: epochs.ae,
        note: `loss ${loss.toFixed(4)}`,
      }),
  });
  const residualScale = meanResiduals(tf, net.ae, aeX, aeRows.length, R);

  // 4. Calibration of the score.
  // Every calibration window is scored (the benign judged ones fit the calibration; all of
  // them give the calibration AUC, the figures changes to the model are chosen on).
  const calX = encodeRows(calRows, false);
  const weight = errorWeights(F, C, CONTEXT_ERROR_WEIGHT);
  const calAll = errorsOf(tf, net.ae, calX, calRows.length, R, residualScale, weight);
  const calErrors = Float64Array.from(calAll.filter((_, k) => table.benignJudged(calRows[k])));
  const calBenign = calErrors.length;
  const calibration: CalibrationTable = fitCalibration(calErrors, BUDGET);

  // 5. Head.
  const headIn = encodeRows(trainRows, true).head;
  const B = NAMED.length;
  const y = new Float32Array(trainRows.length * B);
  const m = new Float32Array(trainRows.length * B);
  const pos = new Array<number>(B).fill(0);
  const neg = new Array<number>(B).fill(0);
  trainRows.forEach((r, k) => {
    for (let j = 0; j < B; j++) {
      const l = table.label(r, j);
      y[k * B + j] = l === POS ? 1 : 0;
      m[k * B + j] = l === MASKED ? 0 : 1;
      if (l === POS) pos[j]++;
      else if (l === NEG) neg[j]++;
    }
  });
  const posWeight = pos.map((p, j) =>
    p > 0 ? Math.min(50, Math.max(1, Math.sqrt(neg[j] / p))) : 1,
  );
  await fitHead(tf, net.head, headIn, y, m, trainRows.length, H, B, posWeight, {
    epochs: epochs.head,
    batchSize: 256,
    learningRate: 2e-3,
    seed: o.seed ^ 0xbe,
    onEpoch: (e, loss) =>
      progress({ stage: 'head', done: e + 1, total: epochs.head, note: `loss ${loss.toFixed(4)}` }),
  });
  const calProbs = predictHead(tf, net.head, calX.head, calRows.length, H, B);
  const calibrationAuc = aucByBehaviour(
    table,
    calRows,
    byRow(table.length, calRows, calAll, calProbs, (r, e) =>
      table.judged[r] === 1 ? calibratedScore(calibration, e) : 0,
    ),
  );
  const behaviourThresholds = NAMED.map((_, j) => {
    const negs: number[] = [];
    calRows.forEach((r, k) => {
      if (table.label(r, j) === NEG && table.judged[r] === 1) negs.push(calProbs[k * B + j]);
    });
    negs.sort((a, b) => a - b);
    const q =
      negs.length > 0
        ? negs[Math.min(negs.length - 1, Math.floor((1 - BUDGET) * negs.length))]
        : 0.5;
    return Number(Math.min(0.999, Math.max(0.5, q + 1e-6)).toPrecision(6));
  });

  // 6. Save, reload as replay does, evaluate.
  const meta: ModelMeta = {
    format: MODEL_FORMAT,
    formatVersion: MODEL_FORMAT_VERSION,
    description: 'autoencoder v1 + behaviour head',
    features: { schemaVersion: FEATURE_SCHEMA_VERSION, names: [...FEATURE_NAMES] },
    windowS,
    kinds,
    behaviours: [...NAMED],
    encoding,
    residualScale,
    contextErrorWeight: CONTEXT_ERROR_WEIGHT,
    calibration,
    thresholds: {
      anomaly: 0.5,
      behaviours: Object.fromEntries(NAMED.map((b, j) => [b, behaviourThresholds[j]])),
    },
    policy: { anomalyAlerts: false, explainS: EXPLAIN_S },
    training: {
      seed: o.seed,
      command: o.command,
      backend: tf.backend,
      epochs,
      rows: {
        train: trainRows.length,
        trainBenignJudged: aeRows.length,
        calibration: calRows.length,
        calibrationBenignJudged: calBenign,
        evaluation: evalRows.length,
      },
    },
  };
  net.full.setUserDefinedMetadata({ homewatch: meta });
  await net.full.save(fileSaveHandler(tf.core, o.out));
  progress({ stage: 'evaluate', done: 0, total: 1, note: 'held-out sets' });
  const loaded = await loadModel(o.out, { windowS, engine: 'js' });
  const attackInfos = infos.filter(isAttack);
  const scored = [...evalRows, ...attackInfos.flatMap((s) => range(s.from, s.to))];
  const outputs = scoreRows(
    loaded.scorer.engine,
    scored,
    encodeRows(scored, false),
    R,
    B,
    meta,
    table,
  );
  const evalSets: EvalSet[] = infos
    .filter((s) => s.spec.split === 'evaluation' && !isAttack(s))
    .map((s) => ({
      name: s.set.name,
      real: s.set.real,
      rows: range(s.from, s.to),
      labels: s.set.labels,
      // Real captures: hours with traffic (some span days with a few packets); generated homes
      // are busy all along, so first packet to end, as evaluate counts.
      deviceHours: s.set.real ? ((s.to - s.from) * windowS) / 3600 : s.deviceHours,
      judgedHours: s.judgedHours,
      lastTs: s.lastTs,
      alerts: s.alerts,
    }));
  const attacks: AttackCapture[] = attackInfos.map((s) => ({
    name: s.set.name,
    expect: s.set.expect as string,
    rows: range(s.from, s.to),
  }));
  const policies: PolicyResult[] = POLICIES.map((p) =>
    evaluatePolicy(p, table, evalSets, outputs, attacks),
  );
  const won = winner(policies);
  // The row that wins ships, unless the runtime cannot run it yet: then the best it can run.
  const best = RUNNABLE.includes(won.policy)
    ? won
    : winner(policies.filter((p) => RUNNABLE.includes(p.policy)));
  const safetyNet = novelty(table, evalSets, outputs);
  meta.policy.anomalyAlerts = best.policy === 'detectors+anomaly';
  const json = JSON.parse(readFileSync(join(o.out, MODEL_JSON), 'utf8')) as Record<string, unknown>;
  json.userDefinedMetadata = { homewatch: meta };
  writeFileSync(join(o.out, MODEL_JSON), `${JSON.stringify(json)}\n`);

  const card = buildCardData(
    safetyNet,
    o.command,
    meta,
    table,
    infos,
    evalRows,
    outputs,
    policies,
    best,
    won,
    calErrors,
    calibrationAuc,
  );
  writeCard(join(o.out, 'MODEL.md'), card);
  progress({ stage: 'done', done: 1, total: 1, note: o.out });
  return { meta, card, backendLine: tf.line, heldOut: { table, rows: evalRows, outputs } };
}
