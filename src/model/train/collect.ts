/**
 * Collecting windows: a capture set (files of one home, with its labels) replayed through the
 * same runtime as `homewatch replay` — pipeline, baselines, detectors, alerts — with a
 * recording scorer in the model's seat. For each window it keeps what the model's input
 * encoding needs (level, baseline median and spread per feature, the held context inputs at
 * the half-life the model records), its labels, and what the
 * detectors found; it returns the run's own alerts (the detectors alone) and its device-hours.
 *
 * A window is labelled from the labels file: a window of the labelled MAC that overlaps an
 * event's [start, end] carries its behaviours (POS), its `also` behaviours are MASKED; a window
 * of that MAC within the evaluation's tolerance around the event (start − 60 s, end + 300 s) is
 * MASKED for them and is not benign.
 * @module
 */
import { AlertCollector } from '../../evaluate/collect.js';
import { openCaptureFiles } from '../../capture/file/index.js';
import type { DetectContext, Finding } from '../../detect/types.js';
import { FEATURE_NAMES } from '../../features/schema.js';
import { runSource } from '../../pipeline/run.js';
import { Runtime } from '../../pipeline/runtime.js';
import type { AlertRecord } from '../../sinks/records.js';
import { AnomalyDetector } from '../anomaly.js';
import { CONTEXT_HALF_LIVES, CONTEXT_INPUTS, CONTEXT_Z } from '../context.js';
import { InputEncoder } from '../encode.js';
import type { ModelVerdict, WindowScorer } from '../types.js';
import { MASKED, NAMED, NEG, POS, type WindowTable } from './table.js';

/** DESIGN.md's label event; `behaviours` may be empty (a tolerance event, e.g. a boot). */
export interface LabelledEvent {
  mac: string;
  behaviours: string[];
  also: string[];
  start: number;
  end: number;
}

/** The evaluation's tolerance around an event (src/evaluate/score.ts). */
export const BEFORE_S = 60;
export const AFTER_S = 300;

export interface CaptureSet {
  /** Short name for tables and logs ('scenario 1234', 'blink-hub'). */
  name: string;
  files: string[];
  lanCidrs: string[];
  labels: LabelledEvent[];
  learnS: number;
  /** Real traffic (a capture nobody here made) or generated. */
  real: boolean;
  /** A real attack capture: the behaviour it must be named with (judged per capture). */
  expect?: string;
}

export interface CollectResult {
  packets: number;
  /** Alerts of the run (detectors alone). */
  alerts: AlertRecord[];
  /** Device-hours: each device's first packet to the end of the capture, summed. */
  deviceHours: number;
  /** Of those, hours after each device's learning phase ended. */
  judgedHours: number;
  firstTs: number;
  lastTs: number;
}

/** Sits in the model's seat and records every window; scores nothing. */
class Recorder implements WindowScorer {
  readonly description = 'recorder';
  readonly anomalyDetector = new AnomalyDetector();
  readonly #table: WindowTable;
  readonly #source: number;
  readonly #events: Map<string, LabelledEvent[]>;
  readonly #keepFindings: boolean;
  readonly #enc: InputEncoder;
  readonly #values: Float64Array;
  readonly #labels = new Int8Array(NAMED.length);
  /** First judged window end per device. */
  readonly judgedSince = new Map<string, number>();

  constructor(table: WindowTable, source: number, labels: LabelledEvent[], keepFindings: boolean) {
    this.#table = table;
    this.#source = source;
    this.#keepFindings = keepFindings;
    this.#events = new Map();
    for (const e of labels) {
      const list = this.#events.get(e.mac) ?? [];
      list.push(e);
      this.#events.set(e.mac, list);
    }
    const f = FEATURE_NAMES.length;
    const zeros = new Array<number>(f).fill(0);
    const ones = new Array<number>(f).fill(1);
    // Only its measurements are used: the encoding itself is decided after collection.
    this.#enc = new InputEncoder({
      features: { names: [...FEATURE_NAMES] },
      kinds: ['unknown'],
      encoding: {
        minSpread: 1,
        zClip: 8,
        zScale: 1,
        levelMean: zeros,
        levelStd: ones,
        normalMean: zeros,
        normalStd: ones,
        context: [...CONTEXT_INPUTS],
        contextHalfLives: CONTEXT_HALF_LIVES,

        contextZ: CONTEXT_Z,
      },
    });
    this.#values = new Float64Array(f);
  }

  score(ctx: DetectContext, findings: readonly Finding[]): ModelVerdict {
    const { w } = ctx;
    const feats = w.record.features;
    for (let i = 0; i < FEATURE_NAMES.length; i++) this.#values[i] = feats[FEATURE_NAMES[i]] ?? 0;
    this.#enc.measure(w, this.#values, ctx.baseline);
    const mac = w.device.macStr;
    const { start, end } = w.record;
    if (ctx.judged && !this.judgedSince.has(mac)) this.judgedSince.set(mac, start);
    const attack = labelWindow(this.#events.get(mac) ?? [], start, end, this.#labels);
    this.#table.push({
      source: this.#source,
      mac,
      start,
      end,
      judged: ctx.judged,
      kind: ctx.kind,
      level: this.#enc.level,
      median: this.#enc.median,
      spread: this.#enc.spread,
      context: this.#enc.context,
      labels: this.#labels,
      attack,
      found: findings.map((f) => f.behaviour),
      findings: this.#keepFindings ? [...findings] : null,
    });
    return { score: 0, behaviours: {}, anomaly: null };
  }
}

/**
 * Labels of one window [start, end) of a device from its events (module comment); returns
 * whether the window is in or near an event with a behaviour (not benign).
 */
export function labelWindow(
  events: readonly LabelledEvent[],
  start: number,
  end: number,
  out: Int8Array,
): boolean {
  out.fill(NEG);
  let attack = false;
  for (const e of events) {
    const inside = start <= e.end && end > e.start;
    const near = start <= e.end + AFTER_S && end > e.start - BEFORE_S;
    if (!near) continue;
    if (e.behaviours.length > 0) attack = true;
    for (const b of e.also) {
      const j = NAMED.indexOf(b as (typeof NAMED)[number]);
      if (j >= 0 && out[j] !== POS) out[j] = MASKED;
    }
    for (const b of e.behaviours) {
      const j = NAMED.indexOf(b as (typeof NAMED)[number]);
      if (j >= 0) out[j] = inside ? POS : out[j] === POS ? POS : MASKED;
    }
  }
  return attack;
}

/** Replays one capture set into `table` (rows tagged with a new source index). */
export async function collect(
  set: CaptureSet,
  table: WindowTable,
  opts: { windowS: number; keepFindings: boolean },
): Promise<CollectResult> {
  const source = await openCaptureFiles(set.files);
  const sink = new AlertCollector();
  const recorder = new Recorder(table, table.addSource(set.name), set.labels, opts.keepFindings);
  const runtime = Runtime.open({
    windowS: opts.windowS,
    learnS: set.learnS,
    lanCidrs: set.lanCidrs,
    console: false,
    sinks: [sink],
    scorer: recorder,
  });
  const { summary } = await runSource(source, runtime);
  const lastTs = summary.lastTs ?? 0;
  const deviceHours = sink.deviceHours(lastTs);
  let judgedHours = 0;
  for (const t of recorder.judgedSince.values()) judgedHours += Math.max(0, lastTs - t) / 3600;
  return {
    packets: summary.packets,
    alerts: sink.alerts,
    deviceHours,
    judgedHours,
    firstTs: summary.firstTs ?? 0,
    lastTs,
  };
}
