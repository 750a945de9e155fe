/**
 * `--model` as a user meets it: a model writes its score and behaviours into the window
 * records (`--model none`: every score 0); a device still learning scores 0 and raises no
 * `anomaly`, even under a model that finds every judged window anomalous; a model of another
 * feature schema, or of an older model format (other inputs), is refused with one line and exit 2.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FEATURE_NAMES } from '../../src/features/schema.js';
import type { MODEL_FORMAT_VERSION } from '../../src/model/meta.js';
import { CLI, records, runCli, SHARED } from '../helpers/cli.js';
import { saveSyntheticModel } from './synthetic.js';

const BLINK = join(SHARED, 'moniotr-blink-hub/2019-04-25_idle.pcap');
const HUB = '00:03:7f:96:d8:ec';
const tmp = mkdtempSync(join(tmpdir(), 'hw-model-cli-'));
const model = join(tmp, 'model');
const eager = join(tmp, 'eager');
const foreign = join(tmp, 'foreign');
const older = join(tmp, 'older');

beforeAll(async () => {
  await saveSyntheticModel(model, { seed: 2 });
  // Every judged window is an anomaly for this one: only the learning phase keeps it quiet.
  await saveSyntheticModel(eager, {
    seed: 2,
    meta: { thresholds: { anomaly: 0, behaviours: {} } },
  });
  await saveSyntheticModel(foreign, {
    meta: { features: { schemaVersion: 0, names: FEATURE_NAMES.slice(0, -1) } },
  });
  // A model of format 2: inputs without the repeat and port-mapping context inputs.
  await saveSyntheticModel(older, { meta: { formatVersion: 2 as typeof MODEL_FORMAT_VERSION } });
});

function windows(stdout: string) {
  return records(stdout).filter((r) => r.type === 'window' && r.mac === HUB) as {
    start: number;
    score: number;
    behaviours: Record<string, number>;
  }[];
}

describe('homewatch replay --model', () => {
  it('writes the model score and behaviours into window records; none leaves them 0', () => {
    const off = runCli(['replay', BLINK, '--out', '-', '--model', 'none']);
    expect(off.code).toBe(0);
    const plain = windows(off.stdout);
    expect(plain.length).toBeGreaterThan(400);
    expect(plain.every((w) => w.score === 0 && Object.keys(w.behaviours).length === 0)).toBe(true);

    const on = runCli(['replay', BLINK, '--out', '-', '--model', model]);
    expect(on.code).toBe(0);
    expect(on.stderr).toMatch(
      /^homewatch: model .*: synthetic test model, feature schema v\d+; scoring on the plain forward pass/,
    );
    const scored = windows(on.stdout);
    expect(scored.length).toBe(plain.length);
    const judged = scored.filter((w) => w.score > 0);
    expect(judged.length).toBeGreaterThan(300);
    for (const w of scored) {
      expect(w.score).toBeGreaterThanOrEqual(0);
      expect(w.score).toBeLessThanOrEqual(1);
      expect(Object.keys(w.behaviours)).toContain('beaconing');
    }
  });

  it('gives the same window scores on the plain forward pass, wasm and cpu', () => {
    const on = (backend: string) => {
      const r = spawnSync(
        process.execPath,
        [CLI, 'replay', BLINK, '--out', '-', '--model', model],
        {
          encoding: 'utf8',
          env: { ...process.env, HOMEWATCH_BACKEND: backend },
          maxBuffer: 64 << 20,
        },
      );
      expect(r.status, r.stderr).toBe(0);
      return { stderr: r.stderr, windows: windows(r.stdout) };
    };
    const js = on('js');
    for (const backend of ['wasm', 'cpu']) {
      const tf = on(backend);
      expect(tf.stderr).toMatch(new RegExp(`scoring on TensorFlow\\.js [0-9.]+ on ${backend}`));
      expect(tf.windows.length).toBe(js.windows.length);
      let worst = 0;
      tf.windows.forEach((w, i) => {
        worst = Math.max(worst, Math.abs(w.score - js.windows[i].score));
        for (const [b, p] of Object.entries(w.behaviours))
          worst = Math.max(worst, Math.abs(p - js.windows[i].behaviours[b]));
      });
      // Records round to 4 decimals: equal within 1e-4, give or take that rounding.
      expect(worst, backend).toBeLessThanOrEqual(1e-4 + 1e-9);
    }
    expect(js.windows.filter((w) => w.score > 0).length).toBeGreaterThan(300);
  });

  it('keeps a learning device silent: score 0 and no anomaly before its learning phase ends', () => {
    const r = runCli(['replay', BLINK, '--out', '-', '--model', eager, '--learn', '3600']);
    expect(r.code).toBe(0);
    const recs = records(r.stdout);
    const ws = windows(r.stdout);
    const firstJudged = ws.find((w) => w.score > 0);
    expect(firstJudged).toBeDefined();
    const first = ws[0].start;
    expect((firstJudged?.start ?? 0) - first).toBeGreaterThanOrEqual(3600 - 60);
    for (const w of ws) if (w.start < (firstJudged?.start ?? 0)) expect(w.score).toBe(0);
    const anomalies = recs.filter((x) => x.type === 'alert' && x.behaviour === 'anomaly');
    expect(anomalies.length).toBeGreaterThan(0);
    for (const a of anomalies)
      expect(a.ts as number).toBeGreaterThanOrEqual(firstJudged?.start ?? 0);
    expect(String(anomalies[0].summary)).toMatch(/has behaved unlike its own normal since/);
  });

  it('leaves the shipped model out, saying so, when it does not fit --window; refuses a named one', () => {
    const r = runCli(['replay', BLINK, '--out', '-', '--window', '300']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /^homewatch: the shipped model \(.*models\/default\) does not fit: trained on 60 s windows; run with --window 60; windows are not scored\n$/,
    );
    expect(windows(r.stdout).every((w) => w.score === 0)).toBe(true);
    const named = runCli(['replay', BLINK, '--out', '-', '--window', '300', '--model', model]);
    expect(named.code).toBe(2);
    expect(named.stderr).toMatch(
      /^homewatch: --model .*: trained on 60 s windows; run with --window 60\n$/,
    );
  });

  it('refuses a model of another feature schema with one line, exit 2', () => {
    const r = runCli(['replay', BLINK, '--out', '-', '--model', foreign]);
    expect(r.code).toBe(2);
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^homewatch: --model .*foreign: trained on feature schema v0 .*retrain it with 'homewatch train'$/,
    );
    expect(r.stdout).toBe('');
    const old = runCli(['replay', BLINK, '--out', '-', '--model', older]);
    expect(old.code).toBe(2);
    expect(old.stdout).toBe('');
    expect(old.stderr).toMatch(
      /^homewatch: --model .*older: model format 2; this homewatch reads 3 \(inputs changed\); retrain it with 'homewatch train'\n$/,
    );
    const missing = runCli(['replay', BLINK, '--model', join(tmp, 'nothing-here')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^homewatch: --model .*nothing-here: no model\.json in it\n$/);
  });
});
