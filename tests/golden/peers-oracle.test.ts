/**
 * Flow-related window features against an independent oracle, per (device, window): for real
 * captures, every window record's `remoteIps`, `lanPeers`, `remotePorts`, `lanPorts`,
 * `flowsStarted`, `inboundConnections` and `inboundAccepted` must equal what a small flow table
 * built here from tshark's fields gives for the same device and window.
 *
 * Definitions (README, "Windows and features" and "Flows"):
 * - Windows are 60 s of packet time aligned to multiples of 60 since the epoch. Packet time never
 *   runs backwards: a packet stamped earlier than one already seen counts at the latest time.
 * - Which MACs are devices comes from homewatch's `device` records; when each became one, and
 *   everything else, from tshark: a MAC is a device from its first frame with a local source
 *   address (IP, or an ARP sender whose hardware address is the frame's source) on. A packet is
 *   from device S when its Ethernet source is S and its source address is local; it is to device
 *   D when its Ethernet destination is D and its destination address is local ("Up"/"down" as in
 *   tshark-oracle.test.ts).
 * - A flow is an IP 5-tuple, both directions. Its initiator is the sender of its first packet,
 *   except that a TCP SYN+ACK seen first makes its receiver the initiator. It ends after 20 s of
 *   silence while a TCP attempt is unanswered, 120 s once open (or for any other protocol),
 *   10 s after a FIN from both sides or a RST, and 1800 s after its first packet; the next
 *   packet of the same 5-tuple starts a new flow. The LAN device at each end is the one the
 *   flow's first packet came from or went to.
 * - For every packet of a flow, in the packet's window: the initiating device reached the
 *   responder (a LAN peer and port when the responder's address is local, a remote address and
 *   port when it is non-local unicast); the responding device exchanged traffic with the
 *   initiator (a LAN peer or a remote address; no port: it did not connect to it).
 * - `flowsStarted`: flows whose initiator is the device, in the window of their first packet.
 * - `inboundConnections`: TCP flows created by a SYN (a SYN+ACK seen first too: it answers a SYN
 *   we missed) from a non-local address to the device; `inboundAccepted`: those the device
 *   answered (its first packet back in the flow was not a RST), in the window of that answer.
 *
 * Captures (all Ethernet: in a Linux cooked capture a frame has no destination MAC, and "to
 * device D" is decided otherwise, README "Devices"; this oracle does not apply there): the bundled
 * nku-home files as one timeline (a camera's lifecycle and a plug's; every file of
 * nku-lifecycle's camera folder and its whole plug file are among them), one nku-lifecycle plug
 * phase cut out of the middle (flows already open when it starts), the 9-hour Mon(IoT)r Blink hub
 * idle capture (one TLS connection longer than the active timeout, NTP, DHCP), IoT Sentinel setup
 * captures with a phone talking to the device on the LAN, nmap's SYN scan (1,994 flows to 1,000
 * distinct ports of one remote host, in one window), and a DHCPv6 exchange between link-local
 * addresses (IPv6 LAN peers and ports).
 *
 * `inboundConnections` and `inboundAccepted` are computed but are 0 in every case: none of the
 * 787 captures in ../shared/datasets (IoT Sentinel, nku-lifecycle, Mon(IoT)r, NEU, nDPI, Zeek,
 * tcpdump's clean link-type files) holds a TCP SYN from a non-local IPv4 address to a local one,
 * nor a SYN+ACK from a local address to a non-local one (tshark, checked once by hand), so real
 * traffic cannot exercise them here (built frames could; no such test exists yet).
 *
 * Found with this test: a packet of a flow idle past its timeout continued that flow whenever no
 * other packet had arrived after the timeout to let the table expire it (nku-home: the router's
 * DHCP replies 134 s apart; Blink hub); the flow table now ends such a flow when the packet comes.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHARED, REPO, records, runCli, tool } from '../helpers/cli.js';
import { first, isLocal } from './addresses.js';

const WINDOW_S = 60;
const ATTEMPT_TIMEOUT_S = 20;
const OPEN_TIMEOUT_S = 120;
const CLOSED_TIMEOUT_S = 10;
const ACTIVE_TIMEOUT_S = 1800;

const FEATURES = [
  'remoteIps',
  'lanPeers',
  'remotePorts',
  'lanPorts',
  'flowsStarted',
  'inboundConnections',
  'inboundAccepted',
] as const;
type Feature = (typeof FEATURES)[number];
type Counts = Record<Feature, number>;

/** Multicast (224/4, ff00::/8) or the limited broadcast: not one peer's address. */
function isGroup(addr: string): boolean {
  if (addr.includes(':')) return addr.toLowerCase().startsWith('ff');
  const first = Number(addr.split('.')[0]);
  return (first >= 224 && first <= 239) || addr === '255.255.255.255';
}

