/**
 * The plain forward pass (src/model/forward.ts) sums four units side by side; each unit must
 * still be the bias plus its products in input order, so its outputs equal the one-unit-at-a-time
 * dot product to the bit, whatever the layer widths (multiples of four or not).
 */
import { describe, expect, it } from 'vitest';
import { type Activation, DenseChain, type DenseLayer } from '../../src/model/forward.js';
import { Rng } from '../../src/model/train/fit.js';

function layer(name: string, inputs: number, units: number, activation: Activation, rng: Rng) {
  const kernel = new Float32Array(inputs * units);
  for (let i = 0; i < kernel.length; i++) kernel[i] = (rng.next() - 0.5) * 0.8;
  const bias = new Float32Array(units);
  for (let j = 0; j < units; j++) bias[j] = (rng.next() - 0.5) * 0.2;
  return { name, inputs, units, kernel, bias, activation } satisfies DenseLayer;
}

/** The dot products one unit at a time, in input order, in double precision. */
function reference(layers: DenseLayer[], x: Float32Array, reversed = false): Float32Array {
  let src = Float64Array.from(x);
  for (const l of layers) {
    const y = new Float64Array(l.units);
    for (let j = 0; j < l.units; j++) {
      let s = l.bias[j];
      for (let k = 0; k < l.inputs; k++) {
        const i = reversed ? l.inputs - 1 - k : k;
        s += l.kernel[i * l.units + j] * src[i];
      }
      if (l.activation === 'relu') s = s < 0 ? 0 : s;
      else if (l.activation === 'tanh') s = Math.tanh(s);
      else if (l.activation === 'sigmoid')
        s = s >= 0 ? 1 / (1 + Math.exp(-s)) : Math.exp(s) / (1 + Math.exp(s));
      y[j] = s;
    }
    src = y;
  }
  return Float32Array.from(src);
}

describe('DenseChain', () => {
  it('equals the unit-at-a-time dot products to the bit, for widths of every remainder mod 4', () => {
    const rng = new Rng(7);
    const layers = [
      layer('a', 13, 9, 'tanh', rng),
      layer('b', 9, 4, 'relu', rng),
      layer('c', 4, 7, 'linear', rng),
      layer('d', 7, 6, 'sigmoid', rng),
      layer('e', 6, 3, 'linear', rng),
    ];
    const chain = new DenseChain(layers);
    const x = new Float32Array(13);
    const out = new Float32Array(3);
    for (let row = 0; row < 200; row++) {
      for (let i = 0; i < x.length; i++) x[i] = (rng.next() - 0.5) * (row % 5 === 0 ? 8 : 2);
      chain.run(x, out);
      expect(Array.from(out)).toEqual(Array.from(reference(layers, x)));
    }
  });

  it('adds in input order: sums whose order matters (±2^60 beside small terms) come out the same', () => {
    // In double precision 1 + 2^60 - 2^60 is 0 but 2^60 - 2^60 + 1 is 1: the order of the
    // additions decides the result, so any reordering inside a unit shows here.
    const rng = new Rng(11);
    const big = 2 ** 60;
    const terms = [big, -big, 1, 0.5, 3, -2];
    const l = layer('cancel', 11, 9, 'linear', rng);
    let orderMatters = 0;
    for (let row = 0; row < 50; row++) {
      for (let i = 0; i < l.kernel.length; i++) l.kernel[i] = terms[Math.floor(rng.next() * 6)];
      const chain = new DenseChain([l]);
      const x = new Float32Array(11).fill(1);
      const out = chain.run(x, new Float32Array(9));
      const want = reference([l], x);
      expect(Array.from(out)).toEqual(Array.from(want));
      if (Array.from(reference([l], x, true)).some((v, j) => v !== want[j])) orderMatters++;
    }
    expect(orderMatters).toBeGreaterThan(10);
  });
});
