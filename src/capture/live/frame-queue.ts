/**
 * A bounded FIFO of captured frames between the binding's callback and the pipeline, used only
 * while the pipeline waits (sink backpressure): frames are copied into one preallocated slab of
 * fixed-size slots; when every slot is taken the frame is dropped and counted. No allocation
 * per frame.
 * @module
 */

import type { FrameHandler } from '../types.js';

export class FrameQueue {
  readonly capacity: number;
  readonly #slotBytes: number;
  #slab: Buffer | null = null;
  readonly #capLen: Int32Array;
  readonly #wireLen: Int32Array;
  readonly #ts: Float64Array;
  readonly #linkType: Int32Array;
  #head = 0;
  #size = 0;
  #dropped = 0;
  #highWater = 0;

  /** `capacity` frames of at most `slotBytes` each (the snaplen). */
  constructor(capacity: number, slotBytes: number) {
    this.capacity = capacity;
    this.#slotBytes = slotBytes;
    this.#capLen = new Int32Array(capacity);
    this.#wireLen = new Int32Array(capacity);
    this.#ts = new Float64Array(capacity);
    this.#linkType = new Int32Array(capacity);
  }

  /** Frames waiting. */
  get size(): number {
    return this.#size;
  }
  /** Frames refused because the queue was full. */
  get dropped(): number {
    return this.#dropped;
  }
  /** The most frames ever waiting at once. */
  get highWater(): number {
    return this.#highWater;
  }

  /** Copies a frame in; returns false (and counts a drop) when full. */
  push(
    buf: Buffer,
    offset: number,
    capLen: number,
    wireLen: number,
    ts: number,
    linkType: number,
  ): boolean {
    if (this.#size === this.capacity) {
      this.#dropped++;
      return false;
    }
    // Allocated on first use: most runs never queue anything.
    this.#slab ??= Buffer.allocUnsafeSlow(this.capacity * this.#slotBytes);
    let slot = this.#head + this.#size;
    if (slot >= this.capacity) slot -= this.capacity;
    const len = capLen < this.#slotBytes ? capLen : this.#slotBytes;
    buf.copy(this.#slab, slot * this.#slotBytes, offset, offset + len);
    this.#capLen[slot] = len;
    this.#wireLen[slot] = wireLen;
    this.#ts[slot] = ts;
    this.#linkType[slot] = linkType;
    this.#size++;
    if (this.#size > this.#highWater) this.#highWater = this.#size;
    return true;
  }

  /** Hands up to `max` frames to `handler` in order; returns how many. */
  drain(handler: FrameHandler, max: number = this.#size): number {
    const slab = this.#slab;
    if (slab === null) return 0;
    let n = 0;
    while (this.#size > 0 && n < max) {
      const slot = this.#head;
      handler(
        slab,
        slot * this.#slotBytes,
        this.#capLen[slot],
        this.#wireLen[slot],
        this.#ts[slot],
        this.#linkType[slot],
      );
      this.#head = slot + 1 === this.capacity ? 0 : slot + 1;
      this.#size--;
      n++;
    }
    return n;
  }

  /** Empties the queue, counting what it held as dropped. */
  discard(): void {
    this.#dropped += this.#size;
    this.#size = 0;
    this.#head = 0;
  }

  /** Packet time of the newest frame waiting, or NaN when empty. */
  newestTs(): number {
    if (this.#size === 0) return Number.NaN;
    let slot = this.#head + this.#size - 1;
    if (slot >= this.capacity) slot -= this.capacity;
    return this.#ts[slot];
  }
}
