/**
 * `beaconing`: a compromised device calls home to an endpoint it never used, on a clock.
 * Each contact is a new short connection with small payloads; the period is drawn
 * log-uniformly from 10 s to 10 min with a drawn jitter (±0–20 %), so that no detector can
 * be tuned to one rhythm. Variants: `host` (a never-seen name, looked up again when its
 * DNS TTL runs out) and `ip` (a bare address the device never looked up).
 * Tune keys (bench/robustness.ts only): `periodS`, `jitter` (a share), `port`, `contacts`,
 * `ipv6` (1: over IPv6 from the device's global address, looked up by AAAA, when it has one).
 * @module
 */
import { dnsThen, ip6Text, ipText } from '../exchanges.js';
import { APP_RAW, APP_TLS, Flow, flowSpec } from '../flow.js';
import { LabelEvent } from '../labels.js';
import { quietPort } from '../ports.js';
import type { Host, Sim, Task } from '../sim.js';
import { bareHost, newHostName } from './internet.js';
import { tuned, type InjectPlan, type Injector } from './types.js';

const S = 1e6;

const MIN_CONTACTS = 20;

/** What one beacon does: where to, how often, how much. */
interface BeaconSpec {
  host: Host;
  named: boolean;
  port: number;
  periodUs: number;
  /** Each interval is the period × (1 ± up to this). */
  jitter: number;
  contacts: number;
  up: number;
  down: number;
  /** DNS TTL of the name: the device looks it up again when it ran out. */
  ttlUs: number;
  v6: boolean;
}

/** The beacon's clock: each tick opens one connection (after a lookup when the TTL ran out). */
class Beacon implements Task {
  at: number;
  n = 0;
  #lookedUpUs = -Infinity;

  constructor(
    readonly label: LabelEvent,
    readonly p: InjectPlan,
    readonly b: BeaconSpec,
  ) {
    this.at = p.startUs;
  }

  step(sim: Sim): boolean {
    const r = sim.rng;
    const b = this.b;
    const d = this.p.dev;
    const tls = b.port === 443 || b.port === 8443;
    const flow = new Flow(
      sim,
      0,
      flowSpec(sim, sim.connToHost(d, b.host, b.port, b.v6), {
        app: tls ? APP_TLS : APP_RAW,
        name: b.named ? b.host.name : '',
        upMin: b.up * 0.9,
        upMax: b.up * 1.1,
        downMin: b.down * 0.9,
        downMax: b.down * 1.1,
        ackEvery: 1,
      }),
    );
    flow.label = this.label;
    if (b.named && sim.now - this.#lookedUpUs > b.ttlUs) {
      this.#lookedUpUs = sim.now;
      flow.at = r.range(200, 3000);
      dnsThen(sim, d, b.host, sim.now, b.v6, flow).label = this.label;
    } else {
      flow.at = sim.now;
      sim.schedule(flow);
    }
    this.n++;
    if (this.n >= b.contacts) return false;
    const next = sim.now + b.periodUs * (1 + r.range(-b.jitter, b.jitter));
    if (next > this.p.endUs) return false;
    this.at = next;
    return true;
  }
}

export const beaconing: Injector = {
  behaviour: 'beaconing',
  kinds: [
    'vacuum',
    'plug',
    'camera',
    'toy',
    'thermostat',
    'lock',
    'hub',
    'tv',
    'printer',
    'speaker',
  ],
  variants: [
    ['host', 0.6],
    ['ip', 0.4],
  ],
  durationS: () => [30 * 60, 4 * 3600],
  inject(sim, p) {
    const r = sim.rng;
    const avail = p.endUs - p.startUs;
    // log-uniform period in [10 s, 600 s], short enough for MIN_CONTACTS in the time left.
    const maxPeriod = Math.min(600 * S, avail / MIN_CONTACTS);
    const drawnUs = Math.exp(r.range(Math.log(10 * S), Math.log(Math.max(maxPeriod, 10 * S))));
    const periodUs = tuned(p, 'periodS', drawnUs / S) * S;
    const jitter = tuned(p, 'jitter', r.range(0, 0.2));
    const fit = Math.floor(avail / (periodUs * (1 + jitter)));
    const contacts = tuned(p, 'contacts', Math.max(MIN_CONTACTS, Math.min(fit, r.int(30, 240))));
    const named = p.variant === 'host';
    const host = named ? sim.host(newHostName(r)) : bareHost(sim);
    const port = tuned(p, 'port', r.pick([443, 443, 443, 8443, quietPort(r, 1024, 65535)]));
    const up = r.int(80, 400);
    const down = r.int(40, 300);
    const ttlUs = r.pick([60, 300, 600, 3600]) * S;
    const v6 = tuned(p, 'ipv6', 0) === 1 && p.dev.ip6 !== null;
    const label = new LabelEvent(p.dev.mac, ['beaconing'], ['anomaly'], p.variant, {
      periodS: Math.round(periodUs / 1e4) / 100,
      jitter: Math.round(jitter * 1000) / 1000,
      contacts,
      endpoint: v6 ? `[${ip6Text(host.ip6)}]:${port}` : `${ipText(host.ip4)}:${port}`,
      name: named ? host.name : '',
      upBytes: up,
      downBytes: down,
    });
    const spec = { host, named, port, periodUs, jitter, contacts, up, down, ttlUs, v6 };
    sim.schedule(new Beacon(label, p, spec));
    return label;
  },
};
