/**
 * A flood, the shape of `abnormal_upload` a botnet's member sends when told to attack (Mirai's
 * UDP, SYN, ACK, GRE and HTTP floods, Gafgyt's ICMP): packets to one host at a rate far above
 * the device's own normal, either getting almost nothing back or opening a connection for
 * nearly every few packets. Judged on packets, not payload: a SYN flood carries none. The target
 * must carry the window (its connections, its stream, or what left the LAN): a speaker's
 * multicast audio beside one new host is no flood on that host.
 *
 * What is not a flood: a backup or a clip upload is one or a few TCP connections answered by
 * ACKs (one for every second segment, so replies are far above FLOOD_REPLY_SHARE); a camera's
 * stream goes to a host in its baseline (its cloud explains a stream or an upload there, not
 * hundreds of new TCP connections a second), and a live view sent peer to peer (WebRTC) gets its
 * receiver's RTCP and congestion feedback back, several in a hundred packets; a scan spreads
 * over many hosts (`scan` names it).
 *
 * The target may be on the LAN (a compromised device knocking another one over): then the flood
 * must be one no stream makes, to a service of the host the device never used: a connection
 * every few packets to at most LAN_HAMMERED_PORTS ports (a SYN or HTTP flood; over more ports
 * it is a port scan, `scan` names it); unanswered packets to LAN_FLOOD_PORTS ports or more; or an
 * unanswered stream whose payloads are all one size of at most LAN_FLOOD_MAX_PAYLOAD bytes (a
 * flood's fixed buffer: video varies, MPEG-TS is 1,316 bytes). The last two are not judged for
 * phones and computers, whose screen mirroring to a TV is an unanswered stream to a device they
 * never used before, and the last not for speakers, TVs, streamers and consoles either (raw audio
 * sent in fixed chunks to another player).
 *
 * Forged sources (Mirai's `source=` option, random per packet or a victim's address): most of
 * the window's packets sent from addresses not the device's (devices/registry.ts). No stream,
 * backup or app of a device does that, so such a flood is named whatever its target: the
 * device's own cloud, a recorder it streams to, one port of a LAN host. Not for routers, phones
 * and computers, which may forward others' packets (a second router, a VPN server): for them the
 * forged sources are only told in the evidence.
 *
 * Pings (ICMP echo) at a flood's rate are a flood even when answered, by a device that is no
 * phone or computer (`ping -f` is a person's tool, and a few seconds of it rarely fill a window
 * to FLOOD_PPS). A TCP flood over many ports of one host is also what a port scanner sends:
 * from a phone or a computer, where people run one, `scan` names it; from any other device it is
 * a flood (Mirai's SYN flood draws a random port a packet), and `scan` leaves it to this
 * (scan.ts).
 * @module
 */
import type { PeerEvidence } from '../features/evidence.js';
import { isGeneralPurpose } from './services.js';
import type { DetectContext } from './types.js';

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
/** Share of the packets sent from forged source addresses above which the flood is forged. */
export const FORGED_SHARE = 0.5;
/** Share of the window's packets that carry payload to the target when it is one stream. */
export const FLOOD_STREAM_SHARE = 0.5;
/**
 * A one-port LAN flood's payloads: all one size (coefficient of variation at most this; a
 * flood's buffer is fixed, a codec's frames are not) and at most LAN_FLOOD_MAX_PAYLOAD bytes
 * (video fills packets to the MTU, MPEG-TS carries 1,316 bytes).
 */
export const LAN_FLOOD_SIZE_CV = 0.01;
export const LAN_FLOOD_MAX_PAYLOAD = 1024;

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
  /** ICMP echo requests at a flood's rate, answered or not. */
  pings: boolean;
  /** Distinct forged source addresses when most packets had one (0: the device's own). */
  forgedSources: number;
}

export interface FloodInput {
  packetsUp: number;
  /** Bytes sent in the window (frames). */
  bytesUp: number;
  /** Peers left out of `peers` (the list is a floor when some were). */
  dropped: number;
  /** Share of the window's bytes (both ways) that stayed on the LAN, multicast included. */
  lanByteShare: number;
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
  /** A router (it forwards others' packets). */
  router: boolean;
  /** A speaker, TV, streamer or console: it streams media (raw audio too) on the LAN. */
  media: boolean;
  /** Packets sent from forged source addresses, and those addresses (WindowEvidence). */
  forgedPackets: number;
  forgedSources: number;
}

const ICMP = 1;
const TCP = 6;
const MEDIA_KINDS: ReadonlySet<string> = new Set(['speaker', 'tv', 'streamer', 'console']);