const TSHARK_FIELDS = [
  'frame.time_epoch',
  'frame.protocols',
  'eth.src',
  'eth.dst',
  'ip.src',
  'ip.dst',
  'ip.proto',
  'ip.frag_offset',
  'ipv6.src',
  'ipv6.dst',
  'ipv6.fraghdr.offset',
  'tcp.srcport',
  'tcp.dstport',
  'tcp.flags',
  'udp.srcport',
  'udp.dstport',
  'arp.src.hw_mac',
  'arp.src.proto_ipv4',
] as const;

/** One frame as the oracle needs it. `proto` is '' for frames that carry no flow. */
interface Frame {
  ts: number;
  ethSrc: string;
  ethDst: string;
  /** Addresses of the outer IP header, or the ARP sender as `src`. */
  src: string;
  dst: string;
  proto: string;
  sport: number;
  dport: number;
  tcpFlags: number;
}

const FIN = 0x01;
const SYN = 0x02;
const RST = 0x04;
const ACK = 0x10;

/** IPv6 upper layers by the name tshark gives them in frame.protocols. */
const V6_UPPER: Record<string, string> = { tcp: '6', udp: '17', icmpv6: '58' };

/** One tshark run over `file`, reassembly off (a later fragment carries no transport header). */
function tsharkFrames(file: string): Frame[] {
  const args = ['-r', file, '-o', 'ip.defragment:FALSE', '-o', 'ipv6.defragment:FALSE'];
  args.push('-T', 'fields', '-E', 'separator=\t', '-E', 'occurrence=a');
  for (const f of TSHARK_FIELDS) args.push('-e', f);
  const frames: Frame[] = [];
  for (const line of tool('tshark', args).split('\n')) {
    if (line === '') continue;
    const v = Object.fromEntries(line.split('\t').map((x, i) => [TSHARK_FIELDS[i], x])) as Record<
      (typeof TSHARK_FIELDS)[number],
      string
    >;
    const layers = v['frame.protocols'].split(':');
    // The network layer is the first IP header; with IP in IP the outer one counts.
    const net = layers.findIndex((l) => l === 'ip' || l === 'ipv6');
    const frame: Frame = {
      ts: Number(v['frame.time_epoch']),
      ethSrc: v['eth.src'],
      ethDst: v['eth.dst'],
      src: '',
      dst: '',
      proto: '',
      sport: 0,
      dport: 0,
      tcpFlags: 0,
    };
    let upper = '';
    let laterFragment = false;
    if (net >= 0 && layers[net] === 'ip') {
      frame.src = first(v['ip.src']);
      frame.dst = first(v['ip.dst']);
      frame.proto = first(v['ip.proto']);
      upper = layers[net + 1] ?? '';
      laterFragment = Number(first(v['ip.frag_offset']) || '0') > 0;
    } else if (net >= 0) {
      frame.src = first(v['ipv6.src']);
      frame.dst = first(v['ipv6.dst']);
      // Extension headers (ipv6.hopopts, ipv6.fraghdr, …) come before the upper layer.
      upper = layers.slice(net + 1).find((l) => !l.startsWith('ipv6.')) ?? '';
      frame.proto = V6_UPPER[upper] ?? `ipv6:${upper}`;
      laterFragment = Number(first(v['ipv6.fraghdr.offset']) || '0') > 0;
    } else if (layers.includes('arp')) {
      if (v['arp.src.hw_mac'] === frame.ethSrc) frame.src = v['arp.src.proto_ipv4'];
    }
    if (laterFragment) frame.proto = '';
    else if (upper === 'tcp') {
      frame.sport = Number(first(v['tcp.srcport']));
      frame.dport = Number(first(v['tcp.dstport']));
      frame.tcpFlags = Number(first(v['tcp.flags']));
    } else if (upper === 'udp') {
      frame.sport = Number(first(v['udp.srcport']));
      frame.dport = Number(first(v['udp.dstport']));
    }
    frames.push(frame);
  }
  return frames;
}

