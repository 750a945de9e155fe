/**
 * Where training data comes from, and how it is split. Two sources (issue "The model"):
 *
 * - labelled scenarios of `datasets/generator`: homes of benign traffic with its traps and every
 *   behaviour injected after a benign period, generated at training time into a temporary
 *   folder (pcap + labels file), collected, and deleted;
 * - the real benign captures of ../shared/datasets (nobody here made them).
 *
 * Training, calibration and evaluation never share a seed, a device mix or a timing: each split
 * draws its scenario seeds from its own stream of the training seed, and uses its own home
 * sizes, lengths and start times of day; real captures are split by device, each device's
 * captures all in one split.
 * @module
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ATTACKS } from '../../evaluate/real-captures.js';
import { generate } from '../../../datasets/generator/generate.js';
import { BEHAVIOURS as INJECTABLE } from '../../../datasets/generator/labels.js';
import type { CaptureSet, LabelledEvent } from './collect.js';

export type Split = 'train' | 'calibration' | 'evaluation';

export interface ScenarioSpec {
  kind: 'scenario';
  split: Split;
  seed: number;
  hours: number;
  devices: number;
  /** Epoch seconds of the first packet. */
  startS: number;
}

export interface RealSpec {
  kind: 'real';
  split: Split;
  name: string;
  /** The collection it belongs to, for summaries ('iot-sentinel'); '' for a capture on its own. */
  group: string;
  /**
   * A real attack capture: the behaviour it must be named with. Replayed with no learning
   * phase (they last seconds to minutes) and judged per capture, not per window.
   */
  expect?: string;
  files: string[];
  lanCidrs: string[];
}

export type DataSpec = ScenarioSpec | RealSpec;

/** How much data a training run uses. */
export interface DataScale {
  scenarios: Record<Split, number>;
  /** Use the real benign captures (tests turn them off for speed). */
  real: boolean;
}

export const FULL_SCALE: DataScale = {
  scenarios: { train: 64, calibration: 24, evaluation: 24 },
  real: true,
};

/** Per split: home sizes, hours and start hour of day (UTC) — never shared between splits. */
const SPLIT_SHAPES: Record<
  Split,
  { devices: number[]; hours: number[]; startHours: number[]; stream: number }
> = {
  train: { devices: [8, 10, 12, 14], hours: [4, 4.5], startHours: [6, 12, 18], stream: 0x7a11 },
  calibration: { devices: [9, 11, 13], hours: [5], startHours: [9, 21], stream: 0xca1b },
  evaluation: { devices: [7, 15, 16], hours: [5.5], startHours: [3, 15], stream: 0xe7a1 },
};

/** 2024-06-01T00:00:00Z; a scenario starts on one of the 28 days after it. */
const EPOCH_DAY = 1_717_200_000;

/** A 32-bit hash of numbers (FNV-1a over their bytes): seeds per split and index. */
export function mix(...xs: number[]): number {
  let h = 0x811c9dc5;
  for (const x of xs) {
    let v = x >>> 0;
    for (let i = 0; i < 4; i++) {
      h ^= v & 0xff;
      h = Math.imul(h, 0x01000193);
      v >>>= 8;
    }
  }
  return h >>> 0;
}

/** The scenarios of one split for a training seed. */
export function scenarioSpecs(seed: number, split: Split, n: number): ScenarioSpec[] {
  const shape = SPLIT_SHAPES[split];
  const out: ScenarioSpec[] = [];
  for (let i = 0; i < n; i++) {
    const s = mix(seed, shape.stream, i);
    const day = s % 28;
    const hour = shape.startHours[(s >>> 5) % shape.startHours.length];
    out.push({
      kind: 'scenario',
      split,
      seed: s,
      hours: shape.hours[(s >>> 9) % shape.hours.length],
      devices: shape.devices[(s >>> 13) % shape.devices.length],
      startS: EPOCH_DAY + day * 86400 + hour * 3600 + ((s >>> 17) % 3600),
    });
  }
  return out;
}

/**
 * The real benign captures, by device, each assigned to one split. IoT Sentinel's 31 devices
 * (setup captures, minutes each) go two thirds to training and a sixth to each other split, in
 * an order drawn from the seed; the long captures (a 9-hour Blink hub, a plug's whole lifecycle)
 * and the ndpi IoT samples go to evaluation, where false alerts on real traffic are counted;
 * the camera's lifecycle phases to training.
 */
