/**
 * Training loops on TensorFlow.js, seeded and deterministic: rows are visited in an order drawn
 * from the seed (never Math.random), initial weights come from seeded initializers, and
 * nothing depends on wall time. The autoencoder learns to reconstruct z of benign judged
 * windows (mean squared error); the head learns each behaviour as a binary label (cross-entropy
 * weighted towards the rare positives, masked where a label is MASKED).
 * @module
 */
import type { Tensor, Scalar } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { Tf } from '../backend.js';

/** A small deterministic PRNG (mulberry32). */
export class Rng {
  #s: number;
  constructor(seed: number) {
    this.#s = seed >>> 0;
  }
  next(): number {
    let t = (this.#s = (this.#s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** A random permutation of 0 … n-1. */
  permutation(n: number): Uint32Array {
    const p = new Uint32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}

export interface FitOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  /** Called after each epoch with its mean loss. */
  onEpoch?(epoch: number, loss: number): void;
}

/** Rows `idx` of a row-major matrix of width `w`, packed into `out`. */
function gather(
  m: Float32Array,
  w: number,
  idx: Uint32Array,
  from: number,
  to: number,
  out: Float32Array,
): Float32Array {
  for (let k = from; k < to; k++) out.set(m.subarray(idx[k] * w, idx[k] * w + w), (k - from) * w);
  return out.subarray(0, (to - from) * w);
}

/**
 * The epochs of one fit: rows visited in an order drawn from `o.seed`, `batch` run on each
 * batch (rows order[at … to)) and returning its loss. Returns the last epoch's mean loss.
 */
async function epochs(
  o: FitOptions,
  rows: number,
  batch: (order: Uint32Array, at: number, to: number) => Promise<number>,
): Promise<number> {
  const rng = new Rng(o.seed);
  let last = 0;
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    const order = rng.permutation(rows);
    let sum = 0;
    let batches = 0;
    for (let at = 0; at < rows; at += o.batchSize) {
      sum += await batch(order, at, Math.min(rows, at + o.batchSize));
      batches++;
    }
    last = sum / Math.max(1, batches);
    o.onEpoch?.(epoch, last);
    await new Promise((r) => setImmediate(r));
  }
  return last;
}

/**
 * Trains the autoencoder branch: inputs `x` (rows × inputs), targets the first `outputs`
 * columns of each row of `t` (rows × `targetWidth`). Returns the last epoch's mean loss.
 */
export async function fitAutoencoder(
  tf: Tf,
  model: LayersModel,
  x: Float32Array,
  t: Float32Array,
  rows: number,
  inputs: number,
  targetWidth: number,
  outputs: number,
  o: FitOptions,
): Promise<number> {
  const core = tf.core;
  const opt = core.train.adam(o.learningRate);
  const buf = new Float32Array(o.batchSize * inputs);
  const tbuf = new Float32Array(o.batchSize * targetWidth);
  const last = await epochs(o, rows, async (order, at, to) => {
    const n = to - at;
    const xb = core.tensor2d(gather(x, inputs, order, at, to, buf), [n, inputs]);
    const tb = core.tensor2d(gather(t, targetWidth, order, at, to, tbuf), [n, targetWidth]);
    const loss = opt.minimize(() => {
      const y = model.apply(xb, { training: true }) as Tensor;
      const target = core.slice(tb, [0, 0], [n, outputs]);
      return core.mean(core.squaredDifference(y, target)) as Scalar;
    }, true) as Scalar;
    const value = (await loss.data())[0];
    core.dispose([xb, tb, loss]);
    return value;
  });
  opt.dispose();
  return last;
}

/**
 * Trains the head: inputs `x` (rows × inputs), labels `y` and mask `m` (rows × outputs; mask 0
 * drops a label from the loss), positives weighted by `posWeight` per output.
 */
export async function fitHead(
  tf: Tf,
  model: LayersModel,
  x: Float32Array,
  y: Float32Array,
  m: Float32Array,
  rows: number,
  inputs: number,
  outputs: number,
  posWeight: readonly number[],
  o: FitOptions,
): Promise<number> {
  const core = tf.core;
  const opt = core.train.adam(o.learningRate);
  const bx = new Float32Array(o.batchSize * inputs);
  const by = new Float32Array(o.batchSize * outputs);
  const bm = new Float32Array(o.batchSize * outputs);
  const pw = core.tensor1d(posWeight as number[]);
  const last = await epochs(o, rows, async (order, at, to) => {
    const n = to - at;
    const xb = core.tensor2d(gather(x, inputs, order, at, to, bx), [n, inputs]);
    const yb = core.tensor2d(gather(y, outputs, order, at, to, by), [n, outputs]);
    const mb = core.tensor2d(gather(m, outputs, order, at, to, bm), [n, outputs]);
    const loss = opt.minimize(() => {
      const p = core.clipByValue(model.apply(xb, { training: true }) as Tensor, 1e-6, 1 - 1e-6);
      // Weighted binary cross-entropy: −(w·y·log p + (1 − y)·log(1 − p)), masked.
      const pos = core.mul(core.mul(yb, pw), core.log(p));
      const neg = core.mul(core.sub(1, yb), core.log(core.sub(1, p)));
      const per = core.mul(core.neg(core.add(pos, neg)), mb);
      return core.div(core.sum(per), core.maximum(core.sum(mb), 1)) as Scalar;
    }, true) as Scalar;
    const value = (await loss.data())[0];
    core.dispose([xb, yb, mb, loss]);
    return value;
  });
  pw.dispose();
  opt.dispose();
  return last;
}
