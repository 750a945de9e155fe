/**
 * Bringing the home up: each device's DHCP boot, then its periodic activities, and the
 * extra long-lived flows of --concurrent-flows.
 * @module
 */
import { ACTIVITIES, v6For, type Activity } from './activities.js';
import { SCENARIO_ACTIVITIES } from './activities-scenario.js';
import { Exchange, X_DHCP_BOOT } from './exchanges.js';
import { Flow, flowSpec } from './flow.js';
import type { LabelEvent } from './labels.js';
import type { Device, Sim, Task } from './sim.js';

/** Every activity by name: the bench home's and the scenario homes'. */
const TABLE: Record<string, Activity> = { ...ACTIVITIES, ...SCENARIO_ACTIVITIES };

const S = 1e6;
const KEPT_HOST_PREFIXES = ['edge', 'api', 'cdn', 'push', 'telemetry', 'sync', 'mqtt', 'events'];
const KEPT_HOST_DOMAINS = [
  'amazonaws.com',
  'cloudfront.net',
  'akamaiedge.net',
  'googleapis.com',
  'azureedge.net',
  'fastly.net',
  'tuyaeu.com',
  'tplinkcloud.com',
  'meethue.com',
  'roborock.com',
];

/** Runs one activity of one device at random intervals. */
/** An epoch time (µs) falls in the hours [from, to) of its UTC day. */
function inHours(epochUs: number, [from, to]: readonly [number, number]): boolean {
  const hour = Math.floor(epochUs / 3.6e9) % 24;
  return hour >= from && hour < to;
}

class Periodic implements Task {
  constructor(
    public at: number,
    readonly dev: Device,
    readonly fn: Activity,
    readonly minUs: number,
    readonly maxUs: number,
    readonly hoursUtc: readonly [number, number] | undefined = undefined,
  ) {}

  step(sim: Sim): boolean {
    const h = this.hoursUtc;
    if (h === undefined || inHours(sim.epochUs(sim.now), h)) this.fn(sim, this.dev);
    this.at = sim.now + sim.rng.range(this.minUs, this.maxUs);
    return true;
  }
}

/** A flow kept open for --concurrent-flows: long-lived, slow, replaced when it closes. */
function keptFlow(sim: Sim, d: Device, delayUs: number): void {
  const r = sim.rng;
  const name = `${r.pick(KEPT_HOST_PREFIXES)}-${r.int(0, 4999)}.${r.pick(KEPT_HOST_DOMAINS)}`;
  const c = sim.connToHost(d, sim.host(name), r.chance(0.7) ? 443 : 8883, v6For(sim, d));
  const flow = new Flow(
    sim,
    sim.now + delayUs,
    flowSpec(sim, c, {
      name,
      rounds: r.int(5, 40),
      upMin: 60,
      upMax: 400,
      downMin: 40,
      downMax: 600,
      pauseMinUs: 1 * S,
      pauseMaxUs: 10 * S,
      ackEvery: 1,
      kept: true,
    }),
  );
  flow.onEnd = keptFlowEnded;
  sim.keptOpen++;
  sim.schedule(flow);
}

function keptFlowEnded(sim: Sim, flow: Flow): void {
  sim.keptOpen--;
  const devs = sim.devices;
  if (sim.keptOpen < sim.concurrentFlows)
    keptFlow(sim, devs[sim.rng.int(0, devs.length - 1)], sim.rng.range(0, 2 * S));
  void flow;
}

/** The DHCP exchange that brings a device up; its activities start when it ends. */
class Boot implements Task {
  constructor(
    public at: number,
    readonly dev: Device,
  ) {}

  step(sim: Sim): boolean {
    const d = this.dev;
    d.ready = true;
    for (const a of sim.activities[d.kind]) {
      const fn = TABLE[a.activity];
      if (fn === undefined) throw new Error(`no activity '${a.activity}' (${d.kind})`);
      const first = sim.now + sim.rng.range(a.firstS[0], a.firstS[1]) * S;
      sim.schedule(new Periodic(first, d, fn, a.everyS[0] * S, a.everyS[1] * S, a.hoursUtc));
    }
    const n = sim.devices.length;
    const quota = Math.floor(sim.concurrentFlows / n) + (d.index < sim.concurrentFlows % n ? 1 : 0);
    for (let i = 0; i < quota; i++) keptFlow(sim, d, sim.rng.range(0.5 * S, 10 * S));
    return false;
  }
}

/**
 * Schedule one device's boot (DHCP, ARP) at packet time `atUs`; its activities start when
 * the boot ends. A `label` marks the boot's frames (a device that joins late).
 */
export function bootDevice(sim: Sim, d: Device, atUs: number, label: LabelEvent | null): void {
  const x = new Exchange(X_DHCP_BOOT, d, atUs);
  x.label = label;
  x.then = new Boot(0, d);
  sim.schedule(x);
}

/** Schedule every device's boot (DHCP, ARP) in the first seconds of the capture. */
export function bootDevices(sim: Sim): void {
  const spreadS = sim.devices.length > 50 ? 10 : 15;
  for (const d of sim.devices) bootDevice(sim, d, sim.rng.range(0, spreadS) * S, null);
}
