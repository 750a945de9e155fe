/**
 * Raw IP link types: LINKTYPE_RAW (101, and DLT_RAW 12/14 on some platforms) where the version
 * nibble decides, LINKTYPE_IPV4 (228) and LINKTYPE_IPV6 (229).
 * @module
 */
import { malformed } from '../layer.js';
import { ipv4 } from '../net/ipv4.js';
import { ipv6 } from '../net/ipv6.js';
import type { DecodedPacket } from '../packet.js';

export function rawIp(buf: Buffer, off: number, end: number, out: DecodedPacket): void {
  if (off >= end) return malformed(out, 'raw-empty');
  const version = buf[off] >>> 4;
  if (version === 4) return ipv4(buf, off, end, out);
  if (version === 6) return ipv6(buf, off, end, out);
  malformed(out, 'raw-bad-version');
}
