/**
 * The plain forward pass: a chain of dense layers in typed-array code, built from the same
 * weights TensorFlow.js trained and saved (kernels transposed once so that each unit is one
 * sequential dot product, accumulated in double precision). It scores one window in ~10 µs with no
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

/**
 * A layer as the forward pass reads it: the kernel transposed to [units][inputs], its units
 * padded with zero rows to a multiple of four (dense() then has no remainder loop; the padded
 * outputs are never read).
 */
interface Compiled {
  inputs: number;
  units: number;
  /** `units` rounded up to a multiple of 4. */
  padded: number;
  weights: Float64Array;
  bias: Float64Array;
  activate: (y: Float64Array, units: number) => void;
}

function compile(l: DenseLayer): Compiled {
  const padded = (l.units + 3) & ~3;
  const w = new Float64Array(l.inputs * padded);
  for (let i = 0; i < l.inputs; i++)
    for (let j = 0; j < l.units; j++) w[j * l.inputs + i] = l.kernel[i * l.units + j];
  const bias = new Float64Array(padded);
  bias.set(l.bias);
  return {
    inputs: l.inputs,
    units: l.units,
    padded,
    weights: w,
    bias,
    activate: ACTIVATE[l.activation],
  };
}

function sigmoid(v: number): number {
  return v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
}

/** Activation → its pass over a layer's outputs (a table: each stays a small monomorphic loop). */
const ACTIVATE: Record<Activation, (y: Float64Array, units: number) => void> = {
  linear: () => {},
  relu: (y, units) => {
    for (let j = 0; j < units; j++) if (y[j] < 0) y[j] = 0;
  },
  tanh: (y, units) => {
    for (let j = 0; j < units; j++) y[j] = Math.tanh(y[j]);
  },
  sigmoid: (y, units) => {
    for (let j = 0; j < units; j++) y[j] = sigmoid(y[j]);
  },
};

/** A chain of dense layers with its scratch buffers (one instance per thread of use). */
export class DenseChain {
  readonly layers: readonly DenseLayer[];
  readonly inputs: number;
  readonly outputs: number;
  readonly #compiled: Compiled[];
  readonly #scratch: Float64Array[];
  readonly #input: Float64Array;

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
    this.#compiled = layers.map(compile);
    this.#scratch = this.#compiled.map((l) => new Float64Array(l.padded));
    this.#input = new Float64Array(this.inputs);
  }

  /** Runs `x` (length `inputs`) through the chain into `out` (length `outputs`). */
  run(x: Float32Array, out: Float32Array): Float32Array {
    const input = this.#input;
    for (let i = 0; i < input.length; i++) input[i] = x[i];
    let src = input;
    const n = this.#compiled.length;
    for (let li = 0; li < n; li++) {
      const dst = this.#scratch[li];
      dense(this.#compiled[li], src, dst);
      src = dst;
    }
    for (let j = 0; j < out.length; j++) out[j] = src[j];
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

/**
 * y = activation(W·x + b), in double precision (one rounding to float32 at the end). Four units
 * are summed side by side: each unit's sum is still the bias plus its products in input order
 * (the same additions, so the same result to the bit), but four independent sums keep the
 * floating-point adder busy where one sum waits on its previous addition, and each input is
 * read once for four units.
 */
function dense(l: Compiled, x: Float64Array, y: Float64Array): void {
  const { inputs, padded, weights, bias } = l;
  for (let j = 0; j < padded; j += 4) {
    let s0 = bias[j];
    let s1 = bias[j + 1];
    let s2 = bias[j + 2];
    let s3 = bias[j + 3];
    const r0 = j * inputs;
    const r1 = r0 + inputs;
    const r2 = r1 + inputs;
    const r3 = r2 + inputs;
    for (let i = 0; i < inputs; i++) {
      const v = x[i];
      s0 += weights[r0 + i] * v;
      s1 += weights[r1 + i] * v;
      s2 += weights[r2 + i] * v;
      s3 += weights[r3 + i] * v;
    }
    y[j] = s0;
    y[j + 1] = s1;
    y[j + 2] = s2;
    y[j + 3] = s3;
  }
  l.activate(y, l.units);
}