export function realSpecs(datasets: string, seed: number): RealSpec[] {
  const out: RealSpec[] = [];
  const at = (p: string): string => join(datasets, p);
  const add = (
    split: Split,
    name: string,
    files: string[],
    lan: string[] = [],
    group = '',
  ): void => {
    const present = files.filter((f) => existsSync(f));
    if (present.length > 0)
      out.push({ kind: 'real', split, name, group, files: present, lanCidrs: lan });
  };
  const sentinel = at('iot-sentinel/captures_IoT-Sentinel');
  if (existsSync(sentinel)) {
    // Devices in an order drawn from the seed: the first two thirds train, then a sixth each.
    const devices = readdirSync(sentinel)
      .filter((d) => statSync(join(sentinel, d)).isDirectory())
      .map((d) => ({ d, h: mix(seed, 0x5e47, ...Buffer.from(d)) }))
      .sort((a, b) => a.h - b.h || a.d.localeCompare(b.d))
      .map((x) => x.d);
    devices.forEach((device, rank) => {
      const dir = join(sentinel, device);
      const pcaps = readdirSync(dir)
        .filter((f) => f.endsWith('.pcap'))
        .sort()
        .map((f) => join(dir, f));
      const q = rank / devices.length;
      const split: Split = q < 2 / 3 ? 'train' : q < 5 / 6 ? 'calibration' : 'evaluation';
      // Each setup capture is its own short home: one set per capture.
      pcaps.forEach((p, i) =>
        add(split, `iot-sentinel ${device} ${i + 1}`, [p], [], `iot-sentinel`),
      );
    });
  }
  const camera = at('nku-lifecycle/xiaobai_Y2camera_lifecycle');
  if (existsSync(camera))
    add(
      'train',
      'nku-lifecycle camera',
      readdirSync(camera)
        .filter((f) => f.endsWith('.pcap'))
        .sort()
        .map((f) => join(camera, f)),
    );
  add('evaluation', 'nku-lifecycle plug', [at('nku-lifecycle/xiaodu_plug/xiaodu_plug.pcap')]);
  add('evaluation', 'moniotr blink hub (9 h)', [at('moniotr-blink-hub/2019-04-25_idle.pcap')]);
  add('evaluation', 'neu-intl-iot yi camera', [at('neu-intl-iot/yi_camera_sample.pcap')]);
  for (const f of [
    'alexa-app.pcapng',
    'tuya_lp.pcap',
    'tplink_shp.pcap',
    'nest_log_sink.pcap',
    'sonos.pcapng',
  ])
    add('evaluation', `ndpi ${f}`, [at(`ndpi-tests/pcap/${f}`)]);
  return out;
}

/**
 * Real captures of attacks (issue "Detection", point 8), for the evaluation only: each must be
 * named with its behaviour. Short research captures, so they are replayed with `--learn 0`.
 */
export const REAL_ATTACKS: readonly { file: string; expect: string }[] = [
  ...new Map(ATTACKS.map((a) => [a.file, { file: a.file, expect: a.behaviour }])).values(),
];

export function realAttackSpecs(datasets: string): RealSpec[] {
  return REAL_ATTACKS.filter((a) => existsSync(join(datasets, a.file))).map((a) => ({
    kind: 'real',
    split: 'evaluation',
    name: a.file.split('/').pop() as string,
    group: 'attacks',
    files: [join(datasets, a.file)],
    lanCidrs: [],
    expect: a.expect,
  }));
}

/** The labels file of a scenario: DESIGN.md's format, tolerance events (no behaviour) kept. */
export function readScenarioLabels(file: string): LabelledEvent[] {
  const data = JSON.parse(readFileSync(file, 'utf8')) as { events?: LabelledEvent[] };
  if (!Array.isArray(data.events)) throw new Error(`${file}: no events list`);
  return data.events.map((e) => ({
    mac: String(e.mac).toLowerCase(),
    behaviours: (e.behaviours ?? []).map(String),
    also: (e.also ?? []).map(String),
    start: Number(e.start),
    end: Number(e.end),
  }));
}

/** The generator's entry point (datasets/generator/generate.ts); tests may pass another. */
export type Generator = (o: Parameters<typeof generate>[0]) => unknown;

/** Writes a scenario's pcap and labels into `dir`; returns its capture set. */
export function generateScenario(
  spec: ScenarioSpec,
  dir: string,
  learnS: number,
  gen: Generator = generate,
): CaptureSet {
  const pcap = join(dir, `scenario-${spec.seed}.pcap`);
  const labels = join(dir, `scenario-${spec.seed}.labels.json`);
  const options = {
    out: pcap,
    packets: 1e9,
    devices: spec.devices,
    concurrentFlows: 0,
    seed: spec.seed,
    startS: spec.startS,
    hours: spec.hours,
    mix: null,
    inject: ALL_BEHAVIOURS,
    labels,
  };
  gen(options);
  if (!existsSync(labels))
    throw new Error(
      `the scenario generator wrote no labels file (${labels}): it has no labelled scenarios`,
    );
  return {
    name: `scenario ${spec.seed} (${spec.devices} devices, ${spec.hours} h)`,
    files: [pcap],
    lanCidrs: [],
    labels: readScenarioLabels(labels),
    learnS,
    real: false,
  };
}

/** Every behaviour the generator injects, once per scenario, variants drawn from its seed. */
const ALL_BEHAVIOURS = INJECTABLE.map((behaviour) => ({ behaviour, variant: null, kind: null }));

export function realSet(spec: RealSpec, learnS: number): CaptureSet {
  return {
    name: spec.name,
    expect: spec.expect,
    files: spec.files,
    lanCidrs: spec.lanCidrs,
    labels: [],
    learnS: spec.expect !== undefined ? 0 : learnS,
    real: true,
  };
}
