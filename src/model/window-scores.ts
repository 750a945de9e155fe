/**
 * The anomaly score's ROC AUC per behaviour over labelled windows (for `homewatch evaluate`):
 * a scorer wrapper records the score of every judged window; a window of a labelled MAC that
 * overlaps an event is a positive for its behaviours; windows of judged devices far from any
 * event (60 s before, 300 s after) are the negatives.
 * @module
 */
import type { DetectContext, Finding } from '../detect/types.js';
import type { LabelEvent } from '../evaluate/labels.js';
import { rocAuc } from './train/metrics.js';
import type { ModelVerdict, WindowScorer } from './types.js';

interface Scored {
  mac: string;
  start: number;
  end: number;
  score: number;
}

/** Wraps a scorer and keeps (device, window, score) of every judged window. */
export class ScoreRecorder implements WindowScorer {
  readonly windows: Scored[] = [];
  readonly #inner: WindowScorer;

  constructor(inner: WindowScorer) {
    this.#inner = inner;
  }

  get description(): string {
    return this.#inner.description;
  }

  get anomalyDetector() {
    return this.#inner.anomalyDetector;
  }

  score(ctx: DetectContext, findings: readonly Finding[]): ModelVerdict {
    const v = this.#inner.score(ctx, findings);
    if (ctx.judged)
      this.windows.push({
        mac: ctx.w.device.macStr,
        start: ctx.w.record.start,
        end: ctx.w.record.end,
        score: v.score,
      });
    return v;
  }

  snapshot(): unknown {
    return this.#inner.snapshot?.();
  }

  restore(part: unknown): void {
    this.#inner.restore?.(part);
  }
}

export interface WindowAuc {
  behaviour: string;
  positives: number;
  negatives: number;
  auc: number | null;
}

/** AUC of the score per behaviour that has labelled judged windows. */
export function scoreAucByBehaviour(
  events: readonly LabelEvent[],
  windows: readonly Scored[],
): WindowAuc[] {
  const negatives: number[] = [];
  const positives = new Map<string, number[]>();
  for (const w of windows) {
    let near = false;
    for (const e of events) {
      if (e.mac !== w.mac) continue;
      if (w.start <= e.end + 300 && w.end > e.start - 60) near = true;
      if (w.start <= e.end && w.end > e.start)
        for (const b of e.behaviours) {
          const list = positives.get(b) ?? [];
          list.push(w.score);
          positives.set(b, list);
        }
    }
    if (!near) negatives.push(w.score);
  }
  return [...positives.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([behaviour, pos]) => ({
      behaviour,
      positives: pos.length,
      negatives: negatives.length,
      auc: rocAuc(pos, negatives),
    }));
}
