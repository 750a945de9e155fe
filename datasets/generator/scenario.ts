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
import { LabelEvent } from './labels.js';
import { scenarioMix, type InjectRequest } from './mix.js';
import type { PcapWriter } from './pcap-writer.js';
import type { DeviceKind } from './profiles.js';
import type { Rng } from './prng.js';
import { DAILY_ACTIVITIES_BY_KIND, SCENARIO_ACTIVITIES_BY_KIND } from './scenario-profiles.js';
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
  /** A day's rhythm (scenario-profiles.ts DAILY_HOURS); default every activity at any hour. */
  daily?: boolean;
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
    readonly slot: Slot,
    readonly prev: Slot | null,
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
function pickDevice(
  sim: Sim,
  inj: Injector,
  kind: DeviceKind | null,
  used: Set<Device>,
  late: Set<Device>,
): Device {
  const r = sim.rng;
  const kinds = kind === null ? inj.kinds : [kind];
  const fits = sim.devices.filter((d) => kinds.includes(d.kind) && !late.has(d));
  if (fits.length === 0) {
    throw new Error(
      `no device can carry ${inj.behaviour}: it needs one of ${kinds.join(', ')} in the mix`,
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
    activities: o.daily === true ? DAILY_ACTIVITIES_BY_KIND : SCENARIO_ACTIVITIES_BY_KIND,
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

/** Minimum time between two events on one device (s). */
const GAP_S = 300;

function free(busy: Map<Device, [number, number][]>, d: Device, from: number, to: number): boolean {
  for (const [a, b] of busy.get(d) ?? [])
    if (a - GAP_S * S < to && from < b + GAP_S * S) return false;
  return true;
}

interface Slot {
  label: LabelEvent | null;
}

/** What the planner keeps between units: devices used, late joiners, each device's busy times. */
interface PlanState {
  earliestUs: number;
  capUs: number;
  used: Set<Device>;
  late: Set<Device>;
  busy: Map<Device, [number, number][]>;
}

function planInjections(sim: Sim, o: ScenarioOptions, out: LabelEvent[]): void {
  if (o.inject.length === 0) return;
  const r = sim.rng;
  const st: PlanState = {
    earliestUs: r.range(EARLIEST_S[0], EARLIEST_S[1]) * S,
    capUs: (o.hours * 3600 - TAIL_S) * S,
    used: new Set(),
    late: new Set(),
    busy: new Map(),
  };
  if (st.capUs - st.earliestUs < 20 * 60 * S) {
    throw new Error(
      `--hours ${o.hours} leaves no room to inject after the learning period ` +
        `(injections start after ${(st.earliestUs / 3600 / S).toFixed(2)} h and end ${TAIL_S} s ` +
        'before the end); use at least 2.5',
    );
  }
  // A behaviour that follows another (inbound connections after a mapping) goes with it.
  const followers = o.inject.filter((q) => FOLLOWS[q.behaviour] !== undefined);
  const units: [InjectRequest, InjectRequest | null][] = [];
  for (const q of o.inject) {
    if (FOLLOWS[q.behaviour] !== undefined) continue;
    const k = followers.findIndex((f) => FOLLOWS[f.behaviour] === q.behaviour);
    units.push([q, k < 0 ? null : followers.splice(k, 1)[0]]);
  }
  for (const f of followers) units.push([f, null]);
  for (const [lead, follow] of units) planUnit(sim, st, lead, follow, out);
}

/** Plan one injection (and the one that follows it on the same device, if any). */
function planUnit(
  sim: Sim,
  st: PlanState,
  q: InjectRequest,
  follow: InjectRequest | null,
  out: LabelEvent[],
): void {
  const r = sim.rng;
  const inj = INJECTORS[q.behaviour];
  let variant = q.variant ?? pickVariant(r, inj);
  if (q.behaviour === 'inbound_exposure') variant = 'forward'; // no mapping before it
  const [lo, hi] = inj.durationS(variant);
  // The follower's variant, gap and length are drawn now, so that its time is kept free.
  let next: { inj: Injector; variant: string; gapUs: number; durUs: number } | null = null;
  if (follow !== null) {
    const fInj = INJECTORS[follow.behaviour];
    const fVariant =
      follow.behaviour === 'inbound_exposure'
        ? 'after-mapping'
        : (follow.variant ?? pickVariant(r, fInj));
    const [flo, fhi] = fInj.durationS(fVariant);
    next = {
      inj: fInj,
      variant: fVariant,
      gapUs: r.range(30, 600) * S,
      durUs: r.range(flo, fhi) * S,
    };
  }
  const reserveUs = next === null ? 0 : next.gapUs + next.durUs;
  // Room for this event: what is left after its follower's share, at least its shortest
  // length when the home allows it, never past the end.
  const availUs = st.capUs - st.earliestUs;
  const roomUs = Math.max(availUs - reserveUs, Math.min(lo * S, availUs));
  let dev: Device;
  let startUs: number;
  let durUs: number;
  // A device carries one event at a time where the home allows it.
  for (let tries = 0; ; tries++) {
    if (q.behaviour === 'new_device') {
      dev = sim.addDevice(q.kind ?? r.pick(inj.kinds));
      st.late.add(dev);
    } else {
      dev = pickDevice(sim, inj, q.kind, st.used, st.late);
    }
    durUs = q.behaviour === 'new_device' ? 0 : Math.min(r.range(lo, hi) * S, roomUs * 0.8);
    if (q.tune?.seconds !== undefined) durUs = Math.min(q.tune.seconds * S, roomUs * 0.8);
    startUs = st.earliestUs + r.float() * Math.max(0, roomUs - durUs);
    const to = startUs + durUs + reserveUs;
    if (st.late.has(dev) || free(st.busy, dev, startUs, to) || tries >= 200) break;
  }
  const list = st.busy.get(dev) ?? [];
  list.push([startUs, startUs + durUs + reserveUs]);
  st.busy.set(dev, list);
  st.used.add(dev);
  const plan: InjectPlan = { dev, variant, startUs, endUs: startUs + durUs, after: null };
  if (q.tune !== undefined) plan.tune = q.tune;
  const slot: Slot = { label: null };
  sim.schedule(new Start(startUs, inj, plan, out, slot, null));
  if (next === null) return;
  // A short capture squeezes the gap rather than push the follower past the end.
  const fStart = Math.min(
    plan.endUs + next.gapUs,
    Math.max(plan.endUs + 30 * S, st.capUs - 60 * S),
  );
  const fPlan: InjectPlan = {
    dev,
    variant: next.variant,
    startUs: fStart,
    endUs: Math.min(fStart + next.durUs, st.capUs),
    after: null,
  };
  sim.schedule(new Start(fStart, next.inj, fPlan, out, { label: null }, slot));
}
