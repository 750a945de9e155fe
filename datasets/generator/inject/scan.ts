/**
 * `scan`: a device joins a Mirai-style telnet scan. Raw-socket SYNs as Mirai's scanner
 * writes them (no TCP options, sequence number = target address, random window, one
 * source port) to random internet addresses on 23 and, one in ten, 2323, at a drawn rate
 * (3–30 a second) for 2–10 minutes. Most go unanswered, some are refused (RST), a few are
 * answered (SYN-ACK, which the bot's kernel resets) and then get a real telnet connection
 * with one or two login attempts. Variant `telnet+lan` also sweeps the LAN: ARP for every
 * address, then SYNs to 23 of those that answered.
 *
 * Tune keys (bench/robustness.ts only): `rate` (SYNs a second), `port` (every SYN to this
 * port), `internet` (0: no internet SYNs, the LAN sweep alone), `lanGapS` (seconds between
 * two LAN addresses), `lanPort` (the port of the LAN SYNs), `lan6` (1: the LAN sweep over
 * IPv6 instead, when the device has IPv6 — see sweepLan6; no internet sweep over IPv6: a
 * random address in a /64 is never a host, and no IoT scanner family sweeps IPv6).
 * @module
 */
import { BROADCAST_MAC, TCP_ACK, TCP_RST, TCP_SYN, type Conn } from '../frames.js';
import { LabelEvent } from '../labels.js';
import { Script, Steps } from '../script.js';
import { GATEWAY_IP, type Device, type Sim } from '../sim.js';
import { loginDialogue } from './credentials.js';
import { randomPublicIp } from './internet.js';
import { tuned, type InjectPlan, type Injector } from './types.js';

const S = 1e6;
const MS = 1e3;
const ARP_REQUEST = 1;
const ARP_REPLY = 2;
const MAX_SYNS = 15_000;

function synConn(
  d: Device,
  ip: number,
  mac: number,
  srcPort: number,
  port: number,
  ttl: number,
): Conn {
  return {
    v6: false,
    macA: d.mac,
    macB: mac,
    ip4A: d.ip4,
    ip4B: ip,
    ip6A: null,
    ip6B: null,
    portA: srcPort,
    portB: port,
    ttlA: 64,
    ttlB: ttl,
  };
}

/** A TCP segment with no payload: who sends it, its flags and numbers. */
interface Bare {
  fromA: boolean;
  flags: number;
  seq: number;
  ack: number;
}

/** One labelled frame at `at`: the target's RST or SYN-ACK, or the bot's RST to that. */
function reply(sim: Sim, at: number, c: Conn, b: Bare, label: LabelEvent): void {
  const { fromA, flags, seq, ack } = b;
  const s = new Steps(at, (sim2) => {
    sim2.f.beginTcp(c.v6, (flags & TCP_SYN) !== 0);
    sim2.f.endTcp(
      sim2.epochUs(sim2.now),
      c,
      fromA,
      flags,
      seq,
      ack,
      0,
      0,
      flags & TCP_SYN ? 29200 : 0,
    );
    return -1;
  });
  s.label = label;
  sim.schedule(s);
}

/** A telnet login attempt on a target that answered, as Mirai's brute-forcer makes. */
function telnetTry(sim: Sim, d: Device, c: Conn, at: number, label: LabelEvent): void {
  const conn: Conn = { ...c, portA: sim.port(d) };
  const s = new Script(sim, at, { conn, close: 'finA' });
  s.push(...loginDialogue(sim, sim.rng.int(1, 2)));
  s.label = label;
  sim.schedule(s);
}

export const scan: Injector = {
  behaviour: 'scan',
  kinds: ['camera', 'plug', 'tv', 'hub', 'printer', 'vacuum'],
  variants: [
    ['telnet', 0.6],
    ['telnet+lan', 0.4],
  ],
  durationS: () => [2 * 60, 10 * 60],
  inject(sim, p) {
    const r = sim.rng;
    const d = p.dev;
    const rate = tuned(p, 'rate', r.range(3, 30));
    const dur = (p.endUs - p.startUs) / S;
    const syns = Math.min(MAX_SYNS, Math.round(rate * dur));
    const pRst = r.range(0.04, 0.15);
    const pOpen = r.range(0.004, 0.02);
    const srcPort = r.int(1024, 65535);
    const lan = p.variant === 'telnet+lan';
    const label = new LabelEvent(
      d.mac,
      ['scan'],
      lan ? ['anomaly', 'brute_force', 'lateral_movement'] : ['anomaly', 'brute_force'],
      p.variant,
      {
        synsPerSecond: Math.round(rate * 10) / 10,
        syns,
        refusedShare: Math.round(pRst * 1000) / 1000,
        answeredShare: Math.round(pOpen * 1000) / 1000,
      },
    );
    let sent = 0;
    const internet = new Steps(p.startUs, (sim2) => {
      const ip = randomPublicIp(sim2.rng);
      const drawn = sim2.rng.chance(0.1) ? 2323 : 23;
      const port = tuned(p, 'port', drawn);
      const ttl = sim2.rng.pick([64, 128, 255]) - sim2.rng.int(6, 24);
      const c = synConn(d, ip, sim2.gatewayMac, srcPort, port, ttl);
      sim2.f.beginTcp(false, true, false);
      sim2.f.endTcp(sim2.epochUs(sim2.now), c, true, TCP_SYN, ip, 0, 0, 0, sim2.rng.int(0, 65535));
      const u = sim2.rng.float();
      const rtt = sim2.rng.range(20, 300) * MS;
      if (u < pRst) {
        reply(
          sim2,
          sim2.now + rtt,
          c,
          { fromA: false, flags: TCP_RST | TCP_ACK, seq: 0, ack: (ip + 1) >>> 0 },
          label,
        );
      } else if (u < pRst + pOpen) {
        const isn = sim2.rng.u32();
        reply(
          sim2,
          sim2.now + rtt,
          c,
          { fromA: false, flags: TCP_SYN | TCP_ACK, seq: isn, ack: (ip + 1) >>> 0 },
          label,
        );
        reply(
          sim2,
          sim2.now + rtt + 200,
          c,
          { fromA: true, flags: TCP_RST, seq: (ip + 1) >>> 0, ack: 0 },
          label,
        );
        telnetTry(sim2, d, c, sim2.now + rtt + sim2.rng.range(0.5, 3) * S, label);
      }
      sent++;
      return sent < syns ? sim2.rng.exp(S / rate) : -1;
    });
    internet.label = label;
    if (tuned(p, 'internet', 1) !== 0) sim.schedule(internet);
    if (lan && tuned(p, 'lan6', 0) === 1 && d.ip6 !== null && d.ll6 !== null) {
      sweepLan6(sim, d, p, srcPort, label);
    } else if (lan) sweepLan(sim, d, p, srcPort, label);
    return label;
  },
};

