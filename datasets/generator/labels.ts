/**
 * Labels of a scenario, in the format `homewatch evaluate --labels` reads (DESIGN.md,
 * "Labels for evaluate"): one event per injected behaviour, with the packet times of its
 * first and last packet. Tasks that carry a `LabelEvent` mark it with the timestamp of
 * every frame they write (Sim.runUntil does this), so the times are those in the file.
 * @module
 */
import { writeFileSync } from 'node:fs';

import {
  BEHAVIOURS as VOCABULARY,
  type Behaviour as AnyBehaviour,
} from '../../src/detect/types.js';

/** What the generator injects: DESIGN.md's closed vocabulary, less `anomaly` (the model's own flag). */
export type Behaviour = Exclude<AnyBehaviour, 'anomaly'>;
export const BEHAVIOURS: readonly Behaviour[] = VOCABULARY.filter(
  (b): b is Behaviour => b !== 'anomaly',
);
/** What an `also` list may hold: any behaviour, and the model's `anomaly`. */
export type AlsoBehaviour = Behaviour | 'anomaly';

export class LabelEvent {
  /** Epoch µs of the first and last frame written for this event; -1 before any. */
  firstUs = -1;
  lastUs = -1;
  frames = 0;
  /** What was drawn for this event (device, variant, rates, endpoints), for tests and logs. */
  readonly detail: Record<string, string | number | boolean>;

  constructor(
    readonly mac: number,
    readonly behaviours: readonly Behaviour[],
    readonly also: readonly AlsoBehaviour[],
    readonly variant: string,
    detail: Record<string, string | number | boolean> = {},
  ) {
    this.detail = detail;
  }

  /** Called after a labelled task wrote a frame stamped `tsUs`. */
  mark(tsUs: number): void {
    if (this.firstUs < 0) this.firstUs = tsUs;
    this.lastUs = tsUs;
    this.frames++;
  }
}

/** One event as written to the labels file. */
export interface LabelRecord {
  mac: string;
  behaviours: string[];
  also: string[];
  start: number;
  end: number;
}

export function macText(mac: number): string {
  return mac
    .toString(16)
    .padStart(12, '0')
    .replace(/(..)(?!$)/g, '$1:');
}

/** Events that wrote at least one frame, as label records in start order. */
export function labelRecords(events: readonly LabelEvent[]): LabelRecord[] {
  return events
    .filter((e) => e.frames > 0)
    .map((e) => ({
      mac: macText(e.mac),
      behaviours: [...e.behaviours],
      also: [...e.also],
      start: e.firstUs / 1e6,
      end: e.lastUs / 1e6,
    }))
    .sort((a, b) => a.start - b.start || a.mac.localeCompare(b.mac));
}

/** Write `{"events":[…]}`, one event a line so that diffs and eyes can follow it. */
export function writeLabels(path: string, events: readonly LabelEvent[]): void {
  const lines = labelRecords(events).map((r) => '  ' + JSON.stringify(r));
  writeFileSync(path, `{"events":[\n${lines.join(',\n')}\n]}\n`);
}
