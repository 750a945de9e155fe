/**
 * What waits for InfluxDB and the order it goes in (sink.ts): the batch in flight, kept until
 * InfluxDB has it and retried as is; then the spool's oldest segment (spool.ts, live mode with
 * --state); then a new batch from the memory queue (queue.ts), once it is full, old enough, or
 * a flush asked for it. Also where memory moves to the spool: beyond the memory limit (live),
 * a batch that failed (live), and whatever InfluxDB does not have at close.
 * @module
 */
import { type Batch, batchSize, type PointQueue } from './queue.js';
import type { Spool } from './spool.js';

/** A batch on its way: from memory (retried as is) or a spool segment. */
export interface Work {
  text: string;
  points: number;
  /** Called once InfluxDB has the batch (or refused it for good). */
  done(): Promise<void>;
}

export interface OutboxSizes {
  batchPoints: number;
  batchBytes: number;
  flushIntervalMs: number;
  /** Memory beyond this many points spills to the spool (live); Infinity: never (replay). */
  spillAbove: number;
}

export class Outbox {
  readonly #queue: PointQueue;
  readonly #spool: Spool | null;
  readonly #sizes: OutboxSizes;
  /** A batch taken from memory, kept until InfluxDB has it. */
  #inflight: Batch | null = null;
  #flushRequested = false;

  constructor(queue: PointQueue, spool: Spool | null, sizes: OutboxSizes) {
    this.#queue = queue;
    this.#spool = spool;
    this.#sizes = sizes;
  }

  /** Everything queued so far goes without waiting for a full batch. */
  requestFlush(): void {
    this.#flushRequested = true;
  }

  /** The next batch: a batch being retried, the spool's oldest segment, or a new batch. */
  async next(): Promise<Work | null> {
    if (this.#inflight !== null) return this.#memoryWork();
    const spool = this.#spool;
    if (spool && !spool.empty) {
      const s = await spool.oldest();
      if (s !== null)
        return { text: s.lines, points: s.segment.points, done: () => spool.remove(s.segment) };
    }
    const queued = this.#queue.size;
    if (queued === 0) return null;
    const due =
      queued >= this.#sizes.batchPoints ||
      this.#flushRequested ||
      this.#queue.age() >= this.#sizes.flushIntervalMs;
    if (!due) return null;
    this.#inflight = this.#queue.take(this.#sizes.batchPoints, this.#sizes.batchBytes);
    if (this.#queue.size === 0) this.#flushRequested = false;
    return this.#memoryWork();
  }

  #memoryWork(): Work {
    const b = this.#inflight as Batch;
    const points = batchSize(b);
    const text = `${b.priority.concat(b.window).join('\n')}\n`;
    return {
      text,
      points,
      done: async () => {
        this.#inflight = null;
      },
    };
  }

  /** A batch is in flight (taken from memory, not yet delivered). */
  get hasInflight(): boolean {
    return this.#inflight !== null;
  }

  /** Points of the batch in flight. */
  get inflightPoints(): number {
    return this.#inflight === null ? 0 : batchSize(this.#inflight);
  }

  /** Memory beyond `spillAbove` moves to the spool, oldest first (live mode, with a spool). */
  async spill(): Promise<void> {
    const spool = this.#spool;
    if (spool === null) return;
    while (this.#queue.size > this.#sizes.spillAbove) {
      await spoolBatch(spool, this.#queue.take(this.#sizes.batchPoints, this.#sizes.batchBytes));
    }
  }

  /** The batch in flight moves to the spool (live: a failed batch waits there). */
  async spillInflight(): Promise<void> {
    const b = this.#inflight;
    const spool = this.#spool;
    if (b === null || spool === null) return;
    this.#inflight = null;
    await spoolBatch(spool, b);
  }

  /** At close: what InfluxDB does not have yet goes to the spool when there is one. */
  async keepUndelivered(): Promise<void> {
    const spool = this.#spool;
    if (spool === null) return;
    await this.spillInflight();
    while (this.#queue.size > 0) {
      await spoolBatch(spool, this.#queue.take(this.#sizes.batchPoints, this.#sizes.batchBytes));
    }
  }
}

/** A batch into the spool, one segment a lane (so that windows can give way alone). */
async function spoolBatch(spool: Spool, b: Batch): Promise<void> {
  await spool.append('priority', b.priority);
  await spool.append('window', b.window);
}
