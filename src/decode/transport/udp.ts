/**
 * UDP (RFC 768): source port, destination port, length (header + data), checksum.
 * @module
 */
import { peekUdp } from '../app/index.js';
import { malformed } from '../layer.js';
import type { DecodedPacket } from '../packet.js';
import { setPayload } from './payload.js';

const HEADER = 8;

export function udp(buf: Buffer, off: number, end: number, len: number, out: DecodedPacket): void {
  if (off + HEADER > end) return malformed(out, 'udp-header-cut');
  out.sport = (buf[off] << 8) | buf[off + 1];
  out.dport = (buf[off + 2] << 8) | buf[off + 3];
  let udpLen = (buf[off + 4] << 8) | buf[off + 5];
  if (udpLen < HEADER) {
    // Length 0 is legal only for IPv6 jumbograms (RFC 2675 §4): take the IP payload length.
    if (udpLen !== 0 || len < HEADER) return malformed(out, 'udp-bad-length');
    udpLen = len;
  }
  if (udpLen > len) udpLen = len;
  if (udpLen < HEADER) return malformed(out, 'udp-bad-length');
  setPayload(out, off + HEADER, end, udpLen - HEADER);
  if (out.payloadCapLen > 0) {
    out.app = peekUdp(buf, out.payloadOffset, out.payloadCapLen, out.sport, out.dport);
  }
}
