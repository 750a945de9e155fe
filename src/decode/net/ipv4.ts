/**
 * IPv4 (RFC 791 §3.1).
 *
 * ```
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * |Version|  IHL  |Type of Service|          Total Length         |
 * |         Identification        |Flags|      Fragment Offset    |
 * |  Time to Live |    Protocol   |         Header Checksum       |
 * |                       Source Address                          |
 * |                    Destination Address                        |
 * ```
 * Fragments are flagged, not reassembled: a later fragment carries no transport header.
 * @module
 */
import { malformed } from '../layer.js';
import { L3, type DecodedPacket } from '../packet.js';
import { decodeTransport } from '../transport/index.js';

const MIN_HEADER = 20;
/** Flags/fragment-offset word: MF bit and the 13-bit offset. */
const MORE_FRAGMENTS = 0x2000;
const OFFSET_MASK = 0x1fff;

export function ipv4(buf: Buffer, off: number, end: number, out: DecodedPacket): void {
  if (off + MIN_HEADER > end) return malformed(out, 'ipv4-header-cut');
  const vihl = buf[off];
  if (vihl >>> 4 !== 4) return malformed(out, 'ipv4-bad-version');
  const headerLen = (vihl & 0x0f) << 2;
  if (headerLen < MIN_HEADER) return malformed(out, 'ipv4-bad-ihl');
  out.l3 = L3.IPv4;
  out.ttl = buf[off + 8];
  out.ipProto = buf[off + 9];
  out.src4 =
    ((buf[off + 12] << 24) | (buf[off + 13] << 16) | (buf[off + 14] << 8) | buf[off + 15]) >>> 0;
  out.dst4 =
    ((buf[off + 16] << 24) | (buf[off + 17] << 16) | (buf[off + 18] << 8) | buf[off + 19]) >>> 0;
  let totalLen = (buf[off + 2] << 8) | buf[off + 3];
  // Total length 0 is what TSO/GSO-offloaded packets show when captured on the sender: use the
  // captured length rather than calling every such packet malformed.
  if (totalLen === 0) totalLen = end - off;
  out.ipLen = totalLen;
  if (off + headerLen > end) return malformed(out, 'ipv4-header-cut');
  if (totalLen < headerLen) return malformed(out, 'ipv4-bad-length');
  const frag = (buf[off + 6] << 8) | buf[off + 7];
  if ((frag & (MORE_FRAGMENTS | OFFSET_MASK)) !== 0) {
    out.fragment = true;
    if ((frag & OFFSET_MASK) !== 0) {
      out.laterFragment = true;
      return;
    }
  }
  // Ethernet padding lies beyond the total length; a snap length may cut before it.
  const ipEnd = off + totalLen < end ? off + totalLen : end;
  decodeTransport(out.ipProto, buf, off + headerLen, ipEnd, totalLen - headerLen, out);
}
