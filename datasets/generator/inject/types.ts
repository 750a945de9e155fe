/**
 * What an injector is: one behaviour of DESIGN.md's vocabulary, the device kinds it fits,
 * its variants, how long it lasts, and the function that schedules its traffic and labels
 * it. The planner (scenario.ts) picks the device, the variant and the times from the seed.
 * @module
 */
import type { Behaviour, LabelEvent } from '../labels.js';
import type { DeviceKind } from '../profiles.js';
import type { Device, Sim } from '../sim.js';

export interface InjectPlan {
  dev: Device;
  variant: string;
  /** Packet time (µs since the capture start) of its first packet. */
  startUs: number;
  /** Packet time by which its last packet is written. */
  endUs: number;
  /** The event this one follows on the same device (a mapping before inbound connections). */
  after: LabelEvent | null;
  /** Parameters that replace drawn ones (InjectRequest.tune; absent in drawn homes). */
  tune?: Readonly<Record<string, number>>;
}

/** `drawn`, unless the plan's tune sets `key` (the draw is made either way: same stream). */
export function tuned(p: InjectPlan, key: string, drawn: number): number {
  const v = p.tune?.[key];
  return v === undefined ? drawn : v;
}

export interface Injector {
  behaviour: Behaviour;
  /** Device kinds it fits, the most typical first. */
  kinds: readonly DeviceKind[];
  /**
   * Kinds it also fits when asked for by name (`@KIND`), never drawn for (so the homes of
   * `--inject all` stay as they were).
   */
  byName?: readonly DeviceKind[];
  /** Variants and their weights. */
  variants: readonly (readonly [string, number])[];
  /** How long it lasts, s (the planner draws in this range, capped by the time left). */
  durationS(variant: string): readonly [number, number];
  /** Schedule its tasks, labelled with the event it returns. */
  inject(sim: Sim, p: InjectPlan): LabelEvent;
}
