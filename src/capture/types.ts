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
export const SUPPORTED_LINKTYPES: ReadonlySet<number> = new Set([0, 1, 12, 14, 101, 108, 113, 228, 229, 276]);
