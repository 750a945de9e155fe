/**
 * Context inputs: what a window says about the device *relative to what it knows*, held for a
 * few minutes. The feature schema counts what happened in the window; these say whether it
 * was new to this device — flows to remote endpoints its baseline does not know, a regular
 * contact to such an endpoint, inbound connections accepted beyond its normal, DNS queries
 * under domains it never used — from the window's evidence and the device's baseline (the
 * same ones the detectors read).
 *
 * Why held: a behaviour lasts longer than its traffic. A beacon with a 5-minute period leaves
 * four windows in five empty; a DGA burst comes every few minutes; an exposed port is hit now
 * and then. A window judged alone cannot tell such a gap from a quiet minute, so each input
 * is the largest of its value now and its value before, halved every `halfLifeS` of packet
 * time (`held = max(now, before · 2^(−Δt/halfLife))`).
 *
 * Values are octaves (log2(1 + count)), except the beacon's, which is its regularity (0 … 1,
 * as the beaconing detector combines timing, size and count) times the octaves of its
 * contacts. The trace is per device, bounded (the least recently seen device is forgotten),
 * and saved with the agent's state (`snapshot`/`restore`, through the model's state part), so
 * that a restart does not forget what was new to a device a minute before.
 * @module
 */
import type { DeviceBaseline } from '../baseline/device-baseline.js';
import { logScale } from '../baseline/histogram.js';
import { beaconScore } from '../detect/beaconing.js';
import { FEATURE_NAMES } from '../features/schema.js';
import type { ClosedWindow } from '../features/windows.js';
import { HomewatchError } from '../util/errors.js';

/** Names of the context inputs, in input order (recorded in the model's metadata). */
export const CONTEXT_INPUTS = [
  'newEndpointFlows',
  'newEndpointBeacon',
  'inboundAboveNormal',
  'newDomainQueries',
] as const;

/** Half-life of a held context input, seconds of packet time (chosen on calibration data). */
export const CONTEXT_HALF_LIFE_S = 300;

/**
 * Units of z one octave of something new counts as in the model's input (encode.ts): 3, the z
 * of a doubling on a device whose normal spreads over a third of an octave. Chosen on the
 * calibration split between 1 and 3 (at 1, inbound exposure ranked 0.90 by the score: the
 * context weighed too little against the benign spread of the other features).
 */
export const CONTEXT_Z = 3;

/** Devices whose trace is kept (the least recently seen is forgotten first). */
const MAX_DEVICES = 4096;

interface Held {
  end: number;
  values: Float64Array;
}

/** A trace as saved in the state file (JSON; numbers round-trip exactly). */
export interface ContextSnapshot {
  halfLifeS: number;
  /** CONTEXT_INPUTS when saved: a trace of other inputs is not restored. */
  inputs: string[];
  /** Least recently seen first; `values` in `inputs` order. */
  devices: { mac: string; end: number; values: number[] }[];
}

/** The inputs of one window before holding, into `out` (CONTEXT_INPUTS order). */
export function windowContext(
  w: ClosedWindow,
  baseline: DeviceBaseline,
  inboundIndex: number,
  out: Float64Array,
): void {
  const ev = w.evidence;
  let flows = 0;
  for (const p of ev.peers) if (!p.local && !baseline.knowsRemote(p.ip, p.name)) flows += p.flows;
  let beacon = 0;
  for (const b of ev.beacons) {
    if (baseline.knowsRemote(b.ip, b.name)) continue;
    beacon = Math.max(beacon, beaconScore(b) * logScale(b.contacts));
  }
  let inbound = 0;
  if (inboundIndex >= 0) {
    const level = logScale(w.record.features.inboundAccepted ?? 0);
    const normal = baseline.hist.total > 0 ? baseline.hist.logQuantile(inboundIndex, 0.5) : 0;
    inbound = Math.max(0, level - normal);
  }
  let queries = 0;
  for (const d of ev.dns) if (!baseline.knowsDomain(d.domain)) queries += d.queries;
  out[0] = logScale(flows);
  out[1] = beacon;
  out[2] = inbound;
  out[3] = logScale(queries);
}

/** Per-device held context inputs (module comment). */
export class ContextTrace {
  readonly halfLifeS: number;
  readonly #held = new Map<string, Held>();
  readonly #now = new Float64Array(CONTEXT_INPUTS.length);
  /** Where a baseline keeps the feature (in schema order, unless restored from another). */
  readonly #inbound = FEATURE_NAMES.indexOf('inboundAccepted');

  constructor(halfLifeS: number) {
    this.halfLifeS = halfLifeS;
  }

  /** The held inputs after window `w` of a device, into `out`. */
  next(w: ClosedWindow, baseline: DeviceBaseline, out: Float64Array): void {
    const i = this.#inbound;
    const inbound =
      baseline.features[i] === 'inboundAccepted' ? i : baseline.featureIndex('inboundAccepted');
    windowContext(w, baseline, inbound, this.#now);
    const mac = w.device.macStr;
    const end = w.record.end;
    const m = this.#held;
    let h = m.get(mac);
    if (h === undefined) {
      h = { end, values: new Float64Array(CONTEXT_INPUTS.length) };
      if (m.size >= MAX_DEVICES) m.delete(m.keys().next().value as string);
    } else m.delete(mac);
    m.set(mac, h);
    const decay = 2 ** (-Math.max(0, end - h.end) / this.halfLifeS);
    for (let i = 0; i < out.length; i++) {
      const v = Math.max(this.#now[i], h.values[i] * decay);
      h.values[i] = v;
      out[i] = v;
    }
    h.end = end;
  }

  /** Forgets every device. */
  clear(): void {
    this.#held.clear();
  }

  /** The held inputs of every device, for the state file. */
  snapshot(): ContextSnapshot {
    return {
      halfLifeS: this.halfLifeS,
      inputs: [...CONTEXT_INPUTS],
      devices: [...this.#held].map(([mac, h]) => ({ mac, end: h.end, values: [...h.values] })),
    };
  }

  /**
   * Restores a snapshot (replacing what is held). Throws ERR_STATE, holding nothing, when it is
   * not one, or was held for other inputs or another half-life (its values would mean
   * something else).
   */
  restore(s: unknown): void {
    this.#held.clear();
    const snap = s as Partial<ContextSnapshot> | null;
    const c = CONTEXT_INPUTS.length;
    if (snap === null || typeof snap !== 'object' || !Array.isArray(snap.devices))
      throw new HomewatchError('ERR_STATE', 'model context: not a saved context');
    if (
      snap.halfLifeS !== this.halfLifeS ||
      JSON.stringify(snap.inputs) !== JSON.stringify(CONTEXT_INPUTS)
    )
      throw new HomewatchError(
        'ERR_STATE',
        'model context: saved for other inputs or another half-life',
      );
    const held = new Map<string, Held>();
    for (const d of snap.devices as unknown[]) {
      const o = d as Partial<ContextSnapshot['devices'][number]> | null;
      if (
        o === null ||
        typeof o !== 'object' ||
        typeof o.mac !== 'string' ||
        typeof o.end !== 'number' ||
        !Number.isFinite(o.end) ||
        !Array.isArray(o.values) ||
        o.values.length !== c ||
        !o.values.every((v) => typeof v === 'number' && Number.isFinite(v) && v >= 0)
      )
        throw new HomewatchError('ERR_STATE', 'model context: a device entry is damaged');
      held.delete(o.mac);
      held.set(o.mac, { end: o.end, values: Float64Array.from(o.values) });
    }
    for (const [mac, h] of [...held].slice(-MAX_DEVICES)) this.#held.set(mac, h);
  }
}
