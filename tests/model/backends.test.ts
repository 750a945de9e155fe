/**
 * Backends: each TensorFlow.js backend can be forced and says which it is; tfjs-node is used
 * when it loads and skipped with its reason when it does not; the plain forward pass and every
 * backend give the same outputs for the same model and inputs, within 1e-4.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTf, type TfBackendName } from '../../src/model/backend.js';
import { loadModel } from '../../src/model/load.js';
import { Rng } from '../../src/model/train/fit.js';
import { saveSyntheticModel } from './synthetic.js';

const dir = mkdtempSync(join(tmpdir(), 'hw-backends-'));

/** Rows of inputs shaped like encoded windows: z mostly small, some far out, kinds one-hot. */
function inputs(rows: number, width: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const x = new Float32Array(rows * width);
  for (let i = 0; i < x.length; i++) x[i] = (rng.next() - 0.5) * (rng.next() < 0.1 ? 6 : 1.5);
  return x;
}

async function outputsOn(
  engine: 'js' | TfBackendName,
  x: { ae: Float32Array; head: Float32Array },
  rows: number,
) {
  const { scorer, line } = await loadModel(dir, { windowS: 60, engine });
  const e = scorer.engine;
  const f = scorer.encoder.outputs;
  const b = scorer.meta.behaviours.length;
  const recon = new Float32Array(rows * f);
  const probs = new Float32Array(rows * b);
  e.run(x.ae, x.head, rows, recon, probs);
  return { recon, probs, line, name: e.name };
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('TensorFlow.js backends', () => {
  it('forces wasm and cpu, and names each in its line', async () => {
    const wasm = await loadTf('wasm');
    expect(wasm.backend).toBe('wasm');
    expect(wasm.core.getBackend()).toBe('wasm');
    expect(wasm.line).toMatch(/^TensorFlow\.js 4\.\d+\.\d+ on wasm \((no )?SIMD/);
    const cpu = await loadTf('cpu');
    expect(cpu.backend).toBe('cpu');
    expect(cpu.core.getBackend()).toBe('cpu');
    expect(cpu.line).toMatch(/on cpu/);
  });

  it('uses tfjs-node when it loads, and otherwise falls back to wasm saying why', async () => {
    const node = await loadTf('tensorflow').then(
      (tf) => ({ ok: true as const, tf }),
      (err: Error) => ({ ok: false as const, err }),
    );
    const auto = await loadTf('auto');
    if (node.ok) {
      expect(node.tf.backend).toBe('tensorflow');
      expect(auto.backend).toBe('tensorflow');
      expect(auto.fallback).toBe('');
    } else {
      // Here (no internet at install time) tfjs-node is absent: a forced load says so in one
      // line, and the automatic choice moves on to wasm and records why.
      expect(node.err.message).toMatch(/^backend tensorflow does not load here: /);
      expect(node.err.message).not.toMatch(/\n/);
      expect(auto.backend).toBe('wasm');
      expect(auto.fallback).toMatch(/^tensorflow: /);
    }
  });

  it('gives the same outputs on the plain forward pass, wasm and cpu (within 1e-4)', async () => {
    await saveSyntheticModel(dir, { seed: 11 });
    const probe = await loadModel(dir, { windowS: 60, engine: 'js' });
    const rows = 3000;
    const x = {
      ae: inputs(rows, probe.scorer.encoder.aeInputs, 5),
      head: inputs(rows, probe.scorer.encoder.headInputs, 6),
    };
    const js = await outputsOn('js', x, rows);
    const wasm = await outputsOn('wasm', x, rows);
    const cpu = await outputsOn('cpu', x, rows);
    expect(js.name).toBe('js');
    expect(wasm.name).toBe('wasm');
    expect(cpu.name).toBe('cpu');
    // The outputs are not trivially equal: they vary across rows.
    expect(new Set(js.recon.slice(0, 500)).size).toBeGreaterThan(400);
    expect(maxDiff(js.recon, wasm.recon)).toBeLessThan(1e-4);
    expect(maxDiff(js.recon, cpu.recon)).toBeLessThan(1e-4);
    expect(maxDiff(wasm.recon, cpu.recon)).toBeLessThan(1e-4);
    expect(maxDiff(js.probs, wasm.probs)).toBeLessThan(1e-4);
    expect(maxDiff(js.probs, cpu.probs)).toBeLessThan(1e-4);
    expect(js.line).toMatch(/plain forward pass/);
    expect(wasm.line).toMatch(/on wasm/);
  });
});
