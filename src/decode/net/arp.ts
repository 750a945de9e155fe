/**
 * ARP (RFC 826) for Ethernet hardware and IPv4 protocol addresses.
 *
 * ```
 * | hrd (2) | pro (2) | hln (1) | pln (1) | op (2) | sha (6) | spa (4) | tha (6) | tpa (4) |
 * ```
 * Other hardware/protocol pairs are Unsupported.
 * @module
 */
import { readMac } from '../addr.js';
import { malformed, unsupported } from '../layer.js';
import { L3, type DecodedPacket } from '../packet.js';

const ARP_ETHER_IPV4 = 28;

export function arp(buf: Buffer, off: number, end: number, out: DecodedPacket): void {
  out.l3 = L3.ARP;
  if (off + 8 > end) return malformed(out, 'arp-header-cut');
  const hrd = (buf[off] << 8) | buf[off + 1];
  const pro = (buf[off + 2] << 8) | buf[off + 3];
  if (hrd !== 1 || pro !== 0x0800 || buf[off + 4] !== 6 || buf[off + 5] !== 4) {
    return unsupported(out);
  }
  if (off + ARP_ETHER_IPV4 > end) return malformed(out, 'arp-cut');
  out.arpOp = (buf[off + 6] << 8) | buf[off + 7];
  out.arpSenderMac = readMac(buf, off + 8);
  out.arpSenderIp =
    ((buf[off + 14] << 24) | (buf[off + 15] << 16) | (buf[off + 16] << 8) | buf[off + 17]) >>> 0;
  out.arpTargetMac = readMac(buf, off + 18);
  out.arpTargetIp =
    ((buf[off + 24] << 24) | (buf[off + 25] << 16) | (buf[off + 26] << 8) | buf[off + 27]) >>> 0;
}
