/**
 * From reconstruction error to a score in [0, 1] that means the same for every model: how rare
 * the error is on benign windows. p(e) is the share of benign calibration windows with an error
 * of at least e — read from their empirical quantiles while at least MIN_TAIL windows lie
 * beyond, and past that from an exponential tail fitted to the exceedances over the last
 * quantile (a generalised Pareto tail of shape 0, the peaks-over-threshold estimate) — and
 *
 *   score = min(1, log10(1/p) / (2 · log10(1/budget)))
 *
 * so a score of 0.5 is exactly the false-alarm budget per judged window (1e-4: one benign window
 * in 10,000), 1.0 its square, and 0 an error no rarer than the benign median.
 * @module
 */

/** Exceedances needed before an empirical quantile is trusted. */
export const MIN_TAIL = 20;

export interface CalibrationTable {
  /** False-alarm budget per judged benign window, at score 0.5. */
  budget: number;
  /** Errors at which the benign exceedance probability is `p[i]` (increasing errors). */
  errors: number[];
  p: number[];
  /** Beyond the last error: p = p.at(-1) · exp(-(e − last) / tailScale). */
  tailScale: number;
  /** Calibration windows the table came from. */
  windows: number;
}

/** Rounds for a compact, stable model.json (6 significant digits). */
function r6(v: number): number {
  return Number(v.toPrecision(6));
}

/** Fits the table to benign calibration errors. */
export function fitCalibration(errors: ArrayLike<number>, budget: number): CalibrationTable {
  const s = Float64Array.from(errors).sort();
  const n = s.length;
  if (n < MIN_TAIL * 2)
    throw new Error(`calibration needs at least ${MIN_TAIL * 2} windows, got ${n}`);
  const es: number[] = [];
  const ps: number[] = [];
  // Quantiles at p = 10^(-k/4): 1, 0.56, 0.32, 0.18, 0.1, … while MIN_TAIL windows lie beyond.
  for (let k = 0; ; k++) {
    const p = 10 ** (-k / 4);
    if (p * n < MIN_TAIL) break;
    const e = s[Math.min(n - 1, Math.floor((1 - p) * n))];
    if (es.length > 0 && e <= es[es.length - 1]) continue;
    es.push(r6(e));
    ps.push(r6(p));
  }
  const u = es[es.length - 1];
  let excess = 0;
  let m = 0;
  for (let i = 0; i < n; i++)
    if (s[i] > u) {
      excess += s[i] - u;
      m++;
    }
  const tailScale = r6(Math.max(m > 0 ? excess / m : 0, 1e-6 * Math.max(u, 1e-6)));
  return { budget, errors: es, p: ps, tailScale, windows: n };
}

/** The benign exceedance probability of an error. */
export function exceedance(t: CalibrationTable, e: number): number {
  const { errors, p } = t;
  if (!(e > errors[0])) return 1;
  const last = errors.length - 1;
  if (e >= errors[last]) return p[last] * Math.exp(-(e - errors[last]) / t.tailScale);
  let i = 1;
  while (errors[i] < e) i++;
  // Interpolate log p linearly in the error between the two quantiles around e.
  const f = (e - errors[i - 1]) / (errors[i] - errors[i - 1]);
  return 10 ** (Math.log10(p[i - 1]) + f * (Math.log10(p[i]) - Math.log10(p[i - 1])));
}

/** The score of an error (module comment); an error at or below the smallest
 * benign one scores 0. */
export function calibratedScore(t: CalibrationTable, e: number): number {
  const p = exceedance(t, e);
  if (p >= 1) return 0;
  const s = Math.log10(1 / p) / (2 * Math.log10(1 / t.budget));
  return s >= 1 ? 1 : s;
}
