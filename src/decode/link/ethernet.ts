/**
 * Ethernet II (LINKTYPE_ETHERNET = 1): destination MAC, source MAC, EtherType (IEEE 802.3 §3.1).
 * @module
 */
import { u24 } from '../addr.js';
import { malformed } from '../layer.js';
import type { DecodedPacket } from '../packet.js';
import { decodeEtherType } from './ethertype.js';

const ETH_HEADER = 14;

export function ethernet(buf: Buffer, off: number, end: number, out: DecodedPacket): void {
  if (off + ETH_HEADER > end) return malformed(out, 'ethernet-header-cut');
  out.hasMacs = true;
  out.dstMac = u24(buf, off) * 0x1000000 + u24(buf, off + 3);
  out.srcMac = u24(buf, off + 6) * 0x1000000 + u24(buf, off + 9);
  decodeEtherType((buf[off + 12] << 8) | buf[off + 13], buf, off + ETH_HEADER, end, out);
}
