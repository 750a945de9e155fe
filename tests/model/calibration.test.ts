/**
 * Calibration: a score of 0.5 is the stated false-alarm budget per benign window. Fitted on one
 * sample of a benign error distribution, the rate of held-out benign windows at or above each
 * score level stays near what the score promises, deep into the tail the fit extrapolates.
 */
import { describe, expect, it } from 'vitest';
import { calibratedScore, exceedance, fitCalibration } from '../../src/model/calibration.js';
import { Rng } from '../../src/model/train/fit.js';

/** A heavy-ish benign error: mean of k squared normals, times a log-normal spread. */
function sampler(seed: number): () => number {
  const rng = new Rng(seed);
  const normal = (): number =>
    Math.sqrt(-2 * Math.log(Math.max(1e-300, rng.next()))) * Math.cos(2 * Math.PI * rng.next());
  return () => {
    let s = 0;
    for (let i = 0; i < 6; i++) s += normal() ** 2;
    return (s / 6) * Math.exp(0.3 * normal());
  };
}

describe('score calibration', () => {
  const budget = 1e-4;
  const draw = sampler(1);
  const fit = fitCalibration(Array.from({ length: 100_000 }, draw), budget);
  const heldOut = sampler(2);
  const n = 2_000_000;
  const scores = new Float32Array(n);
  for (let i = 0; i < n; i++) scores[i] = calibratedScore(fit, heldOut());

  it('maps the benign median or below to 0 and keeps scores in [0, 1], increasing', () => {
    expect(calibratedScore(fit, 0)).toBe(0);
    let prev = -1;
    for (let e = 0; e < 60; e += 0.05) {
      const s = calibratedScore(fit, e);
      expect(s).toBeGreaterThanOrEqual(prev);
      expect(s).toBeLessThanOrEqual(1);
      prev = s;
    }
    expect(calibratedScore(fit, 1e6)).toBe(1);
  });

  it('holds the budget on held-out benign windows at score 0.5, and the rates below it', () => {
    // Score s promises a benign rate of budget^(2s): 0.25 -> 1e-2, 0.375 -> 1e-3, 0.5 -> 1e-4.
    for (const s of [0.25, 0.375, 0.5]) {
      const promised = budget ** (2 * s);
      let over = 0;
      for (let i = 0; i < n; i++) if (scores[i] >= s) over++;
      const rate = over / n;
      expect(rate, `score ${s}`).toBeGreaterThan(promised / 2.5);
      expect(rate, `score ${s}`).toBeLessThan(promised * 2.5);
    }
    expect(exceedance(fit, fit.errors[0])).toBe(1);
  });
});
