/**
 * A flood, the shape of `abnormal_upload` a botnet's member sends when told to attack (Mirai's
 * UDP, SYN, ACK, GRE and HTTP floods): packets to one host at a rate far above the device's own
 * normal, either getting almost nothing back or opening a connection for nearly every few
 * packets. Judged on packets, not payload: a SYN flood carries none.
 *
 * What is not a flood: a backup or a clip upload is one or a few TCP connections answered by
 * ACKs (one for every second segment, so replies are far above FLOOD_REPLY_SHARE); a camera's
 * stream goes to a host in its baseline, and a live view sent peer to peer (WebRTC) gets its
 * receiver's RTCP and congestion feedback back, several in a hundred packets; a scan spreads
 * over many hosts (`scan` names it).
 *
 * The target may be on the LAN (a compromised device knocking another one over): then the flood
 * must be one no stream makes, to a service of the host the device never used: a connection
 * every few packets to at most LAN_HAMMERED_PORTS ports (a SYN or HTTP flood; over more ports
 * it is a port scan, `scan` names it), or unanswered packets to LAN_FLOOD_PORTS ports or more —
 * not judged for phones and computers, whose screen mirroring to a TV is an unanswered stream
 * to a device they never used before.
 * @module
 */
import type { PeerEvidence } from '../features/evidence.js';

/** Packets a second sent in the window (on average) below which nothing is a flood. */
export const FLOOD_PPS = 200;
/** Packets sent in the window as a multiple of the device's normal high (99th percentile). */
export const FLOOD_RATIO = 20;
/** Packets received per packet sent under which the target is "hardly answering". */
export const FLOOD_REPLY_SHARE = 0.02;
/** Connections started per packet sent above which it opens one for every few packets. */
export const FLOOD_FLOW_SHARE = 0.1;
/** Share of the listed peers' connections or payload that goes to the one target. */
export const FLOOD_TARGET_SHARE = 0.5;
/** Ports of a LAN target an unanswered flood must spread over (a stream uses one or two). */
export const LAN_FLOOD_PORTS = 16;
/** Ports at most a connection flood on a LAN target hammers (more: a port scan, `scan`'s). */
export const LAN_HAMMERED_PORTS = 4;

export interface FloodFacts {
  /** The target host, and the transport of most of what went to it. */
  target: string;
  proto: number;
  /** Distinct ports of it among the window's listed peers (a floor when peers were dropped). */
  ports: number;
  /** The one port, when one (0: several, or none). */
  port: number;
  packets: number;
  perSecond: number;
  /** The device's normal high of packets sent in a window, and the window's multiple of it. */
  normalPackets: number;
  ratio: number;
  /** The target gave nearly nothing back (else: a connection every few packets). */
  unanswered: boolean;
  /** The target is a device on the LAN. */
  local: boolean;
}

export interface FloodInput {
  packetsUp: number;
  packetsDown: number;
  flowsStarted: number;
  windowS: number;
  /** The device's normal high of packets sent in a window (read only for a fast window). */
  normalPackets: () => number;
  peers: readonly PeerEvidence[];
  /** The device's baseline has used the internet host (by address or by its name's domain). */
  knows(ip: string, name: string): boolean;
  /** The device's baseline has used the LAN service. */
  knowsLanService(ip: string, port: number): boolean;
  /** A phone or a computer (its LAN streams are not judged). */
  generalPurpose: boolean;
}

/** What the listed peers at one address received in the window. */
interface Host {
  flows: number;
  bytes: number;
  ports: Set<number>;
  name: string;
  local: boolean;
}

/** The window's flood, or null. */
export function floodOf(x: FloodInput): FloodFacts | null {
  const { packetsUp, windowS } = x;
  if (packetsUp < FLOOD_PPS * windowS) return null;
  const normalPackets = x.normalPackets();
  if (packetsUp < FLOOD_RATIO * Math.max(normalPackets, 1)) return null;
  const unanswered = x.packetsDown < FLOOD_REPLY_SHARE * packetsUp;
  if (!unanswered && x.flowsStarted < FLOOD_FLOW_SHARE * packetsUp) return null;
  // The target: the host with the most connections or payload among the listed peers.
  const hosts = new Map<string, Host>();
  let flows = 0;
  let bytes = 0;
  const protos = new Map<number, number>();
  for (const p of x.peers) {
    let h = hosts.get(p.ip);
    if (h === undefined) {
      h = { flows: 0, bytes: 0, ports: new Set(), name: '', local: p.local };
      hosts.set(p.ip, h);
    }
    h.flows += p.flows;
    h.bytes += p.bytesUp;
    h.ports.add(p.port);
    if (h.name === '') h.name = p.name;
    flows += p.flows;
    bytes += p.bytesUp;
  }
  let target = '';
  let t: Host | null = null;
  let share = 0;
  for (const [ip, h] of hosts) {
    const s = Math.max(h.flows / Math.max(flows, 1), h.bytes / Math.max(bytes, 1));
    if (s > share) [target, t, share] = [ip, h, s];
  }
  if (t === null || share < FLOOD_TARGET_SHARE) return null;
  if (t.local) {
    // Hammering a few services with connections (a SYN or HTTP flood), by any device; or
    // unanswered packets over many ports, by a device that streams nothing to its LAN.
    const hammering =
      x.flowsStarted >= FLOOD_FLOW_SHARE * packetsUp && t.ports.size <= LAN_HAMMERED_PORTS;
    const spread = unanswered && t.ports.size >= LAN_FLOOD_PORTS && !x.generalPurpose;
    if (!hammering && !spread) return null;
    if (t.ports.size === 1 && x.knowsLanService(target, [...t.ports][0])) return null;
  } else if (x.knows(target, t.name)) return null;
  for (const p of x.peers)
    if (p.ip === target) protos.set(p.proto, (protos.get(p.proto) ?? 0) + p.flows + 1);
  const proto = [...protos].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 0;
  return {
    target,
    proto,
    ports: t.ports.size,
    port: t.ports.size === 1 ? [...t.ports][0] : 0,
    packets: packetsUp,
    perSecond: Math.round(packetsUp / windowS),
    normalPackets: Math.round(normalPackets),
    ratio: Math.round(packetsUp / Math.max(normalPackets, 1)),
    unanswered,
    local: t.local,
  };
}
