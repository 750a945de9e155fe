/**
 * Linux "cooked" capture v2 (LINKTYPE_LINUX_SLL2 = 276), https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL2.html
 *
 * ```
 *  0          2          4            8        10     11         12                     20
 *  | protocol | reserved | if index   | ARPHRD | type | addr len | link-layer addr (8) |
 * ```
 * @module
 */
import { readMac } from '../addr.js';
import { malformed } from '../layer.js';
import type { DecodedPacket } from '../packet.js';
import { decodeEtherType } from './ethertype.js';
import { ARPHRD_ETHER } from './sll.js';

const SLL2_HEADER = 20;

export function sll2(buf: Buffer, off: number, end: number, out: DecodedPacket): void {
  if (off + SLL2_HEADER > end) return malformed(out, 'sll2-header-cut');
  const arphrd = (buf[off + 8] << 8) | buf[off + 9];
  out.linkPktType = buf[off + 10];
  if (arphrd === ARPHRD_ETHER && buf[off + 11] === 6) {
    out.hasMacs = true;
    out.srcMac = readMac(buf, off + 12);
  }
  decodeEtherType((buf[off] << 8) | buf[off + 1], buf, off + SLL2_HEADER, end, out);
}
