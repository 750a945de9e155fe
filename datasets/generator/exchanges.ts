/**
 * Short scripted exchanges of a few packets: DHCP at boot and renewal, ARP, DNS lookups,
 * NTP, SSDP search with its answers. Each kind is a row in STEPS: a function that writes
 * packet number `i` of the exchange and says when the next one comes.
 * @module
 */
import { BROADCAST_MAC, emptyConn, ipv4MulticastMac, type Conn } from './frames.js';
import type { LabelEvent } from './labels.js';
import { DHCP_ACK, DHCP_DISCOVER, DHCP_OFFER, DHCP_REQUEST, writeDhcp } from './protocols/dhcp.js';
import { QTYPE_A, QTYPE_AAAA, writeDnsAnswer, writeDnsQuery } from './protocols/dns.js';
import { NTP_PORT, writeNtp } from './protocols/ntp.js';
import { SSDP_GROUP, SSDP_PORT, writeSsdpResponse, writeSsdpSearch } from './protocols/ssdp.js';
import { GATEWAY_IP, type Device, type Host, type Sim, type Task } from './sim.js';

export const X_DHCP_BOOT = 0;
export const X_DHCP_RENEW = 1;
export const X_DNS = 2;
export const X_NTP = 3;
export const X_SSDP_SEARCH = 4;
export const X_ARP_RESOLVE = 5;
export const X_ARP_REFRESH = 6;

const ARP_REQUEST = 1;
const ARP_REPLY = 2;
const LEASE_S = 3600;
const SSDP_ST = 'urn:dial-multiscreen-org:service:dial:1';

export class Exchange implements Task {
  at: number;
  i = 0;
  readonly kind: number;
  readonly dev: Device;
  conn: Conn = emptyConn();
  xid = 0;
  /** DNS: the name looked up and the host it resolves to; NTP: the server. */
  host: Host | null = null;
  /** DNS: also ask AAAA. */
  v6 = false;
  /** ARP resolve: the LAN peer; SSDP: the devices that answer. */
  peers: Device[] = [];
  /**
   * Started when this exchange ends (a flow after its DNS lookup, say); its `at` is taken
   * as a delay after the end of the exchange.
   */
  then: Task | null = null;
  label: LabelEvent | null = null;

  constructor(kind: number, dev: Device, at: number) {
    this.kind = kind;
    this.dev = dev;
    this.at = at;
  }

  step(sim: Sim): boolean {
    const next = STEPS[this.kind](sim, this);
    if (next < 0) {
      if (this.then !== null) {
        this.then.at += sim.now;
        sim.schedule(this.then);
      }
      return false;
    }
    this.i++;
    this.at = sim.now + next;
    return true;
  }
}

/** Write packet `x.i`; return µs until the next packet, or -1 when the exchange is over. */
type StepFn = (sim: Sim, x: Exchange) => number;

function dhcpConn(sim: Sim, x: Exchange, broadcast: boolean): Conn {
  const c = x.conn;
  c.macA = x.dev.mac;
  c.macB = broadcast ? BROADCAST_MAC : sim.gatewayMac;
  c.ip4A = broadcast ? 0 : x.dev.ip4;
  c.ip4B = broadcast ? 0xffffffff : GATEWAY_IP;
  c.portA = 68;
  c.portB = 67;
  return c;
}

function dhcp(sim: Sim, x: Exchange, type: number, c: Conn, fromA: boolean, renew: boolean): void {
  const d = x.dev;
  const off = sim.f.beginUdp(false);
  const reply = type === DHCP_OFFER || type === DHCP_ACK;
  const len = writeDhcp(sim.buf, off, {
    type,
    xid: x.xid,
    mac: d.mac,
    ciaddr: renew ? d.ip4 : 0,
    yiaddr: reply ? d.ip4 : 0,
    // A device with a second name (scenario trap) uses it on every other renewal.
    hostname: reply
      ? null
      : renew && d.altHostname !== null && d.renewals % 2 === 1
        ? d.altHostname
        : d.hostname,
    vendorClass: reply ? null : d.vendor.vendorClass,
    requestedIp: type === DHCP_REQUEST && !renew ? d.ip4 : 0,
    serverId: GATEWAY_IP,
    leaseS: LEASE_S,
    mask: sim.lanMask,
  });
  sim.f.endUdp(sim.epochUs(sim.now), c, fromA, len, len);
}

