/**
 * The InfluxDB sink's memory: points (line protocol) waiting to be sent, in two lanes, so that
 * batches take alerts and agent points first and, when there is no room, window points give way
 * first. Bounded by its owner (sink.ts), which decides when to shed; what is shed is counted here.
 * @module
 */
import type { Lane } from './encode.js';

/** A batch: the lines of each lane. */
export type Batch = Record<Lane, string[]>;

export class PointQueue {
  readonly #lanes: Batch = { priority: [], window: [] };
  /** Wall time (ms) the oldest waiting point arrived, or of the last batch taken. */
  #oldestAt = 0;
  /** Points given way for want of room, by lane. */
  readonly dropped: Record<Lane, number> = { priority: 0, window: 0 };

  push(lane: Lane, line: string): void {
    if (this.size === 0) this.#oldestAt = Date.now();
    this.#lanes[lane].push(line);
  }

  get size(): number {
    return this.#lanes.priority.length + this.#lanes.window.length;
  }

  /** Milliseconds the oldest point has waited. */
  age(now = Date.now()): number {
    return now - this.#oldestAt;
  }

  /** Takes up to `maxPoints` (and about `maxBytes`), alerts and agent points first. */
  take(maxPoints: number, maxBytes: number): Batch {
    const out: Batch = { priority: [], window: [] };
    let bytes = 0;
    let n = 0;
    for (const lane of ['priority', 'window'] as const) {
      const src = this.#lanes[lane];
      let i = 0;
      while (i < src.length && n < maxPoints && (bytes < maxBytes || n === 0)) {
        bytes += src[i].length + 1;
        i++;
        n++;
      }
      out[lane] = src.splice(0, i);
    }
    this.#oldestAt = Date.now();
    return out;
  }

  /** Gives way down to `keep` points: the oldest window points first, then the oldest others. */
  shed(keep: number): void {
    let excess = this.size - keep;
    for (const lane of ['window', 'priority'] as const) {
      if (excess <= 0) break;
      const n = Math.min(excess, this.#lanes[lane].length);
      this.#lanes[lane].splice(0, n);
      this.dropped[lane] += n;
      excess -= n;
    }
  }
}

/** Points in a batch. */
export function batchSize(b: Batch): number {
  return b.priority.length + b.window.length;
}
