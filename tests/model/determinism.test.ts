/**
 * Training is deterministic: the same seed and rows give the same weights, bit for bit (seeded
 * initializers, row order drawn from the seed, no wall clock); another seed gives others.
 */
import { describe, expect, it } from 'vitest';
import { loadTf } from '../../src/model/backend.js';
import { fitAutoencoder, fitHead, Rng } from '../../src/model/train/fit.js';
import { syntheticNetwork } from './synthetic.js';

async function trainOnce(seed: number): Promise<Float32Array[]> {
  const tf = await loadTf('wasm');
  const net = await syntheticNetwork(tf, seed);
  const inputs = net.ae.inputs[0].shape[1] as number;
  const headInputs = net.head.inputs[0].shape[1] as number;
  const outputs = net.ae.outputs[0].shape[1] as number;
  const behaviours = net.head.outputs[0].shape[1] as number;
  const rows = 1500;
  const rng = new Rng(99);
  const x = Float32Array.from({ length: rows * inputs }, () => rng.next() * 2 - 1);
  const h = Float32Array.from({ length: rows * headInputs }, () => rng.next() * 2 - 1);
  const y = Float32Array.from({ length: rows * behaviours }, () => (rng.next() < 0.05 ? 1 : 0));
  const m = Float32Array.from({ length: rows * behaviours }, () => (rng.next() < 0.95 ? 1 : 0));
  const o = { epochs: 3, batchSize: 128, learningRate: 2e-3, seed };
  await fitAutoencoder(tf, net.ae, x, h, rows, inputs, headInputs, outputs, o);
  await fitHead(
    tf,
    net.head,
    h,
    y,
    m,
    rows,
    headInputs,
    behaviours,
    new Array(behaviours).fill(5),
    o,
  );
  return net.full.getWeights().map((w) => w.dataSync() as Float32Array);
}

describe('training', () => {
  it('gives the same weights for the same seed, and other weights for another', async () => {
    const a = await trainOnce(7);
    const b = await trainOnce(7);
    const c = await trainOnce(8);
    expect(a.length).toBe(b.length);
    for (let i = 0; i < a.length; i++) expect(Array.from(b[i])).toEqual(Array.from(a[i]));
    expect(Array.from(c[0])).not.toEqual(Array.from(a[0]));
    // Training moved the weights away from their seeded start.
    const start = (await syntheticNetwork(await loadTf('wasm'), 7)).full.getWeights();
    expect(Array.from(start[0].dataSync())).not.toEqual(Array.from(a[0]));
  });
});
