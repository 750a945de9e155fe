/**
 * What runs the network: the plain dense chains (`js`, the default for scoring windows one at
 * a time) or a TensorFlow.js backend (`tensorflow`, `wasm`, `cpu`: training, and batches). Both
 * read the same saved folder; tests/model/backends.test.ts holds them equal within 1e-4.
 * @module
 */
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { Tf } from './backend.js';
import type { DenseChain } from './forward.js';

export interface Engine {
  /** The plain forward pass or the TensorFlow.js line, for a person. */
  readonly line: string;
  readonly name: string;
  /**
   * Runs `rows` windows: autoencoder inputs `ae` (rows × aeInputs) into `recon`
   * (rows × features) and head inputs `head` into `probs` (rows × behaviours).
   */
  run(
    ae: Float32Array,
    head: Float32Array,
    rows: number,
    recon: Float32Array,
    probs: Float32Array,
  ): void;
}

export class JsEngine implements Engine {
  readonly name = 'js';
  readonly line = 'the plain forward pass (typed arrays, no TensorFlow.js)';
  readonly #ae: DenseChain;
  readonly #head: DenseChain;

  constructor(ae: DenseChain, head: DenseChain) {
    this.#ae = ae;
    this.#head = head;
  }

  run(
    ae: Float32Array,
    head: Float32Array,
    rows: number,
    recon: Float32Array,
    probs: Float32Array,
  ): void {
    if (rows === 1) {
      this.#ae.run(ae, recon);
      this.#head.run(head, probs);
      return;
    }
    this.#ae.runMany(ae, rows, recon);
    this.#head.runMany(head, rows, probs);
  }
}

/** Batches above this are cut (predict's own default of 32 is 5–20× slower on big inputs). */
const BATCH = 4096;

export class TfEngine implements Engine {
  readonly name: string;
  readonly line: string;
  readonly #tf: Tf;
  readonly #model: LayersModel;

  constructor(tf: Tf, model: LayersModel) {
    this.#tf = tf;
    this.#model = model;
    this.name = tf.backend;
    this.line = tf.line;
  }

  run(
    ae: Float32Array,
    head: Float32Array,
    rows: number,
    recon: Float32Array,
    probs: Float32Array,
  ): void {
    const core = this.#tf.core;
    const aeIn = ae.length / rows;
    const headIn = head.length / rows;
    const f = recon.length / rows;
    const b = probs.length / rows;
    for (let at = 0; at < rows; at += BATCH) {
      const n = Math.min(BATCH, rows - at);
      const out = core.tidy(() => {
        const x1 = core.tensor2d(ae.subarray(at * aeIn, (at + n) * aeIn), [n, aeIn]);
        const x2 = core.tensor2d(head.subarray(at * headIn, (at + n) * headIn), [n, headIn]);
        return this.#model.predict([x1, x2], { batchSize: n }) as Tensor[];
      });
      const r = out[0].dataSync();
      const p = out[1].dataSync();
      core.dispose(out);
      recon.set(r, at * f);
      probs.set(p, at * b);
    }
  }
}
