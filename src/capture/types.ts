/**
 * The PacketSource contract: every source (capture files, live capture) hands raw frames to one
 * handler, in packet-time order as recorded, without copying them.
 * @module
 */

/**
 * Called once per captured record. `buf[offset .. offset+capLen)` is the frame as captured; it is
 * only valid during the call (the source reuses its buffers). `ts` is Unix epoch seconds (float)
 * of packet time. `wireLen` is the original length on the wire. `linkType` is the LINKTYPE_*
 * number (https://www.tcpdump.org/linktypes.html).
 */
export type FrameHandler = (
  buf: Buffer,
  offset: number,
  capLen: number,
  wireLen: number,
  ts: number,
  linkType: number,
) => void;

/** What a source counts while it reads. */
export interface SourceStats {
  /** Records read, decodable or not (equals capinfos' packet count for a file). */
  packets: number;
  /** Sum of captured lengths. */
  bytes: number;
  /** Files (or streams) whose record structure was cut or damaged part-way; reading stopped there. */
  truncated: number;
}

/** Link types the decoder understands (LINKTYPE_* numbers). */
export const LINKTYPE = {
  NULL: 0,
  ETHERNET: 1,
  RAW: 101,
  LINUX_SLL: 113,
  LOOP: 108,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

/** DLT_RAW has values 12 and 14 on some platforms; pcap files may carry them. */
export const SUPPORTED_LINKTYPES: ReadonlySet<number> = new Set([
  0, 1, 12, 14, 101, 108, 113, 228, 229, 276,
]);

/** Optional hooks a source calls while it runs. */
export interface SourceHooks {
  /**
   * Called between batches of frames (a file chunk, a live dispatch). The source awaits the
   * returned promise before reading on: this is where sinks apply backpressure.
   */
  afterBatch?(): Promise<void> | void;
}

/**
 * A source of frames: capture files or a live interface. Implementations run the shared contract
 * suite in tests/capture/source-contract.ts.
 */
export interface PacketSource {
  /** File path(s) or interface name, for messages. */
  readonly name: string;
  /**
   * Reads frames and calls `handler` for each, in order, until the input ends (files) or
   * `stop()` is called (live). Resolves with the final stats; rejects with a HomewatchError when
   * the input cannot be read at all.
   */
  run(handler: FrameHandler, hooks?: SourceHooks): Promise<SourceStats>;
  /** Ends a running `run()` soon (live: at the next batch; files: after the current chunk). */
  stop(): void;
  /** Stats so far (safe to call while running). */
  stats(): SourceStats;
  /** Bytes read and total bytes, for a progress bar (files only). */
  progress?(): { done: number; total: number };
}
