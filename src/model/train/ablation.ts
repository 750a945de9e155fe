/**
 * The ablation: how model and detectors combine into alerts, measured on the held-out
 * evaluation sets. Every policy replays the same recorded windows (what the detectors found
 * in each, what the model scored) through the real alert episodes (src/alerts/episodes.ts) and
 * is scored as `homewatch evaluate` scores (src/evaluate/score.ts): per behaviour recall,
 * median delay, false alerts per device-week; real benign captures count false alerts only.
 *
 * Policies:
 * - `detectors`: the explainable detectors alone (the model writes scores, raises nothing);
 * - `model`: the model alone — `anomaly` for a high score, a behaviour for a head probability
 *   above its threshold;
 * - `detectors+anomaly`: detectors, plus `anomaly` for a high score no detector finding on the
 *   device explains (in the window or the `explainS` before it);
 * - `detectors+model`: that, plus the head's behaviours the detectors did not name.
 * Model findings come only from judged windows (a device past its learning phase).
 * @module
 */
import { AlertManager } from '../../alerts/episodes.js';
import type { Behaviour, Finding } from '../../detect/types.js';
import { score, type Evaluation, type EventResult } from '../../evaluate/score.js';
import type { LabelEvent } from '../../evaluate/labels.js';
import type { AlertRecord } from '../../sinks/records.js';
import type { LabelledEvent } from './collect.js';
import { NAMED, type WindowTable } from './table.js';

export const POLICIES = ['detectors', 'model', 'detectors+anomaly', 'detectors+model'] as const;
export type PolicyName = (typeof POLICIES)[number];

/**
 * The policies the runtime can run today: the scorer raises at most one `anomaly` finding a
 * window (WindowScorer), so alerts for the head's named behaviours, and the model without the
 * detectors, are measured but cannot be shipped yet.
 */
export const RUNNABLE: readonly PolicyName[] = ['detectors', 'detectors+anomaly'];

/** The false-alert goal: at most one a device-week. */
export const FALSE_ALERTS_GOAL_PER_DEVICE_WEEK = 1;
/** The recall goal. */
export const RECALL_GOAL = 0.95;

/** One evaluation set as recorded, with the model's outputs per row. */
export interface EvalSet {
  name: string;
  real: boolean;
  /** Rows of the table that belong to it, in the order they were judged. */
  rows: number[];
  labels: LabelledEvent[];
  deviceHours: number;
  judgedHours: number;
  lastTs: number;
  /** The run's own alerts (detectors alone), to check the replayed episodes against. */
  alerts: AlertRecord[];
}

export interface ModelOutputs {
  /** Calibrated anomaly score per table row. */
  score: Float32Array;
  /** Head probability per row and NAMED behaviour (rows × NAMED). */
  probs: Float32Array;
  anomalyThreshold: number;
  /** Per NAMED behaviour. */
  behaviourThresholds: number[];
  explainS: number;
}

export interface BehaviourRow {
  behaviour: string;
  events: number;
  detected: number;
  recall: number | null;
  medianDelayS: number | null;
  worstDelayS: number | null;
  falseAlerts: number;
}

export interface PolicyResult {
  policy: PolicyName;
  behaviours: BehaviourRow[];
  overall: BehaviourRow;
  /** False alerts on generated homes, and per device-week. */
  scenarioFalse: number;
  scenarioDeviceHours: number;
  /** False alerts on the real benign captures, and per device-week. */
  realFalse: number;
  realDeviceHours: number;
  realJudgedHours: number;
  falsePerDeviceWeek: number;
  /** What the false alerts were (behaviour: count), for the model card. */
  falseByBehaviour: Record<string, number>;
  /** Real attack captures: what the policy named on each. */
  attacks: AttackResult[];
}

/** A real attack capture, replayed with no learning phase, judged as a whole. */
export interface AttackCapture {
  name: string;
  expect: string;
  rows: number[];
}

export interface AttackResult {
  name: string;
  expect: string;
  /** Behaviours the policy raised on the capture (new_device aside: every device is new). */
  named: string[];
  hit: boolean;
}

function modelFinding(behaviour: Behaviour, ts: number, p: number): Finding {
  return { behaviour, key: 'model', ts, score: p, severity: 'low', facts: { p } };
}