/** The flood judge's input for a detector's window (abnormal_upload, and scan to defer to it). */
export function floodInput(ctx: DetectContext): FloodInput {
  const { w, baseline, kind } = ctx;
  const f = w.record.features;
  return {
    packetsUp: f.packetsUp ?? 0,
    bytesUp: f.bytesUp ?? 0,
    dropped: w.evidence.dropped,
    lanByteShare: f.lanByteShare ?? 0,
    packetsDown: f.packetsDown ?? 0,
    flowsStarted: f.flowsStarted ?? 0,
    windowS: w.record.end - w.record.start,
    normalPackets: () => baseline.highAt('packetsUp', 0.99, w.record.start),
    peers: w.evidence.peers,
    knows: (ip, name) => baseline.knowsRemote(ip, name),
    knowsLanService: (ip, port) => baseline.knowsLanService(ip, port),
    generalPurpose: isGeneralPurpose(kind),
    router: kind === 'router' || w.device.isGateway,
    media: MEDIA_KINDS.has(kind),
    forgedPackets: w.evidence.forgedPackets,
    forgedSources: w.evidence.forgedSources,
  };
}

/** What the listed peers at one address received in the window. */
interface Host {
  flows: number;
  bytes: number;
  /** Payload packets, and the sum of squares of their sizes (from each peer's mean and CV). */
  packets: number;
  sumSq: number;
  ports: Set<number>;
  name: string;
  local: boolean;
}

/** The target's payloads are all one small size: a flood's fixed buffer, not a codec's frames. */
function alike(t: Host): boolean {
  const m = t.bytes / t.packets;
  const cv = Math.sqrt(Math.max(0, t.sumSq / t.packets - m * m)) / m;
  return m <= LAN_FLOOD_MAX_PAYLOAD && cv <= LAN_FLOOD_SIZE_CV;
}

/** The window's flood, or null. */
export function floodOf(x: FloodInput): FloodFacts | null {
  const { packetsUp, windowS } = x;
  if (packetsUp < FLOOD_PPS * windowS) return null;
  const normalPackets = x.normalPackets();
  if (packetsUp < FLOOD_RATIO * Math.max(normalPackets, 1)) return null;
  const unanswered = x.packetsDown < FLOOD_REPLY_SHARE * packetsUp;
  const connections = x.flowsStarted >= FLOOD_FLOW_SHARE * packetsUp;
  const forged = x.forgedPackets >= FORGED_SHARE * packetsUp;
  // Forged sources by a device that forwards nobody's packets: its own doing.
  const spoofing = forged && !x.router && !x.generalPurpose;
  if (!unanswered && !connections && x.generalPurpose) return null;
  // The target: the host with the most connections or payload among the listed peers.
  const hosts = new Map<string, Host>();
  let flows = 0;
  let bytes = 0;
  const protos = new Map<number, number>();
  for (const p of x.peers) {
    let h = hosts.get(p.ip);
    if (h === undefined) {
      h = { flows: 0, bytes: 0, packets: 0, sumSq: 0, ports: new Set(), name: '', local: p.local };
      hosts.set(p.ip, h);
    }
    h.flows += p.flows;
    h.bytes += p.bytesUp;
    if (p.packetsUp > 0) {
      const m = p.bytesUp / p.packetsUp;
      h.packets += p.packetsUp;
      h.sumSq += p.packetsUp * m * m * (1 + p.sizeCvUp * p.sizeCvUp);
    }
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
  // The target carries the window: its connections, its one stream's packets, or (an internet
  // host) what did not stay on the LAN; or the list was cut. A speaker's multicast audio and
  // one new peer is no flood on that peer.
  const stream = t.packets >= FLOOD_STREAM_SHARE * packetsUp;
  const carries =
    t.flows >= FLOOD_FLOW_SHARE * packetsUp ||
    stream ||
    x.dropped > 0 ||
    (!t.local && x.lanByteShare < FLOOD_STREAM_SHARE);
  if (!carries) return null;
  for (const p of x.peers)
    if (p.ip === target) protos.set(p.proto, (protos.get(p.proto) ?? 0) + p.flows + 1);
  const proto = [...protos].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 0;
  const pings = proto === ICMP && !t.local && !x.generalPurpose;
  if (!unanswered && !connections && !pings) return null;
  if (spoofing) {
    // Named whatever the target (see the module comment).
  } else if (t.local) {
    // Hammering a few services with connections (a SYN or HTTP flood), by any device; or
    // unanswered packets over many ports, by a device that streams nothing to its LAN; or an
    // unanswered stream all of one small size (`udpplain`), by a device that streams no media.
    const hammering = connections && t.ports.size <= LAN_HAMMERED_PORTS;
    const spread = unanswered && t.ports.size >= LAN_FLOOD_PORTS && !x.generalPurpose;
    const oneSize = unanswered && stream && alike(t) && !x.generalPurpose && !x.media;
    if (!hammering && !spread && !oneSize) return null;
    if (t.ports.size === 1 && x.knowsLanService(target, [...t.ports][0])) return null;
  } else if (x.knows(target, t.name)) {
    // Its own cloud explains a stream or an upload, not hundreds of new connections a second.
    if (x.generalPurpose || !connections || proto !== TCP) return null;
  } else if (x.generalPurpose && proto === TCP && t.ports.size > LAN_HAMMERED_PORTS) return null;
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
    pings,
    forgedSources: forged ? x.forgedSources : 0,
  };
}
