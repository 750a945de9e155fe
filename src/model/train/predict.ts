/**
 * The network's outputs on collected rows: batched on TensorFlow.js while training
 * (reconstructions, head probabilities, residual scales, errors), and through the saved
 * model's own engine for evaluation (what replay runs).
 * @module
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { Tf } from '../backend.js';
import { calibratedScore } from '../calibration.js';
import type { Engine } from '../engine.js';
import type { ModelMeta } from '../meta.js';
import { errorWeights, residuals } from '../scorer.js';
import type { ModelOutputs } from './ablation.js';
import { NAMED, type WindowTable } from './table.js';

/** Runs the autoencoder on rows (TensorFlow.js, batched); returns the reconstructions. */
export function predictAe(
  tf: Tf,
  ae: LayersModel,
  x: Float32Array,
  rows: number,
  A: number,
): Float32Array {
  const out = tf.core.tidy(
    () => ae.predict(tf.core.tensor2d(x, [rows, A]), { batchSize: 4096 }) as Tensor,
  );
  const data = out.dataSync() as Float32Array;
  out.dispose();
  return data;
}

export function predictHead(
  tf: Tf,
  head: LayersModel,
  x: Float32Array,
  rows: number,
  A: number,
  B: number,
): Float32Array {
  if (rows === 0) return new Float32Array(0);
  const out = tf.core.tidy(
    () => head.predict(tf.core.tensor2d(x, [rows, A]), { batchSize: 4096 }) as Tensor,
  );
  const data = out.dataSync() as Float32Array;
  out.dispose();
  return data.length === rows * B ? data : new Float32Array(rows * B);
}

/**
 * Rows encoded for the network: autoencoder inputs `ae` (rows × `aeWidth`) and head inputs
 * `head` (rows × `headWidth`), whose first columns are the reconstruction's target (encode.ts).
 */
export interface EncodedRows {
  ae: Float32Array;
  head: Float32Array;
  aeWidth: number;
  headWidth: number;
}

/**
 * Mean squared reconstruction residual per reconstructed input on benign windows: the scale
 * each input's residual is divided by. Floored at the median over inputs, so that a feature
 * that hardly ever moves in the training homes cannot make any move of it, however ordinary on
 * a real device, an outlier.
 */
export function meanResiduals(
  tf: Tf,
  ae: LayersModel,
  x: EncodedRows,
  rows: number,
  F: number,
): number[] {
  const recon = predictAe(tf, ae, x.ae, rows, x.aeWidth);
  const T = x.headWidth;
  const sum = new Array<number>(F).fill(0);
  for (let r = 0; r < rows; r++)
    for (let i = 0; i < F; i++) {
      const d = x.head[r * T + i] - recon[r * F + i];
      sum[i] += d * d;
    }
  const mean = sum.map((s) => s / Math.max(1, rows));
  const floor = Math.max([...mean].sort((a, b) => a - b)[Math.floor(F / 2)], 1e-4);
  return mean.map((s) => Number(Math.max(s, floor).toPrecision(6)));
}

export function errorsOf(
  tf: Tf,
  ae: LayersModel,
  x: EncodedRows,
  rows: number,
  F: number,
  scale: number[],
  weight: ArrayLike<number>,
): Float64Array {
  const recon = predictAe(tf, ae, x.ae, rows, x.aeWidth);
  const T = x.headWidth;
  const res = new Float64Array(F);
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++)
    out[r] = residuals(
      x.head.subarray(r * T, r * T + F),
      recon.subarray(r * F, r * F + F),
      scale,
      weight,
      res,
    );
  return out;
}

/** The saved model's outputs on the evaluation rows, through the engine replay uses. */
export function scoreRows(
  engine: Engine,
  rows: number[],
  x: EncodedRows,
  F: number,
  B: number,
  meta: ModelMeta,
  table: WindowTable,
): ModelOutputs & { error: Float64Array } {
  const n = rows.length;
  const recon = new Float32Array(n * F);
  const probs = new Float32Array(n * B);
  engine.run(x.ae, x.head, n, recon, probs);
  // Outputs are indexed by table row (the ablation reads table rows).
  const score = new Float32Array(table.length);
  const error = new Float64Array(table.length);
  const byRow = new Float32Array(table.length * B);
  const res = new Float64Array(F);
  const weight = errorWeights(
    meta.features.names.length,
    meta.encoding.context.length,
    meta.contextErrorWeight,
  );
  rows.forEach((r, k) => {
    const e = residuals(
      x.head.subarray(k * x.headWidth, k * x.headWidth + F),
      recon.subarray(k * F, k * F + F),
      meta.residualScale,
      weight,
      res,
    );
    error[r] = e;
    score[r] = table.judged[r] === 1 ? calibratedScore(meta.calibration, e) : 0;
    byRow.set(probs.subarray(k * B, k * B + B), r * B);
  });
  return {
    score,
    error,
    probs: byRow,
    anomalyThreshold: meta.thresholds.anomaly,
    behaviourThresholds: NAMED.map((b) => meta.thresholds.behaviours[b]),
    explainS: meta.policy.explainS,
  };
}