/** The findings a policy raises for one recorded row ('anomaly': the model's anomaly alone). */
function findingsFor(
  policy: PolicyName | 'anomaly',
  t: WindowTable,
  row: number,
  out: ModelOutputs,
  lastFound: Map<string, number>,
): Finding[] {
  const detectors = t.findings[row] ?? [];
  const end = t.end[row];
  const mac = t.macs[row];
  if (detectors.length > 0) lastFound.set(mac, end);
  const useDetectors = policy !== 'model' && policy !== 'anomaly';
  const res: Finding[] = useDetectors ? [...detectors] : [];
  if (policy === 'detectors' || t.judged[row] === 0) return res;
  const start = t.start[row];
  const s = out.score[row];
  const explained = useDetectors && end - (lastFound.get(mac) ?? -Infinity) <= out.explainS;
  if (s >= out.anomalyThreshold && !explained) res.push(modelFinding('anomaly', start, s));
  if (policy === 'model' || policy === 'detectors+model') {
    for (let j = 0; j < NAMED.length; j++) {
      const p = out.probs[row * NAMED.length + j];
      if (p < out.behaviourThresholds[j]) continue;
      if (useDetectors && detectors.some((f) => f.behaviour === NAMED[j])) continue;
      res.push(modelFinding(NAMED[j], start, p));
    }
  }
  return res;
}

/** Replays a set's rows through alert episodes under a policy; returns the alert records. */
export function replayAlerts(
  policy: PolicyName | 'anomaly',
  t: WindowTable,
  set: EvalSet,
  out: ModelOutputs,
): AlertRecord[] {
  const alerts: AlertRecord[] = [];
  const manager = new AlertManager([], (r) => alerts.push(r));
  const lastFound = new Map<string, number>();
  let windowEnd = -1;
  for (const row of set.rows) {
    const end = t.end[row];
    if (windowEnd !== -1 && end !== windowEnd) manager.tick(windowEnd);
    windowEnd = end;
    const f = findingsFor(policy, t, row, out, lastFound);
    if (f.length > 0) manager.take(t.macs[row], t.macs[row], f, end);
  }
  if (windowEnd !== -1) manager.tick(windowEnd);
  manager.closeAll(set.lastTs);
  return alerts;
}

