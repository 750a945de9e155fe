/**
 * ICMP (RFC 792): type, code, checksum, then 4 bytes whose meaning depends on the type. The
 * payload is what follows those 8 bytes.
 * @module
 */
import { malformed } from '../layer.js';
import type { DecodedPacket } from '../packet.js';
import { setPayload } from './payload.js';

/** Type, code and checksum must be captured; the rest of the 8-byte header may be cut. */
const MIN_HEADER = 4;
const HEADER = 8;

export function icmp(buf: Buffer, off: number, end: number, len: number, out: DecodedPacket): void {
  if (off + MIN_HEADER > end || len < MIN_HEADER) return malformed(out, 'icmp-header-cut');
  out.icmpType = buf[off];
  out.icmpCode = buf[off + 1];
  if (len >= HEADER) setPayload(out, off + HEADER, end, len - HEADER);
}
