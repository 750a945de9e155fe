/**
 * The plain forward pass: a chain of dense layers in Float32Array code, built from the same
 * weights TensorFlow.js trained and saved. It scores one window in a few microseconds with no
 * per-call allocation (TensorFlow.js at batch 1 manages ~3k windows/s on wasm: a tensor, a
 * kernel dispatch and a read-back per call), and needs no TensorFlow.js at run time, so a
 * replay with a model starts as fast as one without. tests/model/backends.test.ts holds it to
 * the TensorFlow.js backends within 1e-4.
 * @module
 */

export type Activation = 'linear' | 'relu' | 'tanh' | 'sigmoid';

export const ACTIVATIONS: readonly Activation[] = ['linear', 'relu', 'tanh', 'sigmoid'];

export interface DenseLayer {
  name: string;
  inputs: number;
  units: number;
  /** Keras layout: [inputs][units], row-major. */
  kernel: Float32Array;
  bias: Float32Array;
  activation: Activation;
}

function sigmoid(v: number): number {
  return v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
}

/** A chain of dense layers with its scratch buffers (one instance per thread of use). */
export class DenseChain {
  readonly layers: readonly DenseLayer[];
  readonly inputs: number;
  readonly outputs: number;
  readonly #scratch: Float32Array[];

  constructor(layers: readonly DenseLayer[]) {
    if (layers.length === 0) throw new Error('a dense chain needs at least one layer');
    for (let i = 1; i < layers.length; i++)
      if (layers[i].inputs !== layers[i - 1].units)
        throw new Error(
          `layer ${layers[i].name} takes ${layers[i].inputs} inputs, not ${layers[i - 1].units}`,
        );
    this.layers = layers;
    this.inputs = layers[0].inputs;
    this.outputs = layers[layers.length - 1].units;
    this.#scratch = layers.slice(0, -1).map((l) => new Float32Array(l.units));
  }

  /** Runs `x` (length `inputs`) through the chain into `out` (length `outputs`). */
  run(x: Float32Array, out: Float32Array): Float32Array {
    let src = x;
    const n = this.layers.length;
    for (let li = 0; li < n; li++) {
      const l = this.layers[li];
      const dst = li === n - 1 ? out : this.#scratch[li];
      dense(l, src, dst);
      src = dst;
    }
    return out;
  }

  /** Runs `rows` vectors laid end to end in `x` into `out` (rows × outputs). */
  runMany(x: Float32Array, rows: number, out: Float32Array): Float32Array {
    const xin = this.inputs;
    const xout = this.outputs;
    for (let r = 0; r < rows; r++)
      this.run(x.subarray(r * xin, (r + 1) * xin), out.subarray(r * xout, (r + 1) * xout));
    return out;
  }

  /** Parameters (weights and biases). */
  get parameters(): number {
    return this.layers.reduce((n, l) => n + l.kernel.length + l.bias.length, 0);
  }
}

function dense(l: DenseLayer, x: Float32Array, y: Float32Array): void {
  const { inputs, units, kernel, bias } = l;
  for (let j = 0; j < units; j++) y[j] = bias[j];
  for (let i = 0; i < inputs; i++) {
    const xi = x[i];
    if (xi === 0) continue;
    const row = i * units;
    for (let j = 0; j < units; j++) y[j] += xi * kernel[row + j];
  }
  switch (l.activation) {
    case 'relu':
      for (let j = 0; j < units; j++) if (y[j] < 0) y[j] = 0;
      break;
    case 'tanh':
      for (let j = 0; j < units; j++) y[j] = Math.tanh(y[j]);
      break;
    case 'sigmoid':
      for (let j = 0; j < units; j++) y[j] = sigmoid(y[j]);
      break;
    case 'linear':
      break;
  }
}