const dhcpBoot: StepFn = (sim, x) => {
  const d = x.dev;
  const e = sim.epochUs(sim.now);
  const r = sim.rng;
  switch (x.i) {
    case 0:
      x.xid = r.u32();
      dhcp(sim, x, DHCP_DISCOVER, dhcpConn(sim, x, true), true, false);
      return r.range(2000, 10_000);
    case 1: {
      // OFFER and ACK go to the client's MAC and offered address (RFC 2131 §4.1).
      const c = dhcpConn(sim, x, false);
      c.ip4A = d.ip4;
      dhcp(sim, x, DHCP_OFFER, c, false, false);
      return r.range(1000, 5000);
    }
    case 2:
      dhcp(sim, x, DHCP_REQUEST, dhcpConn(sim, x, true), true, false);
      return r.range(2000, 10_000);
    case 3:
      dhcp(sim, x, DHCP_ACK, dhcpConn(sim, x, false), false, false);
      return r.range(20_000, 80_000);
    case 4: // ARP probe (RFC 5227 §2.1.1)
      sim.f.arp(e, BROADCAST_MAC, ARP_REQUEST, d.mac, 0, 0, d.ip4);
      return r.range(1e6, 2e6);
    case 5: // ARP announcement
      sim.f.arp(e, BROADCAST_MAC, ARP_REQUEST, d.mac, d.ip4, 0, d.ip4);
      return r.range(2000, 20_000);
    case 6:
      sim.f.arp(e, BROADCAST_MAC, ARP_REQUEST, d.mac, d.ip4, 0, GATEWAY_IP);
      return r.range(200, 1500);
    default:
      sim.f.arp(e, d.mac, ARP_REPLY, sim.gatewayMac, GATEWAY_IP, d.mac, d.ip4);
      return -1;
  }
};

const dhcpRenew: StepFn = (sim, x) => {
  if (x.i === 0) {
    x.xid = sim.rng.u32();
    x.dev.renewals++;
    dhcp(sim, x, DHCP_REQUEST, dhcpConn(sim, x, false), true, true);
    return sim.rng.range(1000, 8000);
  }
  dhcp(sim, x, DHCP_ACK, dhcpConn(sim, x, false), false, true);
  return -1;
};

const dnsLookup: StepFn = (sim, x) => {
  const d = x.dev;
  const h = x.host as Host;
  const c = x.conn;
  const buf = sim.buf;
  const e = sim.epochUs(sim.now);
  const qtype = x.i < 2 ? QTYPE_A : QTYPE_AAAA;
  const off = sim.f.beginUdp(false);
  if (x.i === 0) {
    Object.assign(c, sim.connGateway(d, 53));
    c.ttlB = 64;
  }
  if ((x.i & 1) === 0) {
    x.xid = sim.rng.u32() & 0xffff;
    const len = writeDnsQuery(buf, off, x.xid, h.name, qtype);
    sim.f.endUdp(e, c, true, len, len);
    // A cached answer comes back in about a millisecond, a fresh one in tens.
    return sim.rng.chance(0.5) ? sim.rng.range(300, 2000) : sim.rng.range(8000, 60_000);
  }
  const len = writeDnsAnswer(buf, off, x.xid, h.name, qtype, h.ip4, h.ip6, sim.rng.int(30, 300));
  sim.f.endUdp(e, c, false, len, len);
  return x.i === 1 && x.v6 ? sim.rng.range(100, 2000) : -1;
};

