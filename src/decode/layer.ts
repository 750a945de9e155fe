/**
 * Shapes of the per-layer decoders that the dispatch tables hold. Every decoder reads
 * `buf[off, end)` only, fills `out`, and reports problems through `out.status` (never throws).
 * @module
 */
import { DecodeStatus, type DecodedPacket } from './packet.js';

/** A link-layer (or network-layer) decoder: the frame or header starts at `off`, the capture ends at `end`. */
export type LayerDecoder = (buf: Buffer, off: number, end: number, out: DecodedPacket) => void;

/**
 * A transport decoder: the IP payload starts at `off`; `end` bounds what was captured (and what
 * the IP header allows); `len` is the IP payload length according to the IP header.
 */
export type TransportDecoder = (
  buf: Buffer,
  off: number,
  end: number,
  len: number,
  out: DecodedPacket,
) => void;

/** Marks `out` malformed. `reason` must be a static string (no per-packet allocation). */
export function malformed(out: DecodedPacket, reason: string): void {
  out.status = DecodeStatus.Malformed;
  out.malformedReason = reason;
}

/** Marks `out` as a protocol we do not decode (not an error). */
export function unsupported(out: DecodedPacket): void {
  out.status = DecodeStatus.Unsupported;
}
