/**
 * The windows a training or evaluation run collected, in columns: where each came from (source,
 * device, time), whether its device was judged (past learning), its kind, and per feature the
 * three things the input encoding needs — the window's level, and the median and spread of the
 * device's baseline at that moment — and its held context inputs (context.ts), plus its labels
 * and what the detectors found.
 * Encoding is done later (encoding statistics come from the training rows), so the baseline's
 * state at the time is kept, not re-derived.
 * @module
 */
import { BEHAVIOURS, type Behaviour, type Finding } from '../../detect/types.js';

/** Label states of one behaviour in one window. */
export const POS = 1;
export const NEG = 0;
/** Neither: an `also` behaviour, or a window close to an event but not in it. */
export const MASKED = -1;

/** The named behaviours (DESIGN.md's vocabulary less the model's own `anomaly`). */
export const NAMED: readonly Behaviour[] = BEHAVIOURS.filter((b) => b !== 'anomaly');

/** A Float32Array that grows by doubling. */
class Floats {
  data: Float32Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Float32Array(capacity);
  }
  push(values: ArrayLike<number>): void {
    const need = this.length + values.length;
    if (need > this.data.length) {
      const next = new Float32Array(Math.max(need, this.data.length * 2));
      next.set(this.data.subarray(0, this.length));
      this.data = next;
    }
    this.data.set(values, this.length);
    this.length = need;
  }
  view(): Float32Array {
    return this.data.subarray(0, this.length);
  }
}

export interface WindowRow {
  source: number;
  mac: string;
  start: number;
  end: number;
  judged: boolean;
  kind: string;
  level: ArrayLike<number>;
  median: ArrayLike<number>;
  /** +∞ while the baseline is empty. */
  spread: ArrayLike<number>;
  /** Held context inputs (CONTEXT_INPUTS order). */
  context: ArrayLike<number>;
  /** Per NAMED behaviour: POS, NEG or MASKED. */
  labels: ArrayLike<number>;
  /** Inside (or near) a labelled event with a behaviour: not benign. */
  attack: boolean;
  /** Behaviours the detectors found in the window. */
  found: readonly Behaviour[];
  /** The findings themselves (kept for evaluation sets only). */
  findings: readonly Finding[] | null;
}

export class WindowTable {
  readonly features: number;
  /** Context inputs per row. */
  readonly contexts: number;
  readonly sources: string[] = [];
  readonly macs: string[] = [];
  readonly start: number[] = [];
  readonly end: number[] = [];
  readonly source: number[] = [];
  readonly judged: number[] = [];
  readonly kinds: string[] = [];
  readonly attack: number[] = [];
  readonly found: number[] = [];
  readonly findings: (readonly Finding[] | null)[] = [];
  readonly #spread = new Floats();
  readonly #median = new Floats();
  readonly #level = new Floats();
  readonly #context = new Floats();
  readonly #labels: number[] = [];

  constructor(features: number, contexts: number) {
    this.features = features;
    this.contexts = contexts;
  }

  get length(): number {
    return this.macs.length;
  }

  addSource(name: string): number {
    this.sources.push(name);
    return this.sources.length - 1;
  }

  push(r: WindowRow): void {
    this.source.push(r.source);
    this.macs.push(r.mac);
    this.start.push(r.start);
    this.end.push(r.end);
    this.judged.push(r.judged ? 1 : 0);
    this.kinds.push(r.kind);
    this.attack.push(r.attack ? 1 : 0);
    let bits = 0;
    for (const b of r.found) bits |= 1 << BEHAVIOURS.indexOf(b);
    this.found.push(bits);
    this.findings.push(r.findings);
    this.#spread.push(r.spread);
    this.#median.push(r.median);
    this.#level.push(r.level);
    this.#context.push(r.context);
    for (let j = 0; j < NAMED.length; j++) this.#labels.push(r.labels[j]);
  }

  get spread(): Float32Array {
    return this.#spread.view();
  }
  get median(): Float32Array {
    return this.#median.view();
  }
  get level(): Float32Array {
    return this.#level.view();
  }
  get context(): Float32Array {
    return this.#context.view();
  }
  /** POS, NEG or MASKED, row-major (rows × NAMED). */
  label(row: number, b: number): number {
    return this.#labels[row * NAMED.length + b];
  }
  /** The detectors found behaviour `b` (a BEHAVIOURS index) in the row. */
  foundIn(row: number, b: number): boolean {
    return (this.found[row] & (1 << b)) !== 0;
  }
  /** Benign and judged: a training target for the anomaly score. */
  benignJudged(row: number): boolean {
    return this.judged[row] === 1 && this.attack[row] === 0;
  }
}
