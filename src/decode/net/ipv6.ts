/**
 * IPv6 (RFC 8200 §3): version, traffic class, flow label, payload length, next header, hop
 * limit, source and destination. Extension headers are walked through `IPV6_EXT_HEADERS`.
 * ESP (50) and No Next Header (59) end the walk with no transport decode.
 * @module
 */
import { readIpv6 } from '../addr.js';
import { malformed } from '../layer.js';
import { L3, type DecodedPacket } from '../packet.js';
import { decodeTransport } from '../transport/index.js';
import { IPV6_EXT_HEADERS, MAX_IPV6_EXT_HEADERS } from './ipv6-ext.js';

const HEADER = 40;

export function ipv6(buf: Buffer, off: number, end: number, out: DecodedPacket): void {
  if (off + HEADER > end) return malformed(out, 'ipv6-header-cut');
  if (buf[off] >>> 4 !== 6) return malformed(out, 'ipv6-bad-version');
  out.l3 = L3.IPv6;
  let payloadLen = (buf[off + 4] << 8) | buf[off + 5];
  // Payload length 0 means a jumbogram (RFC 2675) or an offloaded packet: use what was captured.
  if (payloadLen === 0) payloadLen = end - off - HEADER;
  out.ipLen = HEADER + payloadLen;
  out.ttl = buf[off + 7];
  readIpv6(buf, off + 8, out.src6, 0);
  readIpv6(buf, off + 24, out.dst6, 0);
  let next = buf[off + 6];
  out.ipProto = next;
  const ipEnd = off + HEADER + payloadLen < end ? off + HEADER + payloadLen : end;
  let pos = off + HEADER;
  for (let n = 0; ; n++) {
    const ext = IPV6_EXT_HEADERS[next];
    if (ext === null) break;
    if (n === MAX_IPV6_EXT_HEADERS) return malformed(out, 'ipv6-too-many-ext');
    const len = ext(buf, pos, ipEnd, out);
    if (len < 0 || pos + len > ipEnd) return malformed(out, 'ipv6-ext-cut');
    next = buf[pos];
    out.ipProto = next;
    pos += len;
    if (out.laterFragment) return;
  }
  const remaining = off + HEADER + payloadLen - pos;
  if (remaining < 0) return malformed(out, 'ipv6-bad-length');
  decodeTransport(next, buf, pos, ipEnd, remaining, out);
}
