/**
 * A labelled scenario: a home of N devices over H hours of benign traffic (with every
 * trap), and the requested behaviours injected into named devices after a benign period
 * long enough for them to learn their normal (no earlier than 1.5–2 h, drawn per home).
 * The planner draws from the seed which device of a fitting kind, which variant, when and
 * for how long; injectors draw their own rates, periods, ports, sizes and hosts.
 * Every device present at the start also gets a tolerance event (no behaviour to detect,
 * `new_device` acceptable) covering its boot: in a replay every MAC is new at first.
 * @module
 */
import { bootDevice } from './home.js';
import { FOLLOWS, INJECTORS } from './inject/index.js';
import type { InjectPlan, Injector } from './inject/types.js';
import { LabelEvent, type Behaviour } from './labels.js';
import { scenarioMix, type InjectRequest } from './mix.js';
import type { PcapWriter } from './pcap-writer.js';
import type { DeviceKind } from './profiles.js';
import type { Rng } from './prng.js';
import { SCENARIO_ACTIVITIES_BY_KIND } from './scenario-profiles.js';
import { Sim, type Device, type Task } from './sim.js';

const S = 1e6;
/** Injections end this long before the capture does, so that alerts have time to come. */
const TAIL_S = 600;
/** Earliest injection, drawn per home in this range (s). */
const EARLIEST_S: readonly [number, number] = [5400, 7200];

export interface ScenarioOptions {
  hours: number;
  devices: number;
  /** Explicit kinds, or null for the seed's own mix of `devices`. */
  mix: readonly DeviceKind[] | null;
  inject: readonly InjectRequest[];
  seed: number;
  startS: number;
  concurrentFlows: number;
  /** Stop after this many frames even if the hours are not over. */
  packets: number;
}

export interface ScenarioResult {
  sim: Sim;
  /** Injected events, in plan order. */
  injected: LabelEvent[];
  /** Tolerance events of the devices present at the start and of the gateway. */
  boots: LabelEvent[];
}

/** Runs one planned injection when its start comes (so it sees the home as it is then). */
class Start implements Task {
  constructor(
    public at: number,
    readonly inj: Injector,
    readonly plan: InjectPlan,
    readonly out: LabelEvent[],
    readonly slot: { label: LabelEvent | null },
    readonly prev: { label: LabelEvent | null } | null,
  ) {}

  step(sim: Sim): boolean {
    this.plan.after = this.prev?.label ?? null;
    const label = this.inj.inject(sim, this.plan);
    this.slot.label = label;
    this.out.push(label);
    return false;
  }
}

function pickVariant(r: Rng, inj: Injector): string {
  const total = inj.variants.reduce((s, [, w]) => s + w, 0);
  let u = r.float() * total;
  for (const [v, w] of inj.variants) {
    u -= w;
    if (u < 0 && w > 0) return v;
  }
  return inj.variants[0][0];
}

/** A device of a fitting kind: usually the most typical kind present, unused ones first. */
function pickDevice(sim: Sim, inj: Injector, used: Set<Device>, late: Set<Device>): Device {
  const r = sim.rng;
  const fits = sim.devices.filter((d) => inj.kinds.includes(d.kind) && !late.has(d));
  if (fits.length === 0) {
    throw new Error(
      `no device can carry ${inj.behaviour}: it needs one of ${inj.kinds.join(', ')} in the mix`,
    );
  }
  const fresh = fits.filter((d) => !used.has(d));
  const pool = fresh.length > 0 ? fresh : fits;
  if (r.chance(0.6)) {
    for (const k of inj.kinds) {
      const typical = pool.filter((d) => d.kind === k);
      if (typical.length > 0) return r.pick(typical);
    }
  }
  return r.pick(pool);
}

/** A second host name for a device that boots another OS or was renamed. */
const ALT_NAMES: Record<string, (d: Device, r: Rng) => string> = {
  phone: (d, r) =>
    d.vendor.name === 'Apple' ? 'iPhone' : `android-${r.u32().toString(16).padStart(8, '0')}`,
  laptop: (d) =>
    d.vendor.name === 'Apple'
      ? 'Toms-MBP'
      : d.vendor.name === 'Intel'
        ? 'tom-ubuntu'
        : 'DESKTOP-7Q2M0RT',
};

/** The trap of a device renewing its lease under two host names (a phone or laptop). */
function twoNames(sim: Sim): void {
  const cands = sim.devices.filter((d) => d.kind === 'phone' || d.kind === 'laptop');
  const d = cands.length > 0 ? sim.rng.pick(cands) : sim.devices[0];
  const alt = ALT_NAMES[d.kind]?.(d, sim.rng) ?? `${d.hostname}-2`;
  d.altHostname = alt === d.hostname ? `${alt}-2` : alt;
}

