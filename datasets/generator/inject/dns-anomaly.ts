/**
 * `dns_anomaly`: DNS used for what it is not for.
 * - `tunnel`: data encoded in long labels (base32 as iodine, or hex as dnscat2) under one
 *   domain, TXT, NULL, CNAME or MX queries, each name new, answered with data (TXT
 *   strings, NULL raw bytes, a CNAME/MX name); 1–15 queries a second for 2–15 minutes,
 *   to the home's resolver or straight to a public one.
 * - `dga`: bursts of random names (8–20 letters, a handful of TLDs), 20–150 a burst at
 *   5–50 a second, bursts 1–10 minutes apart; nearly all NXDOMAIN, a few resolve.
 * Tune keys (bench/robustness.ts only): `rate` (queries a second; tunnel and dga), for `dga`
 * also `perBurst`, `gapS` (between bursts), `bursts`.
 * @module
 */
import { writeDnsAnswer, writeDnsQuery, QTYPE_A } from '../protocols/dns.js';
import {
  QTYPE_CNAME,
  QTYPE_MX,
  QTYPE_NULL,
  QTYPE_TXT,
  writeDnsDataAnswer,
  writeDnsNxdomain,
} from '../protocols/dns-extra.js';
import { LabelEvent } from '../labels.js';
import type { Conn } from '../frames.js';
import { Steps } from '../script.js';
import type { Device, Sim } from '../sim.js';
import { randomPublicIp } from './internet.js';
import { tuned, type InjectPlan, type Injector } from './types.js';

const S = 1e6;
const MS = 1e3;
const MAX_QUERIES = 5000;
const BASE32 = 'abcdefghijklmnopqrstuvwxyz012345';
const HEX = '0123456789abcdef';
const RESOLVERS = [0x08080808, 0x01010101, 0x09090909]; // 8.8.8.8, 1.1.1.1, 9.9.9.9

function encoded(sim: Sim, alphabet: string, chars: number): string {
  let s = '';
  for (let i = 0; i < chars; i++) {
    if (i > 0 && i % 63 === 0) s += '.';
    s += alphabet[sim.rng.int(0, alphabet.length - 1)];
  }
  return s;
}

function resolverConn(sim: Sim, d: Device, direct: number): Conn {
  const c = direct === 0 ? sim.connGateway(d, 53) : sim.connToHost(d, sim.freshHost(''), 53, false);
  if (direct !== 0) {
    c.ip4B = direct;
    c.ttlB = 64 - sim.rng.int(6, 14);
  }
  return c;
}

function tunnel(sim: Sim, p: InjectPlan, label: LabelEvent): void {
  const r = sim.rng;
  const d = p.dev;
  const hex = r.chance(0.4);
  const qtype = hex ? r.pick([QTYPE_TXT, QTYPE_CNAME, QTYPE_MX]) : r.pick([QTYPE_NULL, QTYPE_TXT]);
  const zone = `${r.pick(['t', 'd', 'ns', 'x'])}.${r.pick(['cloudfix', 'updsrv', 'cdnsync', 'mailrelay', 'fastlookup'])}${r.int(1, 99)}.${r.pick(['com', 'net', 'xyz', 'info'])}`;
  const rate = tuned(p, 'rate', r.range(1, 15));
  const queries = Math.min(MAX_QUERIES, Math.round(rate * ((p.endUs - p.startUs) / S)));
  const chars = r.int(100, 200 - zone.length);
  const direct = r.chance(0.3) ? r.pick(RESOLVERS) : 0;
  const c = resolverConn(sim, d, direct);
  Object.assign(label.detail, {
    zone,
    qtype,
    queriesPerSecond: Math.round(rate * 10) / 10,
    queries,
    resolver: direct === 0 ? 'gateway' : 'public',
  });
  let n = 0;
  let id = 0;
  let name = '';
  const data = Buffer.alloc(qtype === QTYPE_NULL ? 450 : 220);
  const s = new Steps(p.startUs, (sim2, i) => {
    const off = sim2.f.beginUdp(false);
    const e = sim2.epochUs(sim2.now);
    if (i % 2 === 0) {
      c.portA = sim2.port(d);
      id = sim2.rng.int(0, 0xffff);
      name = `${encoded(sim2, hex ? HEX : BASE32, chars)}.${zone}`;
      const len = writeDnsQuery(sim2.buf, off, id, name, qtype);
      sim2.f.endUdp(e, c, true, len, len);
      return sim2.rng.range(15, 120) * MS;
    }
    const size = sim2.rng.int(qtype === QTYPE_NULL ? 100 : 40, data.length);
    sim2.rng.fill(data, 0, size);
    // TXT carries printable base64-like text, as tunnels send it.
    if (qtype === QTYPE_TXT) for (let k = 0; k < size; k++) data[k] = 0x41 + (data[k] % 26);
    const text = encoded(sim2, hex ? HEX : BASE32, 40);
    const len = writeDnsDataAnswer(
      sim2.buf,
      off,
      id,
      name,
      qtype,
      data.subarray(0, size),
      text,
      zone,
      0,
    );
    sim2.f.endUdp(e, c, false, len, len);
    n++;
    return n < queries ? sim2.rng.exp(S / rate) : -1;
  });
  s.label = label;
  sim.schedule(s);
}

