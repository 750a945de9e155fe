/**
 * Synthetic home-traffic generator: writes a classic Ethernet pcap of a simulated smart
 * home (gateway, cameras, plugs, speakers, phones, laptops, vacuums, hubs, TVs, and in
 * scenarios toys, lock bridges, printers, thermostats). Two modes: the bench home (until
 * `--packets`) and, with `--hours`, a labelled scenario (benign traffic with its traps,
 * behaviours injected after a learning period, a labels file for `homewatch evaluate`).
 * Deterministic: the same options and seed give the same bytes.
 *
 *   node --import tsx datasets/generator/generate.ts --out FILE.pcap [--packets N]
 *     [--devices N] [--concurrent-flows N] [--seed S] [--start EPOCH]
 *     [--hours H [--daily] [--mix KINDS] [--inject all|none|LIST] [--labels FILE.json]]
 * @module
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bootDevices } from './home.js';
import { writeLabels, type LabelEvent } from './labels.js';
import { parseInject, parseMix, type InjectRequest } from './mix.js';
import { PcapWriter } from './pcap-writer.js';
import { seedFromString } from './prng.js';
import type { DeviceKind } from './profiles.js';
import { runScenario } from './scenario.js';
import { Sim } from './sim.js';

export interface GenerateOptions {
  out: string;
  packets: number;
  devices: number;
  /** Flows kept open at once on top of the devices' own (0 = none). */
  concurrentFlows: number;
  seed: number;
  /** Epoch seconds of the first packet. */
  startS: number;
  /** Scenario mode: hours of packet time to write (the bench home when absent). */
  hours?: number;
  /** Scenario device kinds (default: the seed's own mix of `devices`). */
  mix?: readonly DeviceKind[] | null;
  /** Scenario behaviours to inject (default: none). */
  inject?: readonly InjectRequest[];
  /** Where to write the scenario's labels (DESIGN.md's format), if anywhere. */
  labels?: string | null;
  /** Scenario mode: a day's rhythm (video by day, TV in the evening; see scenario-profiles.ts). */
  daily?: boolean;
}

export interface GenerateResult {
  packets: number;
  /** Sum of frame lengths. */
  frameBytes: number;
  /** Packet-time span of the capture, seconds. */
  durationS: number;
  wallSeconds: number;
  /** Scenario mode: the injected events (with what was drawn for each), in plan order. */
  injected: LabelEvent[];
  /** Scenario mode: every event written to the labels file (tolerances included). */
  events: LabelEvent[];
  /** Scenario mode: MAC, kind, vendor and host name of every device. */
  devices: { mac: number; kind: DeviceKind; vendor: string; hostname: string; ip4: number }[];
}

export const DEFAULTS: Omit<GenerateOptions, 'out'> = {
  packets: 2_000_000,
  devices: 20,
  concurrentFlows: 0,
  seed: 1,
  startS: 1_717_243_200, // 2024-06-01T12:00:00Z
};

export function generate(o: GenerateOptions): GenerateResult {
  const t0 = process.hrtime.bigint();
  const w = new PcapWriter(o.out);
  let injected: LabelEvent[] = [];
  let events: LabelEvent[] = [];
  let sim: Sim;
  try {
    if (o.hours === undefined) {
      sim = new Sim(w, {
        devices: o.devices,
        concurrentFlows: o.concurrentFlows,
        seed: o.seed,
        startUs: o.startS * 1e6,
      });
      bootDevices(sim);
      sim.run(o.packets);
    } else {
      const r = runScenario(w, {
        hours: o.hours,
        devices: o.devices,
        mix: o.mix ?? null,
        inject: o.inject ?? [],
        seed: o.seed,
        startS: o.startS,
        concurrentFlows: o.concurrentFlows,
        packets: o.packets,
        daily: o.daily === true,
      });
      sim = r.sim;
      injected = r.injected;
      events = [...r.boots, ...r.injected];
      if (o.labels) writeLabels(o.labels, events);
    }
  } finally {
    w.close();
  }
  return {
    packets: w.packets,
    frameBytes: w.frameBytes,
    durationS: (w.lastTsUs - o.startS * 1e6) / 1e6,
    wallSeconds: Number(process.hrtime.bigint() - t0) / 1e9,
    injected,
    events,
    devices: sim.devices.map((d) => ({
      mac: d.mac,
      kind: d.kind,
      vendor: d.vendor.name,
      hostname: d.hostname,
      ip4: d.ip4,
    })),
  };
}

