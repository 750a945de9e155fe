/**
 * A model saved as a folder (model.json + weights.bin, no tfjs-node) loads back with identical
 * predictions, through TensorFlow.js and through the plain reader replay uses.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Tensor } from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { loadTf } from '../../src/model/backend.js';
import { fileLoadHandler, readModelFolder } from '../../src/model/io.js';
import { saveSyntheticModel } from './synthetic.js';

describe('model folder', () => {
  it('round-trips through the file-system handler with identical predictions', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hw-io-'));
    const net = await saveSyntheticModel(dir, { seed: 21, backend: 'wasm' });
    expect(existsSync(join(dir, 'model.json'))).toBe(true);
    expect(existsSync(join(dir, 'weights.bin'))).toBe(true);
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    expect(json.weightsManifest[0].paths).toEqual(['weights.bin']);
    expect(json.userDefinedMetadata.homewatch.format).toBe('homewatch-model');

    const tf = await loadTf('wasm');
    const back = await tf.layers.loadLayersModel(fileLoadHandler(tf.core, dir));
    const [ae, head] = net.full.inputs.map((i) => i.shape[1] as number);
    const x = tf.core.randomUniform([64, ae], -2, 2, 'float32', 9);
    const h = tf.core.randomUniform([64, head], -2, 2, 'float32', 10);
    const before = net.full.predict([x, h]) as Tensor[];
    const after = back.predict([x, h]) as Tensor[];
    for (let i = 0; i < 2; i++) {
      const a = before[i].dataSync();
      const b = after[i].dataSync();
      expect(b.length).toBe(a.length);
      expect(Array.from(b)).toEqual(Array.from(a));
    }

    // The plain reader sees the same weights, by name, bit for bit.
    const folder = readModelFolder(dir);
    for (const w of net.full.weights) {
      const saved = folder.weights.get(w.originalName);
      expect(saved, w.originalName).toBeDefined();
      expect(Array.from(saved?.values ?? [])).toEqual(Array.from(w.read().dataSync()));
    }
  });

  it('says what is wrong with a damaged folder, in one line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hw-io-bad-'));
    expect(() => readModelFolder(dir)).toThrow(/--model .*: no model\.json in it$/);
    await saveSyntheticModel(dir, { seed: 1 });
    const weights = readFileSync(join(dir, 'weights.bin'));
    writeFileSync(join(dir, 'weights.bin'), weights.subarray(0, weights.length - 8));
    expect(() => readModelFolder(dir)).toThrow(/weights\.bin is shorter than its manifest says/);
    writeFileSync(join(dir, 'model.json'), '{"modelTopology": ');
    expect(() => readModelFolder(dir)).toThrow(/model\.json is not JSON/);
  });
});
