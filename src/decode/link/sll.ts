/**
 * Linux "cooked" capture v1 (LINKTYPE_LINUX_SLL = 113), https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL.html
 *
 * ```
 *  0      2      4        6                       14       16
 *  | type | ARPHRD | addr len | link-layer address (8) | protocol |
 * ```
 * Only the source address is recorded; when it is a 6-byte Ethernet MAC it becomes `srcMac`.
 * `type` (the kernel's packet type: to us, broadcast, multicast, to another host, sent by us)
 * becomes `linkPktType`.
 * @module
 */
import { readMac } from '../addr.js';
import { malformed } from '../layer.js';
import type { DecodedPacket } from '../packet.js';
import { decodeEtherType } from './ethertype.js';

const SLL_HEADER = 16;
/** ARPHRD_ETHER (linux/if_arp.h). */
export const ARPHRD_ETHER = 1;

export function sll(buf: Buffer, off: number, end: number, out: DecodedPacket): void {
  if (off + SLL_HEADER > end) return malformed(out, 'sll-header-cut');
  const arphrd = (buf[off + 2] << 8) | buf[off + 3];
  const addrLen = (buf[off + 4] << 8) | buf[off + 5];
  out.linkPktType = (buf[off] << 8) | buf[off + 1];
  if (arphrd === ARPHRD_ETHER && addrLen === 6) {
    out.hasMacs = true;
    out.srcMac = readMac(buf, off + 6);
  }
  decodeEtherType((buf[off + 14] << 8) | buf[off + 15], buf, off + SLL_HEADER, end, out);
}
