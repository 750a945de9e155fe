/**
 * The decoded view of one frame. One instance is reused for every packet (no per-packet
 * allocation on the hot path): `decodeFrame()` resets and fills it, later stages read it.
 * @module
 */
import type { AppInfo } from './app/types.js';

export const enum DecodeStatus {
  /** Every header the frame claims was read. */
  Ok = 0,
  /** A header was cut short or invalid; fields up to that layer are filled. Counted as malformed. */
  Malformed = 1,
  /** A link or network protocol we do not decode (e.g. LLDP, EAPOL): not an error. */
  Unsupported = 2,
}

/** `l3` values. */
export const enum L3 {
  None = 0,
  IPv4 = 4,
  IPv6 = 6,
  ARP = 0x0806,
}

/** TCP flag bits as in the header (RFC 9293 §3.1). */
export const enum TcpFlag {
  FIN = 0x01,
  SYN = 0x02,
  RST = 0x04,
  PSH = 0x08,
  ACK = 0x10,
  URG = 0x20,
  ECE = 0x40,
  CWR = 0x80,
}

/** Packet types of Linux cooked captures (linux/if_packet.h PACKET_*). */
export const LinkPktType = {
  /** Addressed to the capturing host. */
  Host: 0,
  Broadcast: 1,
  Multicast: 2,
  /** Addressed to another host (seen in promiscuous mode). */
  OtherHost: 3,
  /** Sent by the capturing host. */
  Outgoing: 4,
} as const;

export class DecodedPacket {
  status: DecodeStatus = DecodeStatus.Ok;
  /** Static string naming the layer that failed, for diagnostics ('' when ok). */
  malformedReason = '';

  ts = 0;
  capLen = 0;
  wireLen = 0;
  linkType = 0;

  /** false for link types without MAC addresses (raw IP, NULL/LOOP). */
  hasMacs = false;
  /** 48-bit MACs as numbers (0 when unknown). SLL/SLL2 give only the source MAC. */
  srcMac = 0;
  dstMac = 0;
  /**
   * Linux cooked captures (SLL, SLL2): the packet type the kernel recorded, LinkPktType; -1 for
   * other links. OUTGOING frames carry the capturing host's own MAC as their source.
   */
  linkPktType = -1;
  /** Outermost 802.1Q/802.1ad VLAN id, -1 when untagged. */
  vlan = -1;
  /** Number of VLAN tags walked. */
  vlanDepth = 0;
  /** EtherType of the network layer after any VLAN tags (0 for raw IP links). */
  etherType = 0;

  l3: L3 = L3.None;
  /** IPv4 addresses as unsigned 32-bit numbers. */
  src4 = 0;
  dst4 = 0;
  /** IPv6 addresses as four big-endian 32-bit words (valid when l3 === IPv6). */
  readonly src6 = new Uint32Array(4);
  readonly dst6 = new Uint32Array(4);
  /** Upper-layer protocol after IPv6 extension headers (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6). */
  ipProto = 0;
  ttl = 0;
  /** IP header's total length (IPv4) or 40 + payload length (IPv6). */
  ipLen = 0;
  /** Part of a fragmented datagram (MF set or offset > 0). */
  fragment = false;
  /** Fragment offset > 0: no transport header in this packet. */
  laterFragment = false;

  sport = 0;
  dport = 0;
  tcpFlags = 0;
  tcpSeq = 0;
  tcpAck = 0;
  icmpType = -1;
  icmpCode = -1;

  /** Transport payload: where it starts in the buffer and how much of it was captured. */
  payloadOffset = 0;
  payloadCapLen = 0;
  /** Payload length according to the headers (may exceed payloadCapLen under a snap length). */
  payloadLen = 0;

  /** ARP (RFC 826) for IPv4 over Ethernet. */
  arpOp = 0;
  arpSenderMac = 0;
  arpSenderIp = 0;
  /** 0 in a broadcast request; the addressee in a reply or a unicast (refresh) request. */
  arpTargetMac = 0;
  arpTargetIp = 0;

  /** Application-layer derived fields, when a peek recognised the payload. */
  app: AppInfo | null = null;
}