const ntp: StepFn = (sim, x) => {
  const h = x.host as Host;
  const e = sim.epochUs(sim.now);
  if (x.i === 0) x.conn = sim.connToHost(x.dev, h, NTP_PORT, false);
  const off = sim.f.beginUdp(false);
  const len = writeNtp(sim.buf, off, x.i === 1, e);
  sim.f.endUdp(e, x.conn, x.i === 0, len, len);
  return x.i === 0 ? sim.rng.range(8000, 40_000) : -1;
};

const ssdpSearch: StepFn = (sim, x) => {
  const d = x.dev;
  const e = sim.epochUs(sim.now);
  const c = x.conn;
  const off = sim.f.beginUdp(false);
  if (x.i === 0) {
    c.macA = d.mac;
    c.macB = ipv4MulticastMac(SSDP_GROUP);
    c.ip4A = d.ip4;
    c.ip4B = SSDP_GROUP;
    c.portA = sim.port(d);
    c.portB = SSDP_PORT;
    c.ttlA = 4;
    const len = writeSsdpSearch(sim.buf, off, SSDP_ST, d.vendor.userAgent);
    sim.f.endUdp(e, c, true, len, len);
    for (const p of sim.devices) {
      if (p !== d && p.ready && p.vendor.ssdpServer !== null && x.peers.length < 6) x.peers.push(p);
    }
    return x.peers.length > 0 ? sim.rng.range(5000, 300_000) : -1;
  }
  // Unicast answer from a responder to the searcher's port.
  const p = x.peers[x.i - 1];
  c.macB = p.mac;
  c.ip4B = p.ip4;
  c.ttlB = 64;
  const loc = `http://${ipText(p.ip4)}:49152/description.xml`;
  const len = writeSsdpResponse(sim.buf, off, loc, p.vendor.ssdpServer as string, p.uuid, SSDP_ST);
  sim.f.endUdp(e, c, false, len, len);
  return x.i < x.peers.length ? sim.rng.range(5000, 300_000) : -1;
};

const arpResolve: StepFn = (sim, x) => {
  const d = x.dev;
  const p = x.peers[0];
  const e = sim.epochUs(sim.now);
  if (x.i === 0) {
    sim.f.arp(e, BROADCAST_MAC, ARP_REQUEST, d.mac, d.ip4, 0, p.ip4);
    return sim.rng.range(300, 3000);
  }
  sim.f.arp(e, d.mac, ARP_REPLY, p.mac, p.ip4, d.mac, d.ip4);
  return -1;
};

const arpRefresh: StepFn = (sim, x) => {
  const d = x.dev;
  const e = sim.epochUs(sim.now);
  if (x.i === 0) {
    sim.f.arp(e, d.mac, ARP_REQUEST, sim.gatewayMac, GATEWAY_IP, 0, d.ip4);
    return sim.rng.range(300, 5000);
  }
  sim.f.arp(e, sim.gatewayMac, ARP_REPLY, d.mac, d.ip4, sim.gatewayMac, GATEWAY_IP);
  return -1;
};

const STEPS: StepFn[] = [dhcpBoot, dhcpRenew, dnsLookup, ntp, ssdpSearch, arpResolve, arpRefresh];

export function ipText(ip: number): string {
  return `${ip >>> 24}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;
}

/** An IPv6 address as RFC 5952 writes it: hex words, the longest run of zero words as `::`. */
export function ip6Text(ip: Uint8Array): string {
  const words = Array.from({ length: 8 }, (_, i) => (ip[2 * i] << 8) | ip[2 * i + 1]);
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const hex = (ws: number[]): string => ws.map((w) => w.toString(16)).join(':');
  if (best < 0) return hex(words);
  return `${hex(words.slice(0, best))}::${hex(words.slice(best + bestLen))}`;
}

/** DNS lookup of `h` by `d` (A, and AAAA when asked), then `then`. */
export function dnsThen(
  sim: Sim,
  d: Device,
  h: Host,
  at: number,
  v6: boolean,
  then: Task | null,
): Exchange {
  const x = new Exchange(X_DNS, d, at);
  x.host = h;
  x.v6 = v6;
  x.then = then;
  sim.schedule(x);
  return x;
}
