/**
 * Window evidence: what a number cannot carry. Beside each closed `window` record, the feature
 * stage hands the detectors the facts behind it — which endpoint, which port was mapped, which
 * name, which URL — so an alert can say what happened in a sentence and show the evidence.
 *
 * Everything here is derived (addresses, ports, names, counts, codes); no payload bytes. Every
 * list is bounded (the `MAX_*` constants) and what did not fit is counted in `dropped`.
 * Evidence is not written as a record: detectors copy what an alert needs into its `evidence`.
 * @module
 */
import type { CommandService, CommandTool } from './command-line.js';

/** Most peers listed per device and window (most flows first); the rest counted in `dropped`. */
export const MAX_PEERS = 256;
/** Most entries of each other list per device and window. */
export const MAX_ITEMS = 32;
/** Most forged source addresses told apart per device and window (WindowEvidence). */
export const MAX_FORGED_SOURCES = 4096;

/** One peer (address, port, protocol) the device started flows to in the window. */
export interface PeerEvidence {
  /** Peer address: IPv4 dotted, IPv6 RFC 5952. */
  ip: string;
  /** Responder port (0 for ICMP and protocols without ports). */
  port: number;
  /** IP protocol number (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6). */
  proto: number;
  /** The peer is on the LAN (local address); otherwise it is on the internet. */
  local: boolean;
  /** The LAN device at the address, as its MAC; '' (or absent) when no device holds it. */
  mac?: string;
  /**
   * The name the device knew it by: the DNS answer that gave it this address, else the TLS SNI
   * or HTTP Host of a flow to it; '' when none.
   */
  name: string;
  /** A DNS answer to this device named the address before it was contacted. */
  dnsAnswered: boolean;
  /** Flows the device started to it in the window. */
  flows: number;
  /** Of those, TCP attempts refused or never answered (counted in the window they fail). */
  failed: number;
  /**
   * TCP flows to it that carried no payload either way: refused, unanswered, reset right after
   * the handshake, or a stealth probe without SYN (FIN, NULL, Xmas) — what a port scanner
   * leaves. Counted when the flow leaves the table.
   */
  probes: number;
  /**
   * Short sessions: TCP connections that were answered, carried little (< 4 kB each way) and
   * ended within 30 s — the shape of one login attempt.
   */
  shortSessions: number;
  /** Payload bytes the device sent to / received from it in this window. */
  bytesUp: number;
  bytesDown: number;
  /**
   * Packets with payload the device sent to it in this window, and the coefficient of variation
   * of their payload sizes (0 under two packets): 0 when every one is the same size.
   */
  packetsUp: number;
  sizeCvUp: number;
}

/** An internet peer that connected to the device. */
export interface InboundEvidence {
  ts: number;
  ip: string;
  /** The device's port it connected to. */
  port: number;
  /** 6 TCP (a SYN from the internet), 17 UDP (a datagram from the internet that opened a flow). */
  proto: number;
  /** The device answered (SYN-ACK, or a datagram back). */
  accepted: boolean;
}

/** A remote endpoint the device contacts at regular intervals (RITA-style). */
export interface BeaconEvidence {
  ip: string;
  port: number;
  /** As in PeerEvidence. */
  name: string;
  dnsAnswered: boolean;
  /** Regularity of the contact times, 0 … 1 (Bowley skewness and MAD/median, as RITA). */
  score: number;
  /** Regularity of the bytes sent per contact, 0 … 1. */
  sizeScore: number;
  /** Median interval between contacts, seconds. */
  periodS: number;
  /** Median absolute deviation of the intervals, seconds. */
  jitterS: number;
  /** Contacts in the history the scores are computed on. */
  contacts: number;
  /** Packet time of the first and the latest contact in that history. */
  firstContact: number;
  lastContact: number;
  /**
   * Median payload bytes the device sent per contact: on the contact's flow, from the contact
   * until the endpoint's next contact (the latest one: so far).
   */
  bytesPerContact: number;
}

/** The remote peer the device sent most payload to in the window, and the shape of that stream. */
export interface UploadEvidence {
  ip: string;
  port: number;
  name: string;
  dnsAnswered: boolean;
  /** Payload bytes sent to it in the window, and packets carrying them. */
  bytes: number;
  packets: number;
  /** Seconds between its first and last payload packet in the window. */
  durationS: number;
  /**
   * Seconds of its longest paced upload in the window: payload packets with pauses of at most
   * PACED_GAP_S (features/peers.ts), chunks every few seconds as much as a continuous stream.
   */
  pacedS: number;
  /**
   * Coefficient of variation of the payload sizes, and of the gaps before payload packets (each
   * since the previous packet of its flow, so parallel flows do not shorten each other's gaps).
   */
  sizeCv: number;
  gapCv: number;
}

/** An HTTP response body received in clear that looks like a program or an opaque binary. */
export interface DownloadEvidence {
  ts: number;
  /** Server address and port. */
  ip: string;
  port: number;
  /** Host header of the request ('' when none); `bareIp` when absent or an address literal. */
  host: string;
  bareIp: boolean;
  /** Request target, at most 256 characters. */
  uri: string;
  status: number;
  contentType: string;
  /** What the body's first bytes are ('' when not seen). */
  magic: 'elf' | 'pe' | 'script' | 'archive' | 'binary' | 'other' | '';
  /** Why it counts as a download of concern. */
  reason: 'magic' | 'content-type' | 'path' | 'disguised';
  /**
   * Not over HTTP: TFTP's first data block, or the first bytes of a bare stream (FTP data, a
   * loader's socket), raw-program.ts.
   */
  via?: 'tftp' | 'stream';
}

