/**
 * The transport payload window shared by the transport decoders.
 * @module
 */
import type { DecodedPacket } from '../packet.js';

/** Records the transport payload window: `[off, min(off+len, end))`. */
export function setPayload(out: DecodedPacket, off: number, end: number, len: number): void {
  out.payloadOffset = off;
  out.payloadLen = len;
  const avail = end - off;
  out.payloadCapLen = avail < len ? (avail > 0 ? avail : 0) : len;
}