export function runScenario(w: PcapWriter, o: ScenarioOptions): ScenarioResult {
  const mix = o.mix ?? scenarioMix(o.seed, o.devices);
  const sim = new Sim(w, {
    devices: mix.length,
    concurrentFlows: o.concurrentFlows,
    seed: o.seed,
    startUs: o.startS * S,
    mix,
    activities: SCENARIO_ACTIVITIES_BY_KIND,
  });
  const r = sim.rng;
  twoNames(sim);
  const boots: LabelEvent[] = [];
  const spreadS = sim.devices.length > 50 ? 10 : 15;
  for (const d of sim.devices) {
    const label = new LabelEvent(d.mac, [], ['new_device'], 'boot');
    boots.push(label);
    bootDevice(sim, d, r.range(0, spreadS) * S, label);
  }
  const injected: LabelEvent[] = [];
  planInjections(sim, o, injected);
  const endUs = o.hours * 3600 * S;
  sim.runUntil(endUs, o.packets);
  // The gateway answers every boot: its tolerance spans all of them.
  const gw = new LabelEvent(sim.gatewayMac, [], ['new_device'], 'boot');
  for (const b of boots) {
    if (b.frames === 0) continue;
    gw.firstUs = gw.frames === 0 ? b.firstUs : Math.min(gw.firstUs, b.firstUs);
    gw.lastUs = Math.max(gw.lastUs, b.lastUs);
    gw.frames += b.frames;
  }
  boots.push(gw);
  return { sim, injected, boots };
}

/** Order: a behaviour that follows another (inbound after a mapping) comes after it. */
function ordered(reqs: readonly InjectRequest[]): InjectRequest[] {
  const rank = (b: Behaviour): number => (FOLLOWS[b] !== undefined ? 1 : 0);
  return [...reqs].sort((x, y) => rank(x.behaviour) - rank(y.behaviour));
}

function planInjections(sim: Sim, o: ScenarioOptions, out: LabelEvent[]): void {
  if (o.inject.length === 0) return;
  const r = sim.rng;
  const earliestUs = r.range(EARLIEST_S[0], EARLIEST_S[1]) * S;
  const capUs = (o.hours * 3600 - TAIL_S) * S;
  if (capUs - earliestUs < 20 * 60 * S) {
    throw new Error(
      `--hours ${o.hours} leaves no room to inject after the learning period ` +
        `(injections start after ${(earliestUs / 3600 / S).toFixed(2)} h and end ${TAIL_S} s before the end); use at least 2.5`,
    );
  }
  const reqs = ordered(o.inject);
  const asked = new Set(reqs.map((q) => q.behaviour));
  const used = new Set<Device>();
  const late = new Set<Device>();
  /** The planned leader of each pair, by behaviour, not yet followed. */
  const leaders = new Map<Behaviour, { plan: InjectPlan; slot: { label: LabelEvent | null } }[]>();
  for (const q of reqs) {
    const inj = INJECTORS[q.behaviour];
    const lead = FOLLOWS[q.behaviour];
    const leader = lead !== undefined ? leaders.get(lead)?.shift() : undefined;
    let variant = q.variant ?? pickVariant(r, inj);
    let dev: Device;
    let startUs: number;
    let durUs: number;
    const [lo, hi] = inj.durationS(variant);
    if (leader !== undefined) {
      dev = leader.plan.dev;
      startUs = leader.plan.endUs + r.range(30, 600) * S;
      durUs = Math.min(r.range(lo, hi) * S, capUs - startUs);
      if (q.behaviour === 'inbound_exposure') variant = 'after-mapping';
    } else {
      if (q.behaviour === 'inbound_exposure') variant = 'forward';
      if (q.behaviour === 'new_device') {
        dev = sim.addDevice(r.pick(inj.kinds));
        late.add(dev);
      } else {
        dev = pickDevice(sim, inj, used, late);
      }
      // Keep room for the follower when both of a pair are asked for.
      const follower = (Object.keys(FOLLOWS) as Behaviour[]).find(
        (b) => FOLLOWS[b] === q.behaviour && asked.has(b),
      );
      const reserveUs =
        follower === undefined ? 0 : (INJECTORS[follower].durationS('')[0] + 600) * S;
      const roomUs = capUs - earliestUs - reserveUs;
      durUs = Math.min(r.range(lo, hi) * S, Math.max(roomUs * 0.8, lo * S));
      if (q.behaviour === 'new_device') durUs = 0;
      startUs = earliestUs + r.float() * Math.max(0, roomUs - durUs);
    }
    used.add(dev);
    const plan: InjectPlan = { dev, variant, startUs, endUs: startUs + durUs, after: null };
    const slot = { label: null as LabelEvent | null };
    const queue = leaders.get(q.behaviour) ?? [];
    queue.push({ plan, slot });
    leaders.set(q.behaviour, queue);
    sim.schedule(new Start(startUs, inj, plan, out, slot, leader?.slot ?? null));
  }
}
