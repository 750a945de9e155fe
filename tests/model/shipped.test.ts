/**
 * The shipped model (models/default) on a labelled home it never saw — a scenario whose seed,
 * size and length no split of its training drew: it loads on this feature schema; it ranks the
 * injected behaviours' windows above the benign ones; and its score keeps its calibration on
 * the benign windows (a score of s promises a benign rate of budget^(2s)).
 */
import { BEHAVIOURS } from '../../datasets/generator/labels.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate } from '../../datasets/generator/generate.js';
import { seedFromString } from '../../datasets/generator/prng.js';
import type { LabelEvent } from '../../src/evaluate/labels.js';
import type { Behaviour } from '../../src/detect/types.js';
import { defaultModelDir, loadModel } from '../../src/model/load.js';
import { rocAuc } from '../../src/model/train/metrics.js';
import { FULL_SCALE, readScenarioLabels, scenarioSpecs } from '../../src/model/train/sources.js';
import { ScoreRecorder, scoreAucByBehaviour } from '../../src/model/window-scores.js';
import { replayFiles } from '../helpers/replay.js';

const SEED = seedFromString('homewatch shipped-model test');
const HOURS = 6;
const DEVICES = 11;

describe('the shipped model', async () => {
  const dir = defaultModelDir();
  if (dir === null) throw new Error('models/default is missing: homewatch train rebuilds it');
  const { scorer, meta } = await loadModel(dir, { windowS: 60, engine: 'js' });

  it('was not trained, calibrated or evaluated on the home this test uses', () => {
    for (const split of ['train', 'calibration', 'evaluation'] as const) {
      const specs = scenarioSpecs(meta.training.seed, split, FULL_SCALE.scenarios[split] * 4);
      expect(specs.some((s) => s.seed === SEED)).toBe(false);
      expect(specs.some((s) => s.devices === DEVICES && s.hours === HOURS)).toBe(false);
    }
  });

  it(
    'ranks injected windows above benign ones and keeps its calibration',
    { timeout: 120_000 },
    async () => {
      const tmp = mkdtempSync(join(tmpdir(), 'hw-shipped-'));
      const pcap = join(tmp, 'home.pcap');
      const labelsFile = join(tmp, 'labels.json');
      const home = (out: string, labels: string, inject: (typeof BEHAVIOURS)[number][]): void => {
        generate({
          out,
          packets: 1e9,
          devices: DEVICES,
          concurrentFlows: 0,
          seed: SEED,
          startS: 1_720_000_000,
          hours: HOURS,
          mix: null,
          inject: inject.map((behaviour) => ({ behaviour, variant: null, kind: null })),
          labels,
        } as Parameters<typeof generate>[0]);
      };
      home(pcap, labelsFile, []);
      // The same home with every behaviour injected.
      home(
        join(tmp, 'attacked.pcap'),
        join(tmp, 'attacked.json'),
        BEHAVIOURS.filter((b) => b !== 'new_device'),
      );
      const scores = async (file: string): Promise<ScoreRecorder> => {
        const rec = new ScoreRecorder(scorer);
        await replayFiles([file], { scorer: rec });
        return rec;
      };
      const benign = (await scores(pcap)).windows;
      expect(benign.length).toBeGreaterThan(2000);
      // Calibration on a home it never saw: the share of benign windows at or above 0.25 is
      // promised to be budget^0.5 = 1e-2 — within a factor of three, and hardly any at 0.5.
      const budget = meta.calibration.budget;
      const at = (s: number) => benign.filter((w) => w.score >= s).length / benign.length;
      expect(at(0.25)).toBeGreaterThan(budget ** 0.5 / 3);
      expect(at(0.25)).toBeLessThan(budget ** 0.5 * 3);
      expect(benign.filter((w) => w.score >= 0.5).length).toBeLessThanOrEqual(2);

      const attacked = await scores(join(tmp, 'attacked.pcap'));
      const events: LabelEvent[] = readScenarioLabels(join(tmp, 'attacked.json'))
        .filter((e) => e.behaviours.length > 0)
        .map((e) => ({
          ...e,
          behaviours: e.behaviours as Behaviour[],
          also: e.also as Behaviour[],
        }));
      const perBehaviour = scoreAucByBehaviour(events, attacked);
      const auc = Object.fromEntries(perBehaviour.map((r) => [r.behaviour, r.auc]));
      // Bursts of traffic that leave the device's normal far behind rank first.
      for (const b of ['scan', 'abnormal_upload', 'lateral_movement', 'brute_force'])
        expect(auc[b], b).toBeGreaterThan(0.95);
      // Over every injected behaviour together, injected windows rank above benign ones.
      const pos = attacked.windows.filter((w) =>
        events.some((e) => e.mac === w.mac && w.start <= e.end && w.end > e.start),
      );
      const neg = benign.map((w) => w.score);
      expect(
        rocAuc(
          pos.map((w) => w.score),
          neg,
        ),
      ).toBeGreaterThan(0.9);
    },
  );
});
