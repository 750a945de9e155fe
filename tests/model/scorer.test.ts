/**
 * The scorer as the runtime calls it: a device still learning scores 0 and never raises
 * `anomaly`; a judged window far from the device's normal scores high and its anomaly finding
 * names the features that drove it; a detector finding explains a high score (no anomaly);
 * a model trained on another feature schema or window length is refused in one line.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { learningPolicy } from '../../src/baseline/baselines.js';
import { DeviceBaseline } from '../../src/baseline/device-baseline.js';
import type { DetectContext, Finding, HomeView } from '../../src/detect/types.js';
import { FEATURE_NAMES, FEATURE_SCHEMA_VERSION } from '../../src/features/schema.js';
import type { ClosedWindow } from '../../src/features/windows.js';
import { contributionText, type AnomalyFacts } from '../../src/model/anomaly.js';
import { loadModel } from '../../src/model/load.js';
import { Rng } from '../../src/model/train/fit.js';
import { closed, device } from '../detect/window.js';
import { saveSyntheticModel, syntheticMeta } from './synthetic.js';

const home: HomeView = { firstTs: 0, learnS: 600, gatewayIps: [], kindOf: () => 'unknown' };
const policy = learningPolicy(600, 60);

/** A plug-like normal: a few packets each minute to its cloud, a little spread. */
function normal(rng: Rng): Record<string, number> {
  return {
    packetsUp: 10 + Math.floor(rng.next() * 4),
    packetsDown: 9 + Math.floor(rng.next() * 4),
    bytesUp: 1200 + Math.floor(rng.next() * 300),
    bytesDown: 1500 + Math.floor(rng.next() * 300),
    flowsStarted: 1,
    remoteIps: 1,
    remotePorts: 1,
    tlsHandshakes: rng.next() < 0.2 ? 1 : 0,
    activeSeconds: 3 + Math.floor(rng.next() * 3),
  };
}

function ctxOf(w: ClosedWindow, b: DeviceBaseline): DetectContext {
  return { w, baseline: b, judged: !b.learning, home, kind: 'plug' };
}

describe('ModelScorer', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hw-scorer-'));
  await saveSyntheticModel(dir, { seed: 5 });
  const { scorer } = await loadModel(dir, { windowS: 60, engine: 'js' });
  const d = device('02:00:00:00:00:42', '192.168.1.42', 1_700_000_000);
  const b = new DeviceBaseline(d.macStr, d.firstSeen, FEATURE_NAMES);
  const rng = new Rng(1);
  let t = d.firstSeen;
  const next = (features: Record<string, number>): ClosedWindow => {
    const w = closed(d, { start: t, features });
    t += 60;
    return w;
  };
  // A scan: hundreds of failed connections to many addresses.
  const scan = {
    ...normal(rng),
    packetsUp: 900,
    flowsStarted: 850,
    failedConnections: 820,
    remoteIps: 800,
    activeSeconds: 60,
  };

  it('scores 0 and raises nothing while the device learns', () => {
    for (let i = 0; i < 8; i++) {
      const w = next(i === 5 ? scan : normal(rng));
      const ctx = ctxOf(w, b);
      expect(ctx.judged).toBe(false);
      const v = scorer.score(ctx, []);
      expect(v.score).toBe(0);
      expect(v.anomaly).toBeNull();
      expect(Object.keys(v.behaviours)).toEqual(scorer.meta.behaviours);
      if (i !== 5) b.observe(w, true, policy);
    }
  });

  it('scores a window far from the normal high and names the features that drove it', () => {
    while (b.learning) b.observe(next(normal(rng)), true, policy);
    const quiet = scorer.score(ctxOf(next(normal(rng)), b), []);
    const v = scorer.score(ctxOf(next(scan), b), []);
    expect(v.score).toBeGreaterThan(quiet.score);
    expect(v.score).toBeGreaterThanOrEqual(scorer.meta.thresholds.anomaly);
    const a = v.anomaly as Finding<AnomalyFacts>;
    expect(a).not.toBeNull();
    expect(a.behaviour).toBe('anomaly');
    const named = a.facts.top.map((c) => c.feature);
    expect(named).toHaveLength(3);
    // The features the scan moved, not the ones it left at their normal.
    const moved = ['packetsUp', 'flowsStarted', 'failedConnections', 'remoteIps', 'activeSeconds'];
    for (const f of named) expect(moved).toContain(f);
    const failed = a.facts.top.find((c) => c.feature === 'failedConnections');
    if (failed !== undefined) {
      expect(failed.value).toBe(820);
      expect(failed.normal).toBe(0);
      expect(contributionText(failed)).toBe('failedConnections 820 (normally 0, up)');
    }
    const sentence = scorer.anomalyDetector.sentence({
      who: 'Smart plug (TP-Link, 192.168.1.42)',
      since: a.ts,
      last: a.ts + 60,
      windows: 1,
      facts: a.facts,
    });
    expect(sentence).toMatch(
      /^Smart plug \(TP-Link, 192\.168\.1\.42\) has behaved unlike its own normal since \d\d:\d\d UTC/,
    );
    for (const f of named) expect(sentence).toContain(f);
  });

  it('raises no anomaly when a detector finding explains the window, or did shortly before', () => {
    const finding: Finding = {
      behaviour: 'scan',
      key: '',
      ts: t,
      score: 1,
      severity: 'high',
      facts: {},
    };
    const explained = scorer.score(ctxOf(next(scan), b), [finding]);
    expect(explained.score).toBeGreaterThanOrEqual(0.5);
    expect(explained.anomaly).toBeNull();
    // Ten minutes later, still within the explaining span: nothing.
    t += 540;
    expect(scorer.score(ctxOf(next(scan), b), []).anomaly).toBeNull();
    // Past it, the unexplained high score is an anomaly again.
    t += 900;
    expect(scorer.score(ctxOf(next(scan), b), []).anomaly).not.toBeNull();
  });
});

describe('loading a model', () => {
  it('refuses a model trained on another feature schema or window length, in one line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hw-schema-'));
    const names = [...FEATURE_NAMES];
    names[3] = 'bytesDownOld';
    await saveSyntheticModel(dir, {
      meta: { features: { schemaVersion: FEATURE_SCHEMA_VERSION, names } },
    });
    const err = await loadModel(dir, { windowS: 60, engine: 'js' }).then(
      () => null,
      (e: Error & { code?: string }) => e,
    );
    expect(err?.code).toBe('ERR_MODEL');
    expect(err?.message).toMatch(
      /trained on feature schema v\d+ .*gone: bytesDownOld.*retrain it with 'homewatch train'/,
    );
    expect(err?.message).not.toContain('\n');

    const older = mkdtempSync(join(tmpdir(), 'hw-schema-'));
    await saveSyntheticModel(older, {
      meta: { features: { schemaVersion: FEATURE_SCHEMA_VERSION + 1, names: [...FEATURE_NAMES] } },
    });
    await expect(loadModel(older, { windowS: 60, engine: 'js' })).rejects.toThrow(
      new RegExp(
        `feature schema v${FEATURE_SCHEMA_VERSION + 1} .*computes v${FEATURE_SCHEMA_VERSION}`,
      ),
    );
    const ok = mkdtempSync(join(tmpdir(), 'hw-schema-'));
    await saveSyntheticModel(ok);
    await expect(loadModel(ok, { windowS: 30, engine: 'js' })).rejects.toThrow(
      /trained on 60 s windows; run with --window 60/,
    );
    expect(syntheticMeta().features.names).toEqual(FEATURE_NAMES);
  });
});
