/**
 * ICMPv6 (RFC 4443 §2.1): type, code, checksum, then the message body.
 * @module
 */
import { malformed } from '../layer.js';
import type { DecodedPacket } from '../packet.js';
import { setPayload } from './payload.js';

const HEADER = 4;

export function icmpv6(
  buf: Buffer,
  off: number,
  end: number,
  len: number,
  out: DecodedPacket,
): void {
  if (off + HEADER > end || len < HEADER) return malformed(out, 'icmpv6-header-cut');
  out.icmpType = buf[off];
  out.icmpCode = buf[off + 1];
  setPayload(out, off + HEADER, end, len - HEADER);
}
