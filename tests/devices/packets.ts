/** Hand-built DecodedPackets for the devices tests. */
import { parseIpv4, parseMac } from '../../src/decode/addr.js';
import type { AppInfo } from '../../src/decode/app/types.js';
import { DecodedPacket, L3 } from '../../src/decode/packet.js';
import { parseIpv6 } from '../../src/devices/lan.js';

export const mac = (text: string): number => {
  const m = parseMac(text);
  if (Number.isNaN(m)) throw new Error(`bad MAC in test: ${text}`);
  return m;
};

export const ip4 = (text: string): number => {
  const v = parseIpv4(text);
  if (Number.isNaN(v)) throw new Error(`bad IPv4 in test: ${text}`);
  return v;
};

export const ip6 = (text: string): Uint32Array => {
  const w = parseIpv6(text);
  if (w === null) throw new Error(`bad IPv6 in test: ${text}`);
  return w;
};

export interface PacketSpec {
  ts?: number;
  srcMac?: string;
  dstMac?: string;
  /** IPv4 or IPv6 text; the family picks l3. */
  src: string;
  dst: string;
  hasMacs?: boolean;
  /** A Linux cooked frame's packet type (LinkPktType); none (-1, Ethernet) by default. */
  linkPktType?: number;
  app?: AppInfo | null;
}

/** Fills `pkt` (reused, as the decoder does) and returns it. */
export function ipPacket(spec: PacketSpec, pkt = new DecodedPacket()): DecodedPacket {
  pkt.ts = spec.ts ?? 1000;
  pkt.hasMacs = spec.hasMacs ?? true;
  pkt.srcMac = pkt.hasMacs && spec.srcMac !== undefined ? mac(spec.srcMac) : 0;
  pkt.dstMac = pkt.hasMacs && spec.dstMac !== undefined ? mac(spec.dstMac) : 0;
  pkt.linkPktType = spec.linkPktType ?? -1;
  pkt.app = spec.app ?? null;
  if (spec.src.includes(':')) {
    pkt.l3 = L3.IPv6;
    pkt.src6.set(ip6(spec.src));
    pkt.dst6.set(ip6(spec.dst));
    pkt.src4 = pkt.dst4 = 0;
  } else {
    pkt.l3 = L3.IPv4;
    pkt.src4 = ip4(spec.src);
    pkt.dst4 = ip4(spec.dst);
  }
  return pkt;
}

export interface ArpSpec {
  ts?: number;
  srcMac: string;
  dstMac: string;
  op: number;
  senderMac?: string;
  senderIp: string;
  targetIp: string;
}

export function arpPacket(spec: ArpSpec, pkt = new DecodedPacket()): DecodedPacket {
  pkt.ts = spec.ts ?? 1000;
  pkt.hasMacs = true;
  pkt.srcMac = mac(spec.srcMac);
  pkt.dstMac = mac(spec.dstMac);
  pkt.l3 = L3.ARP;
  pkt.arpOp = spec.op;
  pkt.arpSenderMac = mac(spec.senderMac ?? spec.srcMac);
  pkt.arpSenderIp = ip4(spec.senderIp);
  pkt.arpTargetIp = ip4(spec.targetIp);
  pkt.src4 = pkt.dst4 = 0;
  pkt.app = null;
  return pkt;
}

export const BROADCAST = 'ff:ff:ff:ff:ff:ff';
