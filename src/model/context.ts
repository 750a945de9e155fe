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
 * contacts.
 *
 * Two inputs are about a behaviour rather than a window's count. `newEndpointRepeats`: repeat
 * contact to one endpoint the baseline does not know, counted in windows with a contact over
 * the last while (each count halving every `halfLives.repeatsS`), the octaves of the repeats
 * beyond the first — a slow beacon contacts its endpoint once every few windows, and the
 * beacon's own regularity is only measured after five contacts, while a one-off new endpoint
 * (a CDN's other address) is contacted in one window and never again. `portMapsAboveNormal`:
 * port mappings the device asked the router for (UPnP, NAT-PMP or PCP) above its normal — a
 * device that opens a port to the internet does it once, in one window, and in a window
 * judged alone that is one count among 43 features.
 *
 * The trace is per device, bounded (the least recently seen device is forgotten, and per
 * device the least recently contacted unknown endpoint), and saved with the agent's state
 * (`snapshot`/`restore`, through the model's state part), so that a restart does not forget
 * what was new to a device a minute before.
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
  'newEndpointRepeats',
  'portMapsAboveNormal',
] as const;

/**
 * Half-lives, seconds of packet time, chosen on the calibration split (the model's card has
 * the figures):
 * - held inputs, 5 min (a longer hold of inbound connections, 15 min, ranked inbound exposure
 *   lower: 0.948 against 0.954);
 * - port mappings, 30 min: a device that asked the router for a port stays reachable from the
 *   internet for the mapping's lease (an hour or more, or until revoked), and what comes
 *   through it may come any time later (inbound exposure ranked 0.959 held 5 min, 0.980 held
 *   15 min, 0.994 held 30 min, 0.990 held an hour);
 * - the counts of repeat contact, 10 min, among 10, 20 and 40 (beaconing ranked 0.979, 0.973
 *   and 0.966): long enough to span a slow beacon's gaps, short enough that a benign device's
 *   trickle of new endpoints does not add up.
 */
export const CONTEXT_HALF_LIVES: ContextHalfLives = { heldS: 300, portMapsS: 1800, repeatsS: 600 };

/**
 * Units of z one octave of something new counts as in the model's input (encode.ts): 3, the z
 * of a doubling on a device whose normal spreads over a third of an octave. Chosen on the
 * calibration split between 1 and 3 (at 1, inbound exposure ranked 0.90 by the score: the
 * context weighed too little against the benign spread of the other features).
 */
export const CONTEXT_Z = 3;

/**
 * Weight of a context input's residual in the window's error, against 1 for a feature's z
 * (meta.ts, `contextErrorWeight`): a context input sums up one kind of evidence of something
 * new to the device, where a behaviour that moves the features moves several z together.
 * Chosen on the calibration split as the weight whose worst-ranked behaviour ranks best: at
 * 1, 2, 4 and 8 the lowest score AUC of any behaviour was 0.978 (beaconing), 0.985, 0.982 and
 * 0.976 (lateral movement: weighing the context more drowns the z of a window's own burst).
 */
export const CONTEXT_ERROR_WEIGHT = 2;

/** Devices whose trace is kept (the least recently seen is forgotten first). */
const MAX_DEVICES = 4096;
/** Unknown endpoints counted per device (the least recently contacted is forgotten first). */
const MAX_ENDPOINTS = 32;
/** A count that decayed below this is forgotten. */
const MIN_COUNT = 1 / 16;

/** Windows with a contact to one unknown endpoint, decayed to packet time `t`. */
interface Repeats {
  count: number;
  t: number;
}

interface Held {
  end: number;
  values: Float64Array;
  /** Unknown remote endpoints (by address) and their decayed counts. */
  endpoints: Map<string, Repeats>;
}

/** Half-lives of what a trace holds, seconds of packet time (recorded in the model). */
export interface ContextHalfLives {
  /** Every held input but portMapsAboveNormal. */
  heldS: number;
  /** portMapsAboveNormal. */
  portMapsS: number;
  /** The counts behind newEndpointRepeats. */
  repeatsS: number;
}

/** A trace as saved in the state file (JSON; numbers round-trip exactly). */
export interface ContextSnapshot {
  halfLives: ContextHalfLives;
  /** CONTEXT_INPUTS when saved: a trace of other inputs is not restored. */
  inputs: string[];
  /**
   * Least recently seen first; `values` in `inputs` order; `endpoints` [address, count, packet
   * time of the count] of the unknown endpoints counted, least recently contacted first.
   */
  devices: { mac: string; end: number; values: number[]; endpoints: [string, number, number][] }[];
}

/** Where a baseline keeps the features the context reads (in schema order, unless restored). */
export interface ContextFeatures {
  inbound: number;
  upnp: number;
  portMap: number;
}

/** Octaves of a feature in window `w` above the device's normal (its baseline median). */
function aboveNormal(w: ClosedWindow, baseline: DeviceBaseline, name: string, i: number): number {
  if (i < 0) return 0;
  const level = logScale(w.record.features[name as keyof typeof w.record.features] ?? 0);
  const normal = baseline.hist.total > 0 ? baseline.hist.logQuantile(i, 0.5) : 0;
  return Math.max(0, level - normal);
}

/**
 * The inputs of one window before holding, into `out` (CONTEXT_INPUTS order), all but
 * `newEndpointRepeats` (the trace counts those, over windows).
 */
export function windowContext(
  w: ClosedWindow,
  baseline: DeviceBaseline,
  at: ContextFeatures,
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
  let queries = 0;
  for (const d of ev.dns) if (!baseline.knowsDomain(d.domain)) queries += d.queries;
  out[0] = logScale(flows);
  out[1] = beacon;
  out[2] = aboveNormal(w, baseline, 'inboundAccepted', at.inbound);
  out[3] = logScale(queries);
  out[4] = 0;
  out[5] = Math.max(
    aboveNormal(w, baseline, 'upnpPortMappings', at.upnp),
    aboveNormal(w, baseline, 'portMapRequests', at.portMap),
  );
}

/** Index of newEndpointRepeats in CONTEXT_INPUTS. */
const REPEATS = CONTEXT_INPUTS.indexOf('newEndpointRepeats');

/**
 * Counts window `w`'s contacts to endpoints `baseline` does not know into `endpoints` (one per
 * endpoint and window, the older count halved every `halfLifeS`); returns the octaves of the
 * repeats beyond the first of the most repeated one, log2(1 + max(0, count − 1)).
 */
export function countRepeats(
  w: ClosedWindow,
  baseline: DeviceBaseline,
  endpoints: Map<string, Repeats>,
  halfLifeS: number,
): number {
  const t = w.record.end;
  for (const p of w.evidence.peers) {
    if (p.local || p.flows === 0 || baseline.knowsRemote(p.ip, p.name)) continue;
    const e = endpoints.get(p.ip);
    // One count per window: a peer may be listed once per port and protocol.
    if (e !== undefined && e.t === t) continue;
    const before = e === undefined ? 0 : e.count * 2 ** (-Math.max(0, t - e.t) / halfLifeS);
    endpoints.delete(p.ip);
    endpoints.set(p.ip, { count: before + 1, t });
    if (endpoints.size > MAX_ENDPOINTS) endpoints.delete(endpoints.keys().next().value as string);
  }
  let most = 0;
  for (const [ip, e] of endpoints) {
    const c = e.count * 2 ** (-Math.max(0, t - e.t) / halfLifeS);
    if (c < MIN_COUNT) endpoints.delete(ip);
    else if (c > most) most = c;
  }
  return logScale(Math.max(0, most - 1));
}

/** Per-device held context inputs (module comment). */
export class ContextTrace {
  readonly halfLives: ContextHalfLives;
  readonly #held = new Map<string, Held>();
  readonly #now = new Float64Array(CONTEXT_INPUTS.length);
  /** Half-life of each held input (CONTEXT_INPUTS order). */
  readonly #holdS: Float64Array;
  readonly #at: ContextFeatures = { inbound: -1, upnp: -1, portMap: -1 };

  constructor(halfLives: ContextHalfLives) {
    this.halfLives = { ...halfLives };
    this.#holdS = Float64Array.from(CONTEXT_INPUTS, (n) =>
      n === 'portMapsAboveNormal' ? halfLives.portMapsS : halfLives.heldS,
    );
  }

  /** Where `baseline` keeps the features read (schema order, unless restored from another). */
  #features(baseline: DeviceBaseline): ContextFeatures {
    const at = this.#at;
    const find = (name: string): number => {
      const i = FEATURE_NAMES.indexOf(name as (typeof FEATURE_NAMES)[number]);
      return baseline.features[i] === name ? i : baseline.featureIndex(name);
    };
    at.inbound = find('inboundAccepted');
    at.upnp = find('upnpPortMappings');
    at.portMap = find('portMapRequests');
    return at;
  }

  /** The held inputs after window `w` of a device, into `out`. */
  next(w: ClosedWindow, baseline: DeviceBaseline, out: Float64Array): void {
    windowContext(w, baseline, this.#features(baseline), this.#now);
    const mac = w.device.macStr;
    const end = w.record.end;
    const m = this.#held;
    let h = m.get(mac);
    if (h === undefined) {
      h = { end, values: new Float64Array(CONTEXT_INPUTS.length), endpoints: new Map() };
      if (m.size >= MAX_DEVICES) m.delete(m.keys().next().value as string);
    } else m.delete(mac);
    m.set(mac, h);
    this.#now[REPEATS] = countRepeats(w, baseline, h.endpoints, this.halfLives.repeatsS);
    const dt = Math.max(0, end - h.end);
    for (let i = 0; i < out.length; i++) {
      const v = Math.max(this.#now[i], h.values[i] * 2 ** (-dt / this.#holdS[i]));
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
      halfLives: { ...this.halfLives },
      inputs: [...CONTEXT_INPUTS],
      devices: [...this.#held].map(([mac, h]) => ({
        mac,
        end: h.end,
        values: [...h.values],
        endpoints: [...h.endpoints].map(([ip, e]): [string, number, number] => [ip, e.count, e.t]),
      })),
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
      (['heldS', 'portMapsS', 'repeatsS'] as const).some(
        (k) => snap.halfLives?.[k] !== this.halfLives[k],
      ) ||
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
        !o.values.every((v) => typeof v === 'number' && Number.isFinite(v) && v >= 0) ||
        !Array.isArray(o.endpoints) ||
        !o.endpoints.every(isEndpoint)
      )
        throw new HomewatchError('ERR_STATE', 'model context: a device entry is damaged');
      const endpoints = new Map<string, Repeats>();
      for (const [ip, count, t] of o.endpoints.slice(-MAX_ENDPOINTS)) {
        endpoints.delete(ip);
        endpoints.set(ip, { count, t });
      }
      held.delete(o.mac);
      held.set(o.mac, { end: o.end, values: Float64Array.from(o.values), endpoints });
    }
    for (const [mac, h] of [...held].slice(-MAX_DEVICES)) this.#held.set(mac, h);
  }
}

/** An endpoint entry of a saved trace: [address, count ≥ 0, finite packet time]. */
function isEndpoint(e: unknown): e is [string, number, number] {
  return (
    Array.isArray(e) &&
    e.length === 3 &&
    typeof e[0] === 'string' &&
    typeof e[1] === 'number' &&
    Number.isFinite(e[1]) &&
    e[1] >= 0 &&
    typeof e[2] === 'number' &&
    Number.isFinite(e[2])
  );
}
