/**
 * BSD loopback: LINKTYPE_NULL (0), a 4-byte address family in the byte order of the host that
 * wrote the file, and LINKTYPE_LOOP (108), the same in network byte order.
 * https://www.tcpdump.org/linktypes/LINKTYPE_NULL.html
 * @module
 */
import { malformed, unsupported } from '../layer.js';
import { ipv4 } from '../net/ipv4.js';
import { ipv6 } from '../net/ipv6.js';
import type { DecodedPacket } from '../packet.js';

const AF_INET = 2;
/** AF_INET6 differs by OS: OpenBSD/NetBSD 24, FreeBSD 28, Darwin 30. */
const AF_INET6_BSD = 24;
const AF_INET6_FREEBSD = 28;
const AF_INET6_DARWIN = 30;

function byFamily(family: number, buf: Buffer, off: number, end: number, out: DecodedPacket): void {
  if (family === AF_INET) return ipv4(buf, off, end, out);
  if (family === AF_INET6_BSD || family === AF_INET6_FREEBSD || family === AF_INET6_DARWIN) {
    return ipv6(buf, off, end, out);
  }
  unsupported(out);
}

export function nullLink(buf: Buffer, off: number, end: number, out: DecodedPacket): void {
  if (off + 4 > end) return malformed(out, 'null-header-cut');
  // Host order is unknown: families are small, so whichever end holds the value is the right one.
  let family = buf[off] | (buf[off + 1] << 8) | (buf[off + 2] << 16) | (buf[off + 3] << 24);
  if ((family & 0xffff) === 0) family = (buf[off + 3] | (buf[off + 2] << 8)) >>> 0;
  byFamily(family, buf, off + 4, end, out);
}

export function loopLink(buf: Buffer, off: number, end: number, out: DecodedPacket): void {
  if (off + 4 > end) return malformed(out, 'loop-header-cut');
  const family =
    ((buf[off] << 24) | (buf[off + 1] << 16) | (buf[off + 2] << 8) | buf[off + 3]) >>> 0;
  byFamily(family, buf, off + 4, end, out);
}
