/**
 * The `anomaly` behaviour: the model finds a window far from the device's own normal and no
 * named behaviour explains it. This is the detector-like object the alert episodes use for its
 * sentence, advice and merging (the scorer makes the findings, so `detect` finds nothing).
 * The facts name the features that drove the score — their share of the reconstruction error,
 * the window's value and the device's normal — so the sentence says why.
 * @module
 */
import { clock, list, plural, round } from '../alerts/words.js';
import type { Detector, EpisodeView, Finding } from '../detect/types.js';

export interface Contribution {
  feature: string;
  /** The window's value. */
  value: number;
  /** The device's normal (baseline median), same units. */
  normal: number;
  /** Robust z against the baseline. */
  z: number;
  /** Share of the window's reconstruction error, 0 … 1. */
  share: number;
}

export interface AnomalyFacts {
  /** Calibrated anomaly score of the strongest window. */
  score: number;
  /** Benign windows as unusual as it: 1 in `rarity`. */
  rarity: number;
  top: Contribution[];
  /** The behaviour the model's head finds most likely, when any is above one half. */
  looksLike: string;
  looksLikeP: number;
}

/** A number for a sentence: integers as they are, others to two significant figures. */
function num(v: number): string {
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  return round(Math.abs(v)) === '0' ? '0' : `${v < 0 ? '-' : ''}${round(Math.abs(v))}`;
}

export function contributionText(c: Contribution): string {
  const dir = c.value > c.normal ? 'up' : 'down';
  return `${c.feature} ${num(c.value)} (normally ${num(c.normal)}, ${dir})`;
}

export class AnomalyDetector implements Detector<AnomalyFacts> {
  readonly behaviour = 'anomaly' as const;
  readonly needsBaseline = true;
  readonly advice =
    'The device is behaving unlike its own normal in a way no named behaviour describes: look at what changed (a new app, an update, someone using it); if nothing explains it, update the device, and if it persists isolate it on a guest network.';

  detect(): Finding<AnomalyFacts>[] {
    return [];
  }

  /** The strongest window's facts stay. */
  merge(ep: AnomalyFacts, next: AnomalyFacts): AnomalyFacts {
    return next.score > ep.score ? next : ep;
  }

  sentence(ep: EpisodeView<AnomalyFacts>): string {
    const f = ep.facts;
    const why = list(f.top.map(contributionText), 3);
    const like =
      f.looksLike !== ''
        ? `; it looks most like ${f.looksLike.replace('_', ' ')} (p ${f.looksLikeP.toFixed(2)})`
        : '';
    const rare =
      f.rarity >= 1e6
        ? 'rarer than 1 benign window in a million'
        : `as unusual as 1 benign window in ${Number(f.rarity.toPrecision(2)).toLocaleString('en-US')}`;
    return `${ep.who} has behaved unlike its own normal since ${clock(ep.since, ep.last)} (${plural(ep.windows, 'window')}): ${why}; no named behaviour explains it (anomaly score ${f.score.toFixed(2)}, ${rare}${like}).`;
  }
}
