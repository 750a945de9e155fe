/**
 * TCP (RFC 9293 §3.1).
 *
 * ```
 * |          Source Port          |       Destination Port        |
 * |                        Sequence Number                        |
 * |                    Acknowledgment Number                      |
 * |  Data |       |C|E|U|A|P|R|S|F|                               |
 * | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |
 * ```
 * @module
 */
import { peekTcp } from '../app/index.js';
import { malformed } from '../layer.js';
import type { DecodedPacket } from '../packet.js';
import { setPayload } from './payload.js';

const MIN_HEADER = 20;

export function tcp(buf: Buffer, off: number, end: number, len: number, out: DecodedPacket): void {
  if (off + MIN_HEADER > end) return malformed(out, 'tcp-header-cut');
  out.sport = (buf[off] << 8) | buf[off + 1];
  out.dport = (buf[off + 2] << 8) | buf[off + 3];
  out.tcpSeq =
    ((buf[off + 4] << 24) | (buf[off + 5] << 16) | (buf[off + 6] << 8) | buf[off + 7]) >>> 0;
  out.tcpAck =
    ((buf[off + 8] << 24) | (buf[off + 9] << 16) | (buf[off + 10] << 8) | buf[off + 11]) >>> 0;
  out.tcpFlags = buf[off + 13];
  const headerLen = (buf[off + 12] >>> 4) << 2;
  if (headerLen < MIN_HEADER || headerLen > len) return malformed(out, 'tcp-bad-offset');
  if (off + headerLen > end) return malformed(out, 'tcp-header-cut');
  setPayload(out, off + headerLen, end, len - headerLen);
  if (out.payloadCapLen > 0) {
    out.app = peekTcp(buf, out.payloadOffset, out.payloadCapLen, out.sport, out.dport);
  }
}
