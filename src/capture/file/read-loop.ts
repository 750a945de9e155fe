/**
 * The chunk loop shared by probing and replay. Two buffers take turns: while the parser walks the
 * records of one in place, the next chunk may already be on its way into the other (a gzip
 * reader's zlib runs on libuv's thread pool; plain files are read synchronously, byte-reader.ts).
 * A record cut by the chunk end — the only bytes ever copied — moves into the headroom just
 * before the next chunk's data:
 *
 * ```
 * buffer: [ headroom ........ | chunk data read here (chunkBytes) ]
 *                   [carry]^head
 * ```
 * @module
 */
import type { FrameHandler } from '../types.js';
import type { ByteReader } from './byte-reader.js';
import { ParseState, type RecordParser } from './parser.js';

/** Largest classic pcap record at the default snaplen limit: the usual headroom. */
const DEFAULT_HEADROOM = 262_144 + 16;

interface Slot {
  buf: Buffer;
  /** Bytes of headroom before the chunk data; >= the largest record seen so far. */
  head: number;
}

/** The two reusable buffers of a read loop (keep one per source, reuse it across files). */
export class ChunkBuffers {
  readonly chunkBytes: number;
  readonly slots: [Slot, Slot];
  constructor(chunkBytes: number, headroom = Math.min(chunkBytes, DEFAULT_HEADROOM)) {
    this.chunkBytes = chunkBytes;
    const head = roundUp(Math.max(headroom, 16));
    this.slots = [
      { buf: Buffer.allocUnsafe(head + chunkBytes), head },
      { buf: Buffer.allocUnsafe(head + chunkBytes), head },
    ];
  }
}

export interface ReadLoopOptions {
  /** Checked after each chunk (and after a halted parse): true ends the loop. */
  shouldStop(): boolean;
  /** Awaited between chunks (backpressure). */
  afterChunk?(): Promise<void> | void;
  /** Stop after about this many bytes (probing). */
  maxBytes?: number;
}

export interface ReadLoopResult {
  /** 'eof': input ended; 'stopped': shouldStop(); 'parser': parser state not Ok; 'limit': maxBytes. */
  ended: 'eof' | 'stopped' | 'parser' | 'limit';
  /** Bytes at the end of the input that do not form a complete record (a cut record at 'eof'). */
  leftover: number;
}

function roundUp(n: number): number {
  return (n + 4095) & ~4095;
}

/** Reads `reader` to its end (or until stopped), handing every record to `handler`. */
export async function readRecords(
  reader: ByteReader,
  parser: RecordParser,
  handler: FrameHandler,
  buffers: ChunkBuffers,
  opts: ReadLoopOptions,
): Promise<ReadLoopResult> {
  const chunk = buffers.chunkBytes;
  const slots = buffers.slots;
  let cur = slots[0];
  let nxt = slots[1];
  let pending: Promise<number> | null = reader.read(cur.buf, cur.head, chunk);
  let carry = 0;
  let total = 0;
  // Never leave a read in flight when returning: the caller closes the reader next.
  const settle = async (): Promise<void> => {
    if (pending !== null) await pending;
    pending = null;
  };
  for (;;) {
    const n: number = await (pending as Promise<number>);
    pending = null;
    total += n;
    const eof = n < chunk;
    const begin = cur.head - carry;
    const end = cur.head + n;
    if (!eof) pending = reader.read(nxt.buf, nxt.head, chunk);
    const used = parser.parse(cur.buf, begin, end, handler);
    carry = end - used;
    if (parser.state !== ParseState.Ok) {
      await settle();
      return { ended: 'parser', leftover: carry };
    }
    if (opts.shouldStop()) {
      await settle();
      return { ended: 'stopped', leftover: carry };
    }
    if (eof) return { ended: 'eof', leftover: carry };
    const needHead = Math.max(carry, parser.needed);
    if (needHead > nxt.head) {
      // A record larger than the headroom (rare): grow the next buffer once its read is done.
      const n2 = await (pending as Promise<number>);
      const head = roundUp(needHead);
      const bigger = Buffer.allocUnsafe(head + chunk);
      nxt.buf.copy(bigger, head, nxt.head, nxt.head + n2);
      nxt.buf = bigger;
      nxt.head = head;
      pending = Promise.resolve(n2);
    }
    cur.buf.copy(nxt.buf, nxt.head - carry, used, end);
    if (opts.maxBytes !== undefined && total >= opts.maxBytes) {
      await settle();
      return { ended: 'limit', leftover: carry };
    }
    if (opts.afterChunk !== undefined) await opts.afterChunk();
    if (opts.shouldStop()) {
      await settle();
      return { ended: 'stopped', leftover: carry };
    }
    const t = cur;
    cur = nxt;
    nxt = t;
  }
}
