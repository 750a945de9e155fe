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

/** One judged window: device, start and end (packet time, seconds), score. */
export interface Scored {
  mac: string;
  start: number;
  end: number;
  score: number;
}

/** Rows allocated at first (doubled as needed). */
const INITIAL_ROWS = 4096;

/**
 * Wraps a scorer and keeps (device, window, score) of every judged window, in columns: a week
 * of a 20-device home is ~175,000 windows, and an object per window (with its three boxed
 * numbers) cost `evaluate` ~100 MB of peak RSS a week; four typed columns cost 28 bytes a row.
 */
export class ScoreRecorder implements WindowScorer {
  readonly #inner: WindowScorer;
  /** Device MACs; a row holds its device's index. */
  readonly #macs: string[] = [];
  readonly #macIndex = new Map<string, number>();
  #mac: Int32Array = new Int32Array(INITIAL_ROWS);
  #start: Float64Array = new Float64Array(INITIAL_ROWS);
  #end: Float64Array = new Float64Array(INITIAL_ROWS);
  #score: Float64Array = new Float64Array(INITIAL_ROWS);
  #rows = 0;

  constructor(inner: WindowScorer) {
    this.#inner = inner;
  }

  get description(): string {
    return this.#inner.description;
  }

  get anomalyDetector() {
    return this.#inner.anomalyDetector;
  }

  /** Windows recorded. */
  get size(): number {
    return this.#rows;
  }

  /** The recorded windows as objects, in the order judged (allocates one a window). */
  get windows(): Scored[] {
    const out: Scored[] = [];
    this.forEach((mac, start, end, score) => out.push({ mac, start, end, score }));
    return out;
  }

  /** Calls `fn` for every recorded window, in the order judged (allocates nothing). */
  forEach(fn: (mac: string, start: number, end: number, score: number) => void): void {
    for (let i = 0; i < this.#rows; i++)
      fn(this.#macs[this.#mac[i]], this.#start[i], this.#end[i], this.#score[i]);
  }

  score(ctx: DetectContext, findings: readonly Finding[]): ModelVerdict {
    const v = this.#inner.score(ctx, findings);
    if (ctx.judged)
      this.#record(ctx.w.device.macStr, ctx.w.record.start, ctx.w.record.end, v.score);
    return v;
  }

  #record(mac: string, start: number, end: number, score: number): void {
    let m = this.#macIndex.get(mac);
    if (m === undefined) {
      m = this.#macs.length;
      this.#macs.push(mac);
      this.#macIndex.set(mac, m);
    }
    if (this.#rows === this.#mac.length) this.#grow(this.#rows * 2);
    const i = this.#rows++;
    this.#mac[i] = m;
    this.#start[i] = start;
    this.#end[i] = end;
    this.#score[i] = score;
  }

  #grow(rows: number): void {
    const mac = new Int32Array(rows);
    mac.set(this.#mac);
    this.#mac = mac;
    const f64 = (a: Float64Array): Float64Array => {
      const b = new Float64Array(rows);
      b.set(a);
      return b;
    };
    this.#start = f64(this.#start);
    this.#end = f64(this.#end);
    this.#score = f64(this.#score);
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
  windows: ScoreRecorder,
): WindowAuc[] {
  const negatives: number[] = [];
  const positives = new Map<string, number[]>();
  windows.forEach((mac, start, end, score) => {
    let near = false;
    for (const e of events) {
      if (e.mac !== mac) continue;
      if (start <= e.end + 300 && end > e.start - 60) near = true;
      if (start <= e.end && end > e.start)
        for (const b of e.behaviours) {
          const list = positives.get(b) ?? [];
          list.push(score);
          positives.set(b, list);
        }
    }
    if (!near) negatives.push(score);
  });
  return [...positives.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([behaviour, pos]) => ({
      behaviour,
      positives: pos.length,
      negatives: negatives.length,
      auc: rocAuc(pos, negatives),
    }));
}