/** Events as evaluate reads them (tolerance events keep an empty behaviour list). */
function asEvents(labels: LabelledEvent[]): LabelEvent[] {
  return labels.map((e) => ({
    mac: e.mac,
    behaviours: e.behaviours as Behaviour[],
    also: e.also as Behaviour[],
    start: e.start,
    end: e.end,
  }));
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Per-behaviour rows from the evaluations of many sets (tolerance events not counted). */
export function summarise(evals: { e: Evaluation; real: boolean }[]): {
  behaviours: BehaviourRow[];
  overall: BehaviourRow;
  falseByBehaviour: Record<string, number>;
  scenarioFalse: number;
  realFalse: number;
} {
  const events = evals.flatMap(({ e }) => e.events.filter((r) => r.behaviours.length > 0));
  const falses = evals.flatMap(({ e, real }) => e.falseAlerts.map((f) => ({ ...f, real })));
  const row = (name: string, mine: typeof events, fa: number): BehaviourRow => {
    const delays = mine.filter((r) => r.detected).map((r) => r.delayS as number);
    return {
      behaviour: name,
      events: mine.length,
      detected: delays.length,
      recall: mine.length > 0 ? delays.length / mine.length : null,
      medianDelayS: median(delays),
      worstDelayS: delays.length > 0 ? Math.max(...delays) : null,
      falseAlerts: fa,
    };
  };
  const behaviours = [...NAMED, 'anomaly'].map((b) =>
    row(
      b,
      events.filter((r) => (r.behaviours as string[]).includes(b)),
      falses.filter((f) => f.behaviour === b).length,
    ),
  );
  const falseByBehaviour: Record<string, number> = {};
  for (const f of falses) falseByBehaviour[f.behaviour] = (falseByBehaviour[f.behaviour] ?? 0) + 1;
  return {
    behaviours,
    overall: row('all', events, falses.length),
    falseByBehaviour,
    scenarioFalse: falses.filter((f) => !f.real).length,
    realFalse: falses.filter((f) => f.real).length,
  };
}

/**
 * The anomaly score as a safety net for behaviours no detector knows: the share of each
 * behaviour's events during which the model's `anomaly` alone (no detectors) raised an alert,
 * and its false alerts. What `anomaly` would catch of a new threat, measured on known ones.
 */
export function novelty(
  t: WindowTable,
  sets: EvalSet[],
  out: ModelOutputs,
): { behaviour: string; events: number; caught: number }[] {
  const caught = new Map<string, { events: number; caught: number }>();
  for (const s of sets) {
    const events = asEvents(s.labels).map((e) => ({
      ...e,
      behaviours: e.behaviours.length > 0 ? (['anomaly'] as Behaviour[]) : [],
      also: [],
      named: e.behaviours,
    }));
    const e = score(events, replayAlerts('anomaly', t, s, out), s.deviceHours);
    // Each result carries its event's fields (score() may leave tolerance events out).
    for (const r of e.events as (EventResult & { named: Behaviour[] })[]) {
      for (const b of r.named) {
        const c = caught.get(b) ?? { events: 0, caught: 0 };
        c.events++;
        if (r.detected) c.caught++;
        caught.set(b, c);
      }
    }
  }
  return NAMED.filter((b) => caught.has(b)).map((b) => ({
    behaviour: b,
    ...(caught.get(b) as { events: number; caught: number }),
  }));
}

/** What a policy raises on each real attack capture. */
export function judgeAttacks(
  policy: PolicyName,
  t: WindowTable,
  captures: AttackCapture[],
  out: ModelOutputs,
): AttackResult[] {
  return captures.map((c) => {
    const named = new Set<string>();
    const lastFound = new Map<string, number>();
    for (const row of c.rows)
      for (const f of findingsFor(policy, t, row, out, lastFound))
        if (f.behaviour !== 'new_device') named.add(f.behaviour);
    return { name: c.name, expect: c.expect, named: [...named].sort(), hit: named.has(c.expect) };
  });
}

/** Scores one policy over every evaluation set and real attack capture. */
export function evaluatePolicy(
  policy: PolicyName,
  t: WindowTable,
  sets: EvalSet[],
  out: ModelOutputs,
  attacks: AttackCapture[] = [],
): PolicyResult {
  const evals = sets.map((s) => ({
    e: score(asEvents(s.labels), replayAlerts(policy, t, s, out), s.deviceHours),
    real: s.real,
  }));
  const sum = summarise(evals);
  const scenarioDeviceHours = sets.filter((s) => !s.real).reduce((n, s) => n + s.deviceHours, 0);
  const realDeviceHours = sets.filter((s) => s.real).reduce((n, s) => n + s.deviceHours, 0);
  const realJudgedHours = sets.filter((s) => s.real).reduce((n, s) => n + s.judgedHours, 0);
  const weeks = (scenarioDeviceHours + realDeviceHours) / 168;
  return {
    policy,
    behaviours: sum.behaviours,
    overall: sum.overall,
    scenarioFalse: sum.scenarioFalse,
    scenarioDeviceHours,
    realFalse: sum.realFalse,
    realDeviceHours,
    realJudgedHours,
    falsePerDeviceWeek: weeks > 0 ? (sum.scenarioFalse + sum.realFalse) / weeks : 0,
    falseByBehaviour: sum.falseByBehaviour,
    attacks: judgeAttacks(policy, t, attacks, out),
  };
}

/** Events plus real attack captures, and how many of them the policy named. */
export function detections(r: PolicyResult): { detected: number; events: number } {
  return {
    detected: r.overall.detected + r.attacks.filter((a) => a.hit).length,
    events: r.overall.events + r.attacks.length,
  };
}

/** The goals of issue "The model" a policy meets: overall recall ≥ 0.95, false alerts ≤ 1/week. */
export function goalsMet(r: PolicyResult): number {
  const d = detections(r);
  const recall = d.events > 0 ? d.detected / d.events : 0;
  return (
    (recall >= RECALL_GOAL ? 1 : 0) +
    (r.falsePerDeviceWeek <= FALSE_ALERTS_GOAL_PER_DEVICE_WEEK ? 1 : 0)
  );
}

/** Mistakes: events and attack captures missed, plus false alerts (each counts one). */
export function mistakes(r: PolicyResult): number {
  const d = detections(r);
  return d.events - d.detected + r.scenarioFalse + r.realFalse;
}

/**
 * The row that wins: the one that meets more of the goals (recall ≥ 0.95 over events and real
 * attack captures; at most one false alert per device-week); then the one with the fewest
 * mistakes (missed events and captures plus false alerts, each counting one); then the simpler
 * policy (earlier in POLICIES).
 */
export function winner(results: PolicyResult[]): PolicyResult {
  return [...results].sort(
    (a, b) =>
      goalsMet(b) - goalsMet(a) ||
      mistakes(a) - mistakes(b) ||
      POLICIES.indexOf(a.policy) - POLICIES.indexOf(b.policy),
  )[0];
}
