/**
 * `homewatch train` end to end on a small seeded set: scenarios generated at training time
 * (and deleted), disjoint seeds per split, the model folder and its card written, and the same
 * seed giving the same bytes — weights, metadata and MODEL.md.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FEATURE_NAMES, FEATURE_SCHEMA_VERSION } from '../../src/features/schema.js';
import { loadModel } from '../../src/model/load.js';
import { scenarioSpecs } from '../../src/model/train/sources.js';
import { train } from '../../src/model/train/train.js';
import { runCli } from '../helpers/cli.js';

const SMALL = { scenarios: { train: 2, calibration: 1, evaluation: 1 }, real: false };

async function trainSmall(out: string, seed: number) {
  return train({
    out,
    seed,
    datasets: null,
    scale: SMALL,
    epochs: { ae: 2, head: 2 },
    backend: 'wasm',
    command: `test ${seed}`,
  });
}

describe('homewatch train', () => {
  it('draws every split from its own seeds, home sizes, lengths and start times', () => {
    const t = scenarioSpecs(1, 'train', 64);
    const c = scenarioSpecs(1, 'calibration', 24);
    const e = scenarioSpecs(1, 'evaluation', 24);
    const seeds = [...t, ...c, ...e].map((s) => s.seed);
    expect(new Set(seeds).size).toBe(seeds.length);
    const shape = (xs: typeof t) => new Set(xs.map((s) => `${s.devices}/${s.hours}`));
    for (const a of shape(e)) {
      expect(shape(t).has(a)).toBe(false);
      expect(shape(c).has(a)).toBe(false);
    }
    const hour = (xs: typeof t) => new Set(xs.map((s) => Math.floor((s.startS % 86400) / 3600)));
    for (const h of hour(e)) expect(hour(t).has(h)).toBe(false);
  });

  it(
    'rebuilds the same model from the same seed, byte for byte',
    { timeout: 180_000 },
    async () => {
      const a = mkdtempSync(join(tmpdir(), 'hw-train-a-'));
      const b = mkdtempSync(join(tmpdir(), 'hw-train-b-'));
      const c = mkdtempSync(join(tmpdir(), 'hw-train-c-'));
      const ra = await trainSmall(a, 5);
      await trainSmall(b, 5);
      await trainSmall(c, 6);
      expect(readdirSync(a).sort()).toEqual(['MODEL.md', 'model.json', 'weights.bin']);
      for (const f of ['model.json', 'weights.bin', 'MODEL.md'])
        expect(readFileSync(join(b, f)).equals(readFileSync(join(a, f))), f).toBe(true);
      expect(
        readFileSync(join(c, 'weights.bin')).equals(readFileSync(join(a, 'weights.bin'))),
      ).toBe(false);
      // What it wrote loads as replay loads it, on this schema, and says how it was made.
      const m = await loadModel(a, { windowS: 60, engine: 'js' });
      expect(m.meta.features).toEqual({
        schemaVersion: FEATURE_SCHEMA_VERSION,
        names: FEATURE_NAMES,
      });
      expect(m.meta.training.seed).toBe(5);
      expect(ra.card.splits.map((s) => s.scenarios)).toEqual([2, 1, 1]);
      const card = readFileSync(join(a, 'MODEL.md'), 'utf8');
      for (const heading of [
        '## Data',
        '## Architecture',
        '## Calibration and thresholds',
        '## Ablation',
        '## The policy shipped',
      ])
        expect(card).toContain(heading);
      expect(card).toContain('test 5');
      // AUC on the calibration split too (where changes are chosen), apart from the evaluation's.
      expect(card).toContain('### The same on the calibration split (where changes are chosen)');
      const cal = ra.card.calibrationAuc;
      expect(cal.map((a) => a.behaviour)).toEqual(ra.card.auc.map((a) => a.behaviour));
      expect(cal.some((a) => a.judgedWindows > 0 && a.scoreAuc !== null)).toBe(true);
      expect(cal.map((a) => a.windows)).not.toEqual(ra.card.auc.map((a) => a.windows));
    },
  );

  it('refuses a bad seed in one line', () => {
    const r = runCli(['train', '--seed', '1.5']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "homewatch: --seed: expected an integer from 0 to 4294967295, got '1.5'\n",
    );
  });
});