/**
 * A command to fetch (and run) a program, sent to the device in clear text: typed into its
 * telnet service, carried by a request to its HTTP server, or sent on a bare text session
 * (features/commands.ts). The command itself is not kept, only what it asked for.
 */
export interface CommandEvidence {
  ts: number;
  /** Sender address; on the LAN (another device) or on the internet. */
  from: string;
  fromLan: boolean;
  /** The device's port it came to, and the service it came over. */
  port: number;
  service: CommandService;
  tool: CommandTool;
  /** What it was told to fetch (http://…, tftp://host/file, ftp://host/file); '' (echo loader). */
  url: string;
  /** Host of `url` ('' for the echo loader); `bareIp` when it is an address literal. */
  host: string;
  bareIp: boolean;
  /** A run step came with it (chmod, sh, ./x), or it wrote a program through the shell. */
  runs: boolean;
}

/** A port mapping the device asked the router for. */
export interface PortMappingEvidence {
  ts: number;
  via: 'upnp' | 'natpmp' | 'pcp';
  /** 'TCP' or 'UDP' ('' when the request did not say). */
  protocol: string;
  externalPort: number;
  internalPort: number;
  /** Internal client address the mapping points to ('' when not given: the sender). */
  internalClient: string;
  /** Address the request was sent to (the router). */
  router: string;
  /** Requested lifetime in seconds (0: indefinite or not given). */
  lifetimeS: number;
  /** UPnP NewPortMappingDescription, sanitised, at most 64 characters. */
  description: string;
  /**
   * Identical requests in the window (NAT-PMP and PCP clients retransmit and renew; added in
   * schema v2). UPnP requests are one entry each.
   */
  count: number;
}

/**
 * Mining-pool (stratum JSON-RPC) requests the device sent: one entry per (endpoint, method) in
 * the window, at its first message.
 */
export interface StratumEvidence {
  ts: number;
  ip: string;
  port: number;
  name: string;
  /** 'mining.subscribe', 'mining.authorize', 'login', … */
  method: string;
  /** Messages of this method to this endpoint in the window (added in schema v2). */
  count: number;
}

/**
 * DNS queries of the window grouped by their registrable domain: the public suffix plus one
 * label by the Public Suffix List, private section included (features/dns-shape.ts); names the
 * list cannot place fall back to their last two labels. Most queries first.
 */
export interface DnsDomainEvidence {
  domain: string;
  /** Questions asked under it (a query with two questions counts twice). */
  queries: number;
  /** Distinct full names queried under it. */
  names: number;
  nxdomain: number;
  /** TXT (16) and NULL (10) queries under it. */
  txtNull: number;
  /**
   * Longest label (octets) of a name under it, and the highest Shannon entropy (bits per octet)
   * of a name's subdomain part (left of the registrable domain, dots removed; 0 under 10 octets).
   */
  longestLabel: number;
  maxEntropy: number;
  /** One example name (the longest, at most 255 characters). */
  example: string;
}

/**
 * The device announced by ARP an address that belongs to another device or the gateway
 * (features/arp-claims.ts): one entry per (address, owner) in the window, at its first message.
 */
export interface ArpClaimEvidence {
  ts: number;
  ip: string;
  /** MAC of the device the address belongs to. */
  ownerMac: string;
  ownerIsGateway: boolean;
  /** ARP messages with this claim in the window (added in schema v2). */
  count: number;
}

/** HTTP authentication failures (401/403) the device received from one server (servers with at least one). */
export interface HttpAuthEvidence {
  ip: string;
  port: number;
  host: string;
  requests: number;
  failures: number;
}

export interface WindowEvidence {
  /**
   * Peers the device started flows to (remote and LAN unicast; multicast and broadcast are not
   * peers), most flows first, at most MAX_PEERS.
   */
  peers: PeerEvidence[];
  /** Distinct names the device queried by DNS in the window (at most MAX_PEERS). */
  dnsNames: string[];
  dns: DnsDomainEvidence[];
  /** Names that got NXDOMAIN (at most MAX_ITEMS). */
  nxNames: string[];
  inbound: InboundEvidence[];
  /** Most regular first, at most MAX_ITEMS. */
  beacons: BeaconEvidence[];
  upload: UploadEvidence | null;
  downloads: DownloadEvidence[];
  /** Commands to fetch and run a program the device was sent (most MAX_ITEMS). */
  commands: CommandEvidence[];
  portMappings: PortMappingEvidence[];
  stratum: StratumEvidence[];
  arpClaims: ArpClaimEvidence[];
  httpAuth: HttpAuthEvidence[];
  /**
   * IPv4 packets the device sent from a source address not its own (devices/registry.ts,
   * `forged`), and the distinct such addresses (at most MAX_FORGED_SOURCES are told apart).
   */
  forgedPackets: number;
  forgedSources: number;
  /** Entries left out of the lists above because they were full. */
  dropped: number;
}

export function emptyEvidence(): WindowEvidence {
  return {
    peers: [],
    dnsNames: [],
    dns: [],
    nxNames: [],
    inbound: [],
    beacons: [],
    upload: null,
    downloads: [],
    commands: [],
    portMappings: [],
    stratum: [],
    arpClaims: [],
    httpAuth: [],
    forgedPackets: 0,
    forgedSources: 0,
    dropped: 0,
  };
}