interface OracleFlow {
  proto: string;
  init: string;
  initPort: number;
  resp: string;
  respPort: number;
  initDev: string | null;
  respDev: string | null;
  initLocal: boolean;
  respLocal: boolean;
  firstTs: number;
  lastTs: number;
  /** TCP attempt not answered yet, open, or closed (FIN both ways, or RST). */
  state: 'attempt' | 'open' | 'closed';
  /** The responder's first packet back: none yet, a RST, or anything else. */
  answer: 'none' | 'refused' | 'answered';
  finFwd: boolean;
  finRev: boolean;
  inbound: boolean;
}

function timeoutOf(f: OracleFlow): number {
  if (f.state === 'attempt') return ATTEMPT_TIMEOUT_S;
  return f.state === 'closed' ? CLOSED_TIMEOUT_S : OPEN_TIMEOUT_S;
}

interface WindowSets {
  remoteIps: Set<string>;
  lanPeers: Set<string>;
  remotePorts: Set<number>;
  lanPorts: Set<number>;
  flowsStarted: number;
  inboundConnections: number;
  inboundAccepted: number;
}

/** Index of each device's first frame from a local source address: from then on it is one. */
function deviceSince(frames: Frame[], deviceMacs: Set<string>): Map<string, number> {
  const since = new Map<string, number>();
  frames.forEach((fr, i) => {
    if (deviceMacs.has(fr.ethSrc) && !since.has(fr.ethSrc) && fr.src !== '' && isLocal(fr.src)) {
      since.set(fr.ethSrc, i);
    }
  });
  return since;
}

