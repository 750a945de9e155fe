/**
 * Scores alerts against labelled events (DESIGN.md): an event is detected when an alert for its
 * MAC names one of its behaviours between `start − 60` and `end + 300`; its delay is the first
 * such alert's time − `start` (never below 0). An alert that names one of an event's `also`
 * behaviours in that span is neither a detection nor a false alert. Every other alert episode
 * is a false alert. False alerts are counted per device-hour: the hours from each device's
 * first packet to the end of the capture, summed.
 * @module
 */
import { BEHAVIOURS, type Behaviour } from '../detect/types.js';
import type { AlertRecord } from '../sinks/records.js';
import type { LabelEvent } from './labels.js';

export const BEFORE_S = 60;
export const AFTER_S = 300;

export interface BehaviourScore {
  behaviour: Behaviour;
  events: number;
  detected: number;
  missed: number;
  /** Seconds; null when nothing was detected. */
  medianDelayS: number | null;
  worstDelayS: number | null;
  /** Alert episodes of this behaviour that matched no event. */
  falseAlerts: number;
}

export interface EventResult extends LabelEvent {
  detected: boolean;
  delayS: number | null;
  /** The behaviour of the first matching alert. */
  by: Behaviour | null;
}

export interface Evaluation {
  behaviours: BehaviourScore[];
  overall: Omit<BehaviourScore, 'behaviour'> & { recall: number | null };
  events: EventResult[];
  falseAlerts: { episode: string; mac: string; behaviour: string; ts: number; summary: string }[];
  deviceHours: number;
  falseAlertsPerDeviceHour: number;
}

function inSpan(ts: number, e: LabelEvent): boolean {
  return ts >= e.start - BEFORE_S && ts <= e.end + AFTER_S;
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * @param alerts every alert record of the run (open, update, closed)
 * @param deviceHours device-hours of the run (see the module comment)
 */
export function score(
  events: readonly LabelEvent[],
  alerts: readonly AlertRecord[],
  deviceHours: number,
): Evaluation {
  const results: EventResult[] = events.map((e) => {
    let first: AlertRecord | null = null;
    for (const a of alerts) {
      if (a.mac !== e.mac || !(e.behaviours as string[]).includes(a.behaviour)) continue;
      if (!inSpan(a.ts, e)) continue;
      if (first === null || a.ts < first.ts) first = a;
    }
    return {
      ...e,
      detected: first !== null,
      delayS: first !== null ? Math.max(0, first.ts - e.start) : null,
      by: first !== null ? (first.behaviour as Behaviour) : null,
    };
  });
  // An episode is justified when any of its records matches an event (named or `also`).
  const justified = new Set<string>();
  for (const a of alerts) {
    for (const e of events) {
      if (a.mac !== e.mac || !inSpan(a.ts, e)) continue;
      const b = a.behaviour as Behaviour;
      if (e.behaviours.includes(b) || e.also.includes(b)) justified.add(a.episode);
    }
  }
  const firstOf = new Map<string, AlertRecord>();
  for (const a of alerts) if (!firstOf.has(a.episode)) firstOf.set(a.episode, a);
  const falseAlerts = [...firstOf.values()]
    .filter((a) => !justified.has(a.episode))
    .map((a) => ({
      episode: a.episode,
      mac: a.mac,
      behaviour: a.behaviour,
      ts: a.ts,
      summary: a.summary,
    }));
  const behaviours = BEHAVIOURS.map((b): BehaviourScore => {
    const mine = results.filter((r) => r.behaviours.includes(b));
    const delays = mine.filter((r) => r.detected).map((r) => r.delayS as number);
    return {
      behaviour: b,
      events: mine.length,
      detected: delays.length,
      missed: mine.length - delays.length,
      medianDelayS: median(delays),
      worstDelayS: delays.length ? Math.max(...delays) : null,
      falseAlerts: falseAlerts.filter((f) => f.behaviour === b).length,
    };
  });
  // Events that name no behaviour only make alerts acceptable; they are not to be detected.
  const named = results.filter((r) => r.behaviours.length > 0);
  const delays = named.filter((r) => r.detected).map((r) => r.delayS as number);
  return {
    behaviours,
    overall: {
      events: named.length,
      detected: delays.length,
      missed: named.length - delays.length,
      recall: named.length ? delays.length / named.length : null,
      medianDelayS: median(delays),
      worstDelayS: delays.length ? Math.max(...delays) : null,
      falseAlerts: falseAlerts.length,
    },
    events: named,
    falseAlerts,
    deviceHours,
    falseAlertsPerDeviceHour: deviceHours > 0 ? falseAlerts.length / deviceHours : 0,
  };
}