const USAGE =
  'usage: generate.ts --out FILE.pcap [--packets N] [--devices N] [--concurrent-flows N] ' +
  '[--seed S] [--start EPOCH] [--hours H [--daily] [--mix KIND[:N],...] ' +
  '[--inject all|none|BEHAVIOUR[:VARIANT][@KIND],...] ' +
  '[--labels FILE.json]]';

function numArg(v: string, name: string, min: number, max: number): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < min || n > max) {
    throw new Error(`--${name} must be a number from ${min} to ${max}, got '${v}'`);
  }
  return n;
}

function intArg(
  v: string | undefined,
  name: string,
  def: number,
  min: number,
  max: number,
): number {
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(`--${name} must be an integer from ${min} to ${max}, got '${v}'`);
  }
  return n;
}

export function parseCli(argv: string[]): GenerateOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: 'string' },
      packets: { type: 'string' },
      devices: { type: 'string' },
      'concurrent-flows': { type: 'string' },
      seed: { type: 'string' },
      start: { type: 'string' },
      hours: { type: 'string' },
      mix: { type: 'string' },
      inject: { type: 'string' },
      labels: { type: 'string' },
      daily: { type: 'boolean' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.out === undefined) throw new Error('--out is required');
  const o: GenerateOptions = {
    out: values.out,
    packets: intArg(values.packets, 'packets', DEFAULTS.packets, 1, 1e9),
    devices: intArg(values.devices, 'devices', DEFAULTS.devices, 1, 1000),
    concurrentFlows: intArg(values['concurrent-flows'], 'concurrent-flows', 0, 0, 1e7),
    seed: values.seed === undefined ? DEFAULTS.seed : seedFromString(values.seed),
    startS: intArg(values.start, 'start', DEFAULTS.startS, 0, 4e9),
  };
  if (values.hours === undefined) {
    for (const k of ['mix', 'inject', 'labels', 'daily'] as const) {
      if (values[k] !== undefined) throw new Error(`--${k} needs --hours (a scenario)`);
    }
    return o;
  }
  if (values.mix !== undefined && values.devices !== undefined) {
    throw new Error('give --devices or --mix, not both (--mix sets the number of devices)');
  }
  o.hours = numArg(values.hours, 'hours', 0.01, 24 * 28);
  // A scenario stops at its hours; --packets is then only a cap.
  o.packets = intArg(values.packets, 'packets', 1e9, 1, 1e9);
  o.mix = values.mix === undefined ? null : parseMix(values.mix);
  o.inject = values.inject === undefined ? [] : parseInject(values.inject);
  o.labels = values.labels ?? null;
  o.daily = values.daily === true;
  return o;
}

function main(): void {
  // A reader that stops early (| head) is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  let o: GenerateOptions;
  try {
    o = parseCli(process.argv.slice(2));
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  let r: GenerateResult;
  try {
    r = generate(o);
  } catch (e) {
    console.error(`generate.ts: ${(e as Error).message}`);
    process.exit(2);
  }
  const mb = r.frameBytes / 1e6;
  console.log(
    `${o.out}: ${r.packets} packets, ${mb.toFixed(1)} MB of frames ` +
      `(avg ${(r.frameBytes / r.packets).toFixed(0)} B), ${r.durationS.toFixed(1)} s of traffic; ` +
      `written in ${r.wallSeconds.toFixed(2)} s (${Math.round(r.packets / r.wallSeconds)} packets/s)`,
  );
  if (o.hours === undefined) return;
  const kinds = new Map<string, number>();
  for (const d of r.devices) kinds.set(d.kind, (kinds.get(d.kind) ?? 0) + 1);
  console.log(`devices: ${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')}`);
  for (const e of r.injected) {
    const dev = r.devices.find((d) => d.mac === e.mac);
    const t = (us: number): string => `${((us - o.startS * 1e6) / 36e8).toFixed(2)} h`;
    console.log(
      `  ${e.behaviours.join(',')} (${e.variant}) on ${dev?.kind} ${dev?.hostname}: ` +
        (e.frames > 0 ? `${t(e.firstUs)}–${t(e.lastUs)}, ${e.frames} frames` : 'no frame written') +
        ` ${JSON.stringify(e.detail)}`,
    );
  }
  if (o.labels)
    console.log(`labels: ${o.labels} (${r.events.filter((e) => e.frames > 0).length} events)`);
}

if (
  process.argv[1] !== undefined &&
  realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)
) {
  main();
}