/** Per "mac window-start": the oracle's counts. */
function oracle(frames: Frame[], since: Map<string, number>): Map<string, Counts> {
  const isDevice = (mac: string, i: number): boolean => (since.get(mac) ?? Infinity) <= i;

  const windows = new Map<string, WindowSets>();
  const at = (mac: string, w: number): WindowSets => {
    const k = `${mac} ${w * WINDOW_S}`;
    let s = windows.get(k);
    if (s === undefined) {
      s = {
        remoteIps: new Set(),
        lanPeers: new Set(),
        remotePorts: new Set(),
        lanPorts: new Set(),
        flowsStarted: 0,
        inboundConnections: 0,
        inboundAccepted: 0,
      };
      windows.set(k, s);
    }
    return s;
  };

  const table = new Map<string, OracleFlow>();
  let clock = -Infinity;
  frames.forEach((fr, i) => {
    clock = Math.max(clock, fr.ts);
    if (fr.proto === '') return;
    const now = clock;
    const w = Math.floor(now / WINDOW_S);
    const srcLocal = isLocal(fr.src);
    const dstLocal = isLocal(fr.dst);
    const srcDev = srcLocal && isDevice(fr.ethSrc, i) ? fr.ethSrc : null;
    const dstDev = dstLocal && isDevice(fr.ethDst, i) ? fr.ethDst : null;
    const a = `${fr.src} ${fr.sport}`;
    const b = `${fr.dst} ${fr.dport}`;
    const key = `${fr.proto} ${a < b ? `${a} ${b}` : `${b} ${a}`}`;

    let f = table.get(key);
    if (f !== undefined && (now - f.firstTs > ACTIVE_TIMEOUT_S || now - f.lastTs > timeoutOf(f)))
      f = undefined;
    let created = false;
    let forward: boolean;
    if (f === undefined) {
      const synAck = fr.proto === '6' && (fr.tcpFlags & (SYN | ACK)) === (SYN | ACK);
      forward = !synAck;
      f = {
        proto: fr.proto,
        init: forward ? fr.src : fr.dst,
        initPort: forward ? fr.sport : fr.dport,
        resp: forward ? fr.dst : fr.src,
        respPort: forward ? fr.dport : fr.sport,
        initDev: forward ? srcDev : dstDev,
        respDev: forward ? dstDev : srcDev,
        initLocal: forward ? srcLocal : dstLocal,
        respLocal: forward ? dstLocal : srcLocal,
        firstTs: now,
        lastTs: now,
        state: fr.proto === '6' && forward ? 'attempt' : 'open',
        answer: 'none',
        finFwd: false,
        finRev: false,
        inbound: false,
      };
      table.set(key, f);
      created = true;
    } else {
      forward = fr.src === f.init && fr.sport === f.initPort && fr.dst === f.resp;
    }
    f.lastTs = now;

    let answeredNow = false;
    if (!forward && f.answer === 'none') {
      f.answer = f.proto === '6' && fr.tcpFlags & RST ? 'refused' : 'answered';
      answeredNow = f.answer === 'answered';
    }
    if (f.proto === '6') {
      if (fr.tcpFlags & FIN) {
        if (forward) f.finFwd = true;
        else f.finRev = true;
      }
      if (fr.tcpFlags & RST || (f.finFwd && f.finRev)) f.state = 'closed';
      else if (f.state === 'attempt' && f.answer === 'answered') f.state = 'open';
    }

    if (f.initDev !== null) {
      const s = at(f.initDev, w);
      if (f.respLocal) {
        s.lanPeers.add(f.resp);
        s.lanPorts.add(f.respPort);
      } else if (!isGroup(f.resp)) {
        s.remoteIps.add(f.resp);
        s.remotePorts.add(f.respPort);
      }
      if (created) s.flowsStarted++;
    }
    if (f.respDev !== null) {
      const s = at(f.respDev, w);
      if (f.initLocal) s.lanPeers.add(f.init);
      else s.remoteIps.add(f.init);
      if (created && !f.initLocal && f.proto === '6' && fr.tcpFlags & SYN) {
        f.inbound = true;
        s.inboundConnections++;
      }
      if (f.inbound && answeredNow) s.inboundAccepted++;
    }
  });

  const out = new Map<string, Counts>();
  for (const [k, s] of windows) {
    out.set(k, {
      remoteIps: s.remoteIps.size,
      lanPeers: s.lanPeers.size,
      remotePorts: s.remotePorts.size,
      lanPorts: s.lanPorts.size,
      flowsStarted: s.flowsStarted,
      inboundConnections: s.inboundConnections,
      inboundAccepted: s.inboundAccepted,
    });
  }
  return out;
}

const ZERO: Counts = Object.fromEntries(FEATURES.map((k) => [k, 0])) as Counts;

const SENTINEL = 'iot-sentinel/captures_IoT-Sentinel';
const NKU_HOME = [
  'xiaobai_Y2camera_setup',
  'xiaobai_Y2camera_idle_local',
  'xiaobai_Y2camera_idle_remote',
  'xiaobai_Y2camera_speak_local',
  'xiaobai_Y2camera_speak_remote',
  'xiaobai_Y2camera_update',
  'xiaobai_Y2camera_delete',
  'xiaodu_plug',
].map((f) => join(REPO, 'datasets/nku-home', `${f}.pcap.gz`));

