/**
 * decodeFrame(): one captured frame → the reused `DecodedPacket`, walking the layers through
 * number-keyed tables (link type → link decoder, EtherType → network decoder, IP protocol →
 * transport decoder, port / first bytes → app peek). Reads only the captured window, never
 * throws, allocates only when an app peek recognises its protocol.
 *
 * @example
 * const pkt = new DecodedPacket();
 * source.run((buf, off, capLen, wireLen, ts, linkType) => {
 *   if (decodeFrame(buf, off, capLen, wireLen, linkType, ts, pkt) === DecodeStatus.Ok) flows.add(pkt);
 * });
 * @module
 */
import { malformed, unsupported } from './layer.js';
import { ethernet } from './link/ethernet.js';
import { LINK_DECODERS } from './link/index.js';
import { DecodeStatus, L3, type DecodedPacket } from './packet.js';

export { DecodedPacket, DecodeStatus, L3, TcpFlag } from './packet.js';
export type * from './app/types.js';
export { sniffBody } from './app/body.js';
export { LINK_DECODERS } from './link/index.js';
export { ETHERTYPE_DECODERS } from './link/ethertype.js';
export { IP_PROTO_DECODERS } from './transport/index.js';

/**
 * Sets every field of `out` to its initial value (as after `new DecodedPacket()`), given that
 * `out` was last filled by `decodeFrame` (or is new).
 */
export function resetPacket(out: DecodedPacket): void {
  out.status = DecodeStatus.Ok;
  out.malformedReason = '';
  out.hasMacs = false;
  out.srcMac = 0;
  out.dstMac = 0;
  out.linkPktType = -1;
  out.vlan = -1;
  out.vlanDepth = 0;
  out.etherType = 0;
  // IPv6 addresses and ARP fields are written only after `l3` is set to IPv6 / ARP, so they
  // need clearing only when the previous packet got that far.
  if (out.l3 === L3.IPv6) {
    const s6 = out.src6;
    const d6 = out.dst6;
    s6[0] = s6[1] = s6[2] = s6[3] = 0;
    d6[0] = d6[1] = d6[2] = d6[3] = 0;
  } else if (out.l3 === L3.ARP) {
    out.arpOp = 0;
    out.arpSenderMac = 0;
    out.arpSenderIp = 0;
    out.arpTargetMac = 0;
    out.arpTargetIp = 0;
  }
  out.l3 = L3.None;
  out.src4 = 0;
  out.dst4 = 0;
  out.ipProto = 0;
  out.ttl = 0;
  out.ipLen = 0;
  out.fragment = false;
  out.laterFragment = false;
  out.sport = 0;
  out.dport = 0;
  out.tcpFlags = 0;
  out.tcpSeq = 0;
  out.tcpAck = 0;
  out.icmpType = -1;
  out.icmpCode = -1;
  out.payloadOffset = 0;
  out.payloadCapLen = 0;
  out.payloadLen = 0;
  out.app = null;
}

/**
 * Decodes the frame `buf[offset, offset+capLen)` of link type `linkType` into `out` (reset
 * first). Returns `out.status`: Ok, Malformed (with a static `malformedReason`; fields of the
 * layers before the failure stay filled) or Unsupported (a link or network protocol not decoded).
 */
export function decodeFrame(
  buf: Buffer,
  offset: number,
  capLen: number,
  wireLen: number,
  linkType: number,
  ts: number,
  out: DecodedPacket,
): DecodeStatus {
  resetPacket(out);
  out.ts = ts;
  out.capLen = capLen;
  out.wireLen = wireLen;
  out.linkType = linkType;
  let end = offset + capLen;
  if (!(offset >= 0 && capLen >= 0 && (end | 0) === end)) {
    malformed(out, 'frame-bounds');
    return out.status;
  }
  if (end > buf.length) end = buf.length;
  if (linkType === 1) {
    ethernet(buf, offset, end, out); // the common row, called directly (inlined)
    return out.status;
  }
  const decode = (linkType | 0) === linkType ? LINK_DECODERS[linkType] : undefined;
  if (decode === undefined || decode === null) unsupported(out);
  else decode(buf, offset, end, out);
  return out.status;
}