/** ARP for each address of the /24, then a SYN to 23 of each that answered (all refuse). */
function sweepLan(sim: Sim, d: Device, p: InjectPlan, srcPort: number, label: LabelEvent): void {
  const base = GATEWAY_IP & 0xffffff00;
  const byIp = new Map<number, Device>();
  for (const x of sim.devices) byIp.set(x.ip4, x);
  const start = p.startUs + sim.rng.range(0.2, 0.6) * (p.endUs - p.startUs);
  const gap = tuned(p, 'lanGapS', sim.rng.range(20, 100) / 1e3) * S;
  const lanPort = tuned(p, 'lanPort', 23);
  let host = 1;
  const sweep = new Steps(start, (sim2, i) => {
    const e = sim2.epochUs(sim2.now);
    if (i % 2 === 0) {
      if (base + host === d.ip4) host++;
      if (host > 254) return -1;
      sim2.f.arp(e, BROADCAST_MAC, ARP_REQUEST, d.mac, d.ip4, 0, base + host);
      return sim2.rng.range(0.3, 3) * MS;
    }
    const target = base + host;
    host++;
    const peer = byIp.get(target);
    const live = target === GATEWAY_IP || (peer !== undefined && peer.ready);
    if (live) {
      const mac = peer !== undefined ? peer.mac : sim2.gatewayMac;
      sim2.f.arp(e, d.mac, ARP_REPLY, mac, target, d.mac, d.ip4);
      const c = synConn(d, target, mac, srcPort, lanPort, 64);
      const at = sim2.now + sim2.rng.range(1, 40) * MS;
      const syn = new Steps(at, (sim3) => {
        sim3.f.beginTcp(false, true, false);
        const w = sim3.rng.int(0, 65535);
        sim3.f.endTcp(sim3.epochUs(sim3.now), c, true, TCP_SYN, target, 0, 0, 0, w);
        return -1;
      });
      syn.label = label;
      sim2.schedule(syn);
      const back = at + sim2.rng.range(0.5, 5) * MS;
      reply(
        sim2,
        back,
        c,
        { fromA: false, flags: TCP_RST | TCP_ACK, seq: 0, ack: (target + 1) >>> 0 },
        label,
      );
    }
    return host <= 254 ? gap : -1;
  });
  sweep.label = label;
  sim.schedule(sweep);
}

/**
 * The LAN sweep over IPv6: a /64 cannot be walked address by address, so a scanner takes its
 * neighbours from what they announce (mDNS, an echo to ff02::1 — not generated: the generator
 * writes no ICMPv6 or neighbour discovery at all) and sends a SYN to `lanPort` of each IPv6
 * device's global address (from its own global one) and link-local address (from its own
 * link-local one). All refuse. A home has few IPv6 devices: a few hosts, two addresses each.
 */
function sweepLan6(sim: Sim, d: Device, p: InjectPlan, srcPort: number, label: LabelEvent): void {
  const targets: Conn[] = [];
  for (const x of sim.devices) {
    if (x === d || !x.ready || x.ip6 === null || x.ll6 === null) continue;
    for (const [from, to] of [
      [d.ip6, x.ip6],
      [d.ll6, x.ll6],
    ] as const) {
      const c = synConn(d, 0, x.mac, srcPort, tuned(p, 'lanPort', 23), 64);
      c.v6 = true;
      c.ip6A = from;
      c.ip6B = to;
      targets.push(c);
    }
  }
  label.detail.lan6Addresses = targets.length;
  const start = p.startUs + sim.rng.range(0.2, 0.6) * (p.endUs - p.startUs);
  const gap = tuned(p, 'lanGapS', sim.rng.range(20, 100) / 1e3) * S;
  const sweep = new Steps(start, (sim2, i) => {
    if (i >= targets.length) return -1;
    const c = targets[i];
    const isn = sim2.rng.u32();
    sim2.f.beginTcp(true, true, false);
    sim2.f.endTcp(sim2.epochUs(sim2.now), c, true, TCP_SYN, isn, 0, 0, 0, sim2.rng.int(0, 65535));
    const back = sim2.now + sim2.rng.range(0.5, 5) * MS;
    reply(
      sim2,
      back,
      c,
      { fromA: false, flags: TCP_RST | TCP_ACK, seq: 0, ack: (isn + 1) >>> 0 },
      label,
    );
    return gap;
  });
  sweep.label = label;
  sim.schedule(sweep);
}
