/**
 * Ethernet II (LINKTYPE_ETHERNET = 1): destination MAC, source MAC, EtherType (IEEE 802.3 §3.1).
 * @module
 */
import { readMac } from '../addr.js';
import { malformed } from '../layer.js';
import type { DecodedPacket } from '../packet.js';
import { decodeEtherType } from './ethertype.js';

const ETH_HEADER = 14;

export function ethernet(buf: Buffer, off: number, end: number, out: DecodedPacket): void {
  if (off + ETH_HEADER > end) return malformed(out, 'ethernet-header-cut');
  out.hasMacs = true;
  out.dstMac = readMac(buf, off);
  out.srcMac = readMac(buf, off + 6);
  decodeEtherType((buf[off + 12] << 8) | buf[off + 13], buf, off + ETH_HEADER, end, out);
}