/** `present`: features the oracle must find in some window, so that no case passes on zeros. */
const CASES: { name: string; files: string[]; present: Feature[] }[] = [
  {
    name: 'nku-home (8 files, one timeline)',
    files: NKU_HOME,
    present: ['remoteIps', 'lanPeers', 'remotePorts', 'lanPorts', 'flowsStarted'],
  },
  {
    name: 'nku-lifecycle plug, idle off remote (starts mid-flow)',
    files: [join(SHARED, 'nku-lifecycle/xiaodu_plug_lifecycle/xiaodu_plug_idle_off_remote.pcap')],
    present: ['remoteIps', 'lanPeers', 'remotePorts', 'lanPorts', 'flowsStarted'],
  },
  {
    name: 'Mon(IoT)r Blink hub, 9 h idle',
    files: [join(SHARED, 'moniotr-blink-hub/2019-04-25_idle.pcap')],
    present: ['remoteIps', 'lanPeers', 'remotePorts', 'lanPorts', 'flowsStarted'],
  },
  {
    name: 'IoT Sentinel Hue bridge setup (LAN peers)',
    files: [join(SHARED, SENTINEL, 'HueBridge/Setup-A-2-STA.pcap')],
    present: ['remoteIps', 'lanPeers', 'remotePorts', 'lanPorts', 'flowsStarted'],
  },
  {
    name: 'IoT Sentinel Hue switch setup (LAN peers)',
    files: [join(SHARED, SENTINEL, 'HueSwitch/Setup-A-1-STA.pcap')],
    present: ['remoteIps', 'lanPeers', 'remotePorts', 'lanPorts', 'flowsStarted'],
  },
  {
    name: 'IoT Sentinel MAX! gateway setup (4 MACs)',
    files: [join(SHARED, SENTINEL, 'MAXGateway/Setup-A-6-STA.pcap')],
    present: ['lanPeers', 'lanPorts', 'flowsStarted'],
  },
  {
    name: 'IoT Sentinel D-Link home hub setup (app to hub HNAP)',
    files: [join(SHARED, SENTINEL, 'D-LinkHomeHub/Setup-A-1-STA.pcap')],
    present: ['remoteIps', 'lanPeers', 'remotePorts', 'lanPorts', 'flowsStarted'],
  },
  {
    name: 'nmap SYN scan (remote ports)',
    files: [join(SHARED, 'ndpi-tests/pcap/synscan.pcap')],
    present: ['remoteIps', 'remotePorts', 'flowsStarted'],
  },
  {
    name: 'DHCPv6 renew and reply (IPv6 link-local peers)',
    files: [join(SHARED, 'tcpdump-tests/linktypes-protocols/dhcpv6-rfc6355-duid-uuid.pcap')],
    present: ['lanPeers', 'lanPorts', 'flowsStarted'],
  },
];

describe('flow features per device and window agree with a tshark flow table', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const r = runCli(['replay', ...c.files, '--out', '-']);
      expect(r.code, r.stderr).toBe(0);
      const recs = records(r.stdout);
      // Several files are one timeline, read in order of their first packet's time.
      const frames = c.files
        .map(tsharkFrames)
        .filter((f) => f.length > 0)
        .sort((x, y) => x[0].ts - y[0].ts)
        .flat();
      const devices = recs.filter((x) => x.type === 'device');
      const since = deviceSince(frames, new Set(devices.map((d) => d.mac as string)));
      // The oracle's moment each device appears is homewatch's firstSeen.
      for (const d of devices) {
        const i = since.get(d.mac as string);
        expect(i, d.mac as string).toBeDefined();
        expect(frames[i ?? 0].ts).toBeCloseTo(d.firstSeen as number, 5);
      }
      const want = oracle(frames, since);
      const got = new Map<string, Counts>();
      for (const w of recs.filter((x) => x.type === 'window')) {
        const f = w.features as Record<string, number>;
        got.set(
          `${w.mac as string} ${w.start as number}`,
          Object.fromEntries(FEATURES.map((k) => [k, f[k]])) as Counts,
        );
      }
      for (const f of c.present) {
        expect(
          [...want.values()].some((o) => o[f] > 0),
          f,
        ).toBe(true);
      }
      // Every window the oracle saw flow traffic in exists, and every window agrees.
      for (const k of want.keys()) expect(got.has(k), k).toBe(true);
      const diffs: string[] = [];
      for (const [k, g] of got) {
        const o = want.get(k) ?? ZERO;
        for (const f of FEATURES) if (g[f] !== o[f]) diffs.push(`${k} ${f}: ${g[f]} vs ${o[f]}`);
      }
      expect(diffs).toEqual([]);
    });
  }
});
