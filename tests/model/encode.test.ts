/**
 * The input encoding reads each feature against the device's own baseline exactly as the
 * baseline does (one pass for three quartiles, the same robust z), and the kind one-hot falls
 * back to 'unknown' for a kind the model was not trained on.
 */
import { describe, expect, it } from 'vitest';
import { learningPolicy } from '../../src/baseline/baselines.js';
import { DeviceBaseline } from '../../src/baseline/device-baseline.js';
import { FEATURE_NAMES } from '../../src/features/schema.js';
import { CONTEXT_INPUTS } from '../../src/model/context.js';
import { InputEncoder } from '../../src/model/encode.js';
import { Rng } from '../../src/model/train/fit.js';
import { closed, device } from '../detect/window.js';
import { syntheticMeta } from './synthetic.js';

function learnedBaseline(seed: number): DeviceBaseline {
  const d = device();
  const b = new DeviceBaseline(d.macStr, d.firstSeen, FEATURE_NAMES);
  const rng = new Rng(seed);
  const p = learningPolicy(600, 60);
  for (let i = 0; i < 40; i++) {
    const features: Record<string, number> = {};
    FEATURE_NAMES.forEach((n, k) => {
      // Some features always 0, some steady, some spread over decades.
      features[n] =
        k % 3 === 0
          ? 0
          : k % 3 === 1
            ? 100 + Math.floor(rng.next() * 20)
            : Math.floor(10 ** (rng.next() * 5));
    });
    b.observe(closed(d, { start: d.firstSeen + i * 60, features }), true, p);
  }
  return b;
}

describe('input encoding', () => {
  it('reads the three quartiles in one pass as logQuantile does', () => {
    const b = learnedBaseline(3);
    const out = new Float64Array(3);
    for (let f = 0; f < FEATURE_NAMES.length; f++) {
      b.hist.logQuartiles(f, out);
      expect(out[0]).toBeCloseTo(b.hist.logQuantile(f, 0.25), 12);
      expect(out[1]).toBeCloseTo(b.hist.logQuantile(f, 0.5), 12);
      expect(out[2]).toBeCloseTo(b.hist.logQuantile(f, 0.75), 12);
    }
  });

  it('gives each feature the robust z of DeviceBaseline.robustZ, under the model floor', () => {
    const b = learnedBaseline(4);
    const values = FEATURE_NAMES.map((_, k) => (k % 2 === 0 ? 5000 : 0));
    const w = closed(device(), { start: 1_700_010_000 });
    const ae = new Float32Array(2 * FEATURE_NAMES.length + 3);
    const head = new Float32Array(ae.length + CONTEXT_INPUTS.length);
    // With the baseline's own floor (a quarter octave) z is exactly robustZ.
    const same = new InputEncoder(
      syntheticMeta({ encoding: { ...syntheticMeta().encoding, minSpread: 0.25 } }),
    );
    same.encode(w, values, b, 'camera', ae, head);
    for (let f = 0; f < FEATURE_NAMES.length; f++)
      expect(same.z[f]).toBeCloseTo(b.robustZ(f, values[f]), 9);
    // With the model's floor of an octave, a steady feature's z is four times smaller.
    const enc = new InputEncoder(syntheticMeta());
    enc.encode(w, values, b, 'camera', ae, head);
    let floored = 0;
    for (let f = 0; f < FEATURE_NAMES.length; f++) {
      const spread = Math.max(enc.spread[f], 1);
      expect(enc.z[f]).toBeCloseTo((enc.level[f] - enc.median[f]) / spread, 9);
      if (enc.spread[f] < 0.25 && enc.z[f] !== 0) {
        expect(enc.z[f]).toBeCloseTo(same.z[f] / 4, 9);
        floored++;
      }
    }
    expect(floored).toBeGreaterThan(5);
    // Far-off features are squashed, never past ±zClip / zScale.
    for (let f = 0; f < FEATURE_NAMES.length; f++)
      expect(Math.abs(ae[f])).toBeLessThanOrEqual(8 / 3 + 1e-6);
  });

  it('encodes an empty baseline as z 0 and an unknown kind as unknown', () => {
    const d = device();
    const b = new DeviceBaseline(d.macStr, d.firstSeen, FEATURE_NAMES);
    const meta = syntheticMeta();
    const enc = new InputEncoder(meta);
    const ae = new Float32Array(enc.aeInputs);
    const head = new Float32Array(enc.headInputs);
    const w = closed(d, { start: d.firstSeen });
    enc.encode(
      w,
      FEATURE_NAMES.map(() => 1000),
      b,
      'toaster',
      ae,
      head,
    );
    const f = FEATURE_NAMES.length;
    const c = CONTEXT_INPUTS.length;
    expect(Array.from(ae.subarray(0, f)).every((v) => v === 0)).toBe(true);
    expect(Array.from(head.subarray(0, f + c)).every((v) => v === 0)).toBe(true);
    const kinds = Array.from(ae.subarray(2 * f));
    expect(kinds).toEqual(meta.kinds.map((k) => (k === 'unknown' ? 1 : 0)));
    enc.encode(
      w,
      FEATURE_NAMES.map(() => 1000),
      b,
      'camera',
      ae,
      head,
    );
    expect(Array.from(head.subarray(2 * f + c))).toEqual(
      meta.kinds.map((k) => (k === 'camera' ? 1 : 0)),
    );
  });
});
