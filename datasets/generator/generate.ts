/**
 * Synthetic home-traffic generator: writes a classic Ethernet pcap of a simulated smart
 * home (gateway, cameras, plugs, speakers, phones, laptops, vacuums, hubs, TVs).
 * Deterministic: the same options and seed give the same bytes.
 *
 *   node --import tsx datasets/generator/generate.ts --out FILE.pcap [--packets N]
 *     [--devices N] [--concurrent-flows N] [--seed S] [--start EPOCH]
 * @module
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bootDevices } from './home.js';
import { PcapWriter } from './pcap-writer.js';
import { seedFromString } from './prng.js';
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
}

export interface GenerateResult {
  packets: number;
  /** Sum of frame lengths. */
  frameBytes: number;
  /** Packet-time span of the capture, seconds. */
  durationS: number;
  wallSeconds: number;
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
  const sim = new Sim(w, {
    devices: o.devices,
    concurrentFlows: o.concurrentFlows,
    seed: o.seed,
    startUs: o.startS * 1e6,
  });
  bootDevices(sim);
  sim.run(o.packets);
  w.close();
  return {
    packets: w.packets,
    frameBytes: w.frameBytes,
    durationS: (w.lastTsUs - o.startS * 1e6) / 1e6,
    wallSeconds: Number(process.hrtime.bigint() - t0) / 1e9,
  };
}

const USAGE =
  'usage: generate.ts --out FILE.pcap [--packets N] [--devices N] [--concurrent-flows N] ' +
  '[--seed S] [--start EPOCH]';

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
    },
    strict: true,
  });
  if (values.out === undefined) throw new Error('--out is required');
  return {
    out: values.out,
    packets: intArg(values.packets, 'packets', DEFAULTS.packets, 1, 1e9),
    devices: intArg(values.devices, 'devices', DEFAULTS.devices, 1, 1000),
    concurrentFlows: intArg(values['concurrent-flows'], 'concurrent-flows', 0, 0, 1e7),
    seed: values.seed === undefined ? DEFAULTS.seed : seedFromString(values.seed),
    startS: intArg(values.start, 'start', DEFAULTS.startS, 0, 4e9),
  };
}

function main(): void {
  let o: GenerateOptions;
  try {
    o = parseCli(process.argv.slice(2));
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  const r = generate(o);
  const mb = r.frameBytes / 1e6;
  console.log(
    `${o.out}: ${r.packets} packets, ${mb.toFixed(1)} MB of frames ` +
      `(avg ${(r.frameBytes / r.packets).toFixed(0)} B), ${r.durationS.toFixed(1)} s of traffic; ` +
      `written in ${r.wallSeconds.toFixed(2)} s (${Math.round(r.packets / r.wallSeconds)} packets/s)`,
  );
}

if (
  process.argv[1] !== undefined &&
  realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)
) {
  main();
}