const DGA_TLDS = ['com', 'net', 'org', 'info', 'biz', 'ru', 'top', 'xyz', 'cc', 'pw'];

function dga(sim: Sim, p: InjectPlan, label: LabelEvent): void {
  const r = sim.rng;
  const d = p.dev;
  const gapUs = tuned(p, 'gapS', r.range(60, 600)) * S;
  const perBurst = tuned(p, 'perBurst', r.int(20, 150));
  const rate = tuned(p, 'rate', r.range(5, 50));
  // As many bursts as were drawn, or as fit in the event (gaps run up to +30 %).
  const fit = 1 + Math.floor((p.endUs - p.startUs - (2 * perBurst * S) / rate) / (1.3 * gapUs));
  const bursts = tuned(p, 'bursts', Math.max(1, Math.min(r.int(2, 8), fit)));
  const pResolve = r.range(0.005, 0.04);
  const tlds = [r.pick(DGA_TLDS), r.pick(DGA_TLDS), r.pick(DGA_TLDS)];
  const c = resolverConn(sim, d, 0);
  Object.assign(label.detail, {
    bursts,
    namesPerBurst: perBurst,
    tlds: tlds.join(' '),
    burstGapS: Math.round(gapUs / S),
    queriesPerSecond: Math.round(rate),
  });
  let burst = 0;
  let inBurst = 0;
  let id = 0;
  let name = '';
  const s = new Steps(p.startUs, (sim2, i) => {
    const off = sim2.f.beginUdp(false);
    const e = sim2.epochUs(sim2.now);
    if (i % 2 === 0) {
      c.portA = sim2.port(d);
      id = sim2.rng.int(0, 0xffff);
      const n = sim2.rng.int(8, 20);
      let lbl = '';
      for (let k = 0; k < n; k++) lbl += String.fromCharCode(0x61 + sim2.rng.int(0, 25));
      name = `${lbl}.${sim2.rng.pick(tlds)}`;
      const len = writeDnsQuery(sim2.buf, off, id, name, QTYPE_A);
      sim2.f.endUdp(e, c, true, len, len);
      return sim2.rng.range(5, 80) * MS;
    }
    const len = sim2.rng.chance(pResolve)
      ? writeDnsAnswer(sim2.buf, off, id, name, QTYPE_A, randomPublicIp(sim2.rng), null, 300)
      : writeDnsNxdomain(sim2.buf, off, id, name, QTYPE_A);
    sim2.f.endUdp(e, c, false, len, len);
    inBurst++;
    if (inBurst < perBurst) return sim2.rng.exp(S / rate);
    inBurst = 0;
    burst++;
    if (burst >= bursts) return -1;
    const next = sim2.now + gapUs * sim2.rng.range(0.7, 1.3);
    if (next <= p.endUs) return next - sim2.now;
    label.detail.bursts = burst; // the event's time ran out first
    return -1;
  });
  s.label = label;
  sim.schedule(s);
}

export const dnsAnomaly: Injector = {
  behaviour: 'dns_anomaly',
  kinds: ['plug', 'hub', 'thermostat', 'toy', 'camera', 'printer', 'tv'],
  variants: [
    ['tunnel', 0.5],
    ['dga', 0.5],
  ],
  durationS: (variant) => (variant === 'dga' ? [10 * 60, 60 * 60] : [2 * 60, 15 * 60]),
  inject(sim, p) {
    const label = new LabelEvent(p.dev.mac, ['dns_anomaly'], ['anomaly'], p.variant);
    if (p.variant === 'dga') dga(sim, p, label);
    else tunnel(sim, p, label);
    return label;
  },
};
