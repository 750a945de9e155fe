/**
 * A device's kind from the evidence its traffic gives (README, "Device kinds").
 *
 * Evidence comes as facts ("mDNS _googlecast._tcp" supports `streamer` with weight 0.7), found
 * by the tables in `kind-tables.ts` in what the app peeks keep (`kind-facts.ts`), only for
 * packets that carry an app record, never per plain packet. A device keeps a bounded set of
 * distinct facts: a fact seen a thousand times counts once, so a replay of the same traffic
 * changes nothing and a chatty announcement does not outweigh a rare but telling one.
 *
 * Scoring: per kind, the weights of its facts combine as independent evidence (noisy-OR:
 * 1 − Π(1 − w)). The leading kind's confidence is its score less half the best other kind's:
 * contradicting evidence lowers it. A device gets a kind when the confidence reaches
 * `KIND_FLOOR`; otherwise it stays `unknown` (wrong is worse than unknown).
 *
 * Hysteresis: once decided, the kind stays while its confidence is at least `KIND_KEEP`, and
 * changes to another only when that kind's score clearly exceeds it (`KIND_SWITCH_MARGIN`) with
 * a confidence above the floor. A kind changes on evidence, never on a packet's whim.
 * @module
 */
import { DEVICE_KINDS, type DeviceKind, isDeviceKind } from './kinds.js';

/** One piece of evidence: `label` for people, `key` identifies it (one per table row). */
export interface KindFact {
  key: string;
  label: string;
  kind: DeviceKind;
  /** 0 … 1: how strongly this fact alone says `kind`. */
  weight: number;
}

/** Confidence a kind needs to be given. */
export const KIND_FLOOR = 0.5;
/** Confidence below which a decided kind is given up. */
export const KIND_KEEP = 0.35;
/** Score lead another kind needs over the current one to replace it. */
export const KIND_SWITCH_MARGIN = 0.2;
/** Distinct facts kept per device; further ones replace the weakest when stronger. */
export const MAX_FACTS = 32;
/** Facts shown in `kindEvidence`. */
export const MAX_SHOWN = 3;
/** Raw inputs remembered per device so repeats skip the table lookups. */
const MAX_SEEN = 128;

/** What a raw input was seen as (KindEvidence.firstSight): one bit each. */
export const enum Sight {
  DhcpClass = 1,
  DhcpParams = 2,
  DhcpHost = 4,
  Domain = 8,
  Mdns = 16,
  SsdpTarget = 32,
  SsdpServer = 64,
}

const GATEWAY_FACT: KindFact = {
  key: 'role:gateway',
  label: 'gateway role',
  kind: 'router',
  weight: 0.9,
};

const KIND_INDEX = new Map<DeviceKind, number>(DEVICE_KINDS.map((k, i) => [k, i]));

export class KindEvidence {
  kind: DeviceKind = 'unknown';
  /** 0 … 1 for `kind` (0 while unknown). */
  confidence = 0;
  /** Labels of the facts that decided `kind`, strongest first. */
  evidence: readonly string[] = [];
  /** Facts not kept because MAX_FACTS were held and they were weaker than all of them. */
  refused = 0;
  /**
   * Bits of the HTTP client rows (`kind-http.ts`) whose host the device named in a DNS question,
   * a TLS SNI or an HTTP Host: their paths count in requests whose Host the peek did not see.
   * Not saved: a fact found is saved, the hint that would find it again is seen again.
   */
  hostsNamed = 0;

  readonly #facts: KindFact[] = [];
  #gateway = false;
  /**
   * Raw inputs asked about, each with the bits of the `Sight` kinds it was asked under (a name
   * looked up by DNS and announced by mDNS is two inputs), and how many (input, kind) pairs.
   */
  readonly #seen = new Map<string, number>();
  #seenCount = 0;

  /** Facts held, oldest first (for snapshots). */
  facts(): readonly KindFact[] {
    return this.#facts;
  }

  /**
   * True the first time `raw` is asked about as a `sight` (then remembered): callers skip the
   * table lookups for inputs they already looked at. Bounded: MAX_SEEN (input, sight) pairs,
   * forgotten all at once when full. The sight is a bit beside the text, not a prefix glued to
   * it: no string is built per DNS question or ClientHello.
   */
  firstSight(sight: Sight, raw: string): boolean {
    const seen = this.#seen;
    const bits = seen.get(raw);
    if (bits !== undefined && (bits & sight) !== 0) return false;
    if (this.#seenCount >= MAX_SEEN) {
      seen.clear();
      this.#seenCount = 0;
      seen.set(raw, sight);
    } else seen.set(raw, (bits ?? 0) | sight);
    this.#seenCount++;
    return true;
  }

  /** Adds facts; true when the kind changed. */
  add(facts: readonly KindFact[]): boolean {
    let added = false;
    for (const f of facts) if (this.#addOne(f)) added = true;
    return added && this.#decide();
  }

  /** The gateway role is a live fact: it comes and goes with the role. True when the kind changed. */
  setGateway(isGateway: boolean): boolean {
    if (this.#gateway === isGateway) return false;
    this.#gateway = isGateway;
    return this.#decide();
  }

  /** Restores saved facts and the saved kind (no hysteresis step: the saved kind stands). */
  load(facts: readonly KindFact[], kind: DeviceKind, isGateway: boolean): void {
    this.#facts.length = 0;
    for (const f of facts) this.#addOne(f);
    this.#gateway = isGateway;
    this.kind = kind;
    this.#decide();
  }

  #addOne(f: KindFact): boolean {
    const facts = this.#facts;
    for (const g of facts) if (g.key === f.key && g.kind === f.kind) return false;
    if (facts.length < MAX_FACTS) {
      facts.push(f);
      return true;
    }
    let weakest = 0;
    for (let i = 1; i < facts.length; i++) if (facts[i].weight < facts[weakest].weight) weakest = i;
    if (facts[weakest].weight >= f.weight) {
      this.refused++;
      return false;
    }
    facts.splice(weakest, 1);
    facts.push(f);
    return true;
  }

  /** Scores, then applies the floor and the hysteresis; true when the kind changed. */
  #decide(): boolean {
    const scores = new Float64Array(DEVICE_KINDS.length);
    const miss = scores.fill(1); // Π(1 − w) per kind
    const all = this.#gateway ? [...this.#facts, GATEWAY_FACT] : this.#facts;
    for (const f of all) {
      const i = KIND_INDEX.get(f.kind) ?? -1;
      if (i >= 0 && f.kind !== 'unknown') miss[i] *= 1 - Math.min(1, Math.max(0, f.weight));
    }
    for (let i = 0; i < scores.length; i++) scores[i] = 1 - miss[i];
    const confidenceOf = (k: number): number => {
      let other = 0;
      for (let i = 0; i < scores.length; i++) if (i !== k && scores[i] > other) other = scores[i];
      return Math.max(0, scores[k] - other / 2);
    };
    let best = -1;
    for (let i = 0; i < scores.length; i++) {
      if (scores[i] > 0 && (best < 0 || scores[i] > scores[best])) best = i;
    }
    const current = this.kind === 'unknown' ? -1 : (KIND_INDEX.get(this.kind) ?? -1);
    let next = current;
    if (current < 0) {
      if (best >= 0 && confidenceOf(best) >= KIND_FLOOR) next = best;
    } else if (best !== current && best >= 0) {
      const clearly =
        scores[best] - scores[current] >= KIND_SWITCH_MARGIN && confidenceOf(best) >= KIND_FLOOR;
      if (clearly) next = best;
      else if (confidenceOf(current) < KIND_KEEP) next = -1;
    } else if (confidenceOf(current) < KIND_KEEP) {
      next = -1;
    }
    const kind: DeviceKind = next < 0 ? 'unknown' : DEVICE_KINDS[next];
    const changed = kind !== this.kind;
    this.kind = kind;
    this.confidence = next < 0 ? 0 : Math.round(confidenceOf(next) * 100) / 100;
    this.evidence = next < 0 ? [] : shown(all, kind);
    return changed;
  }
}

/** The strongest distinct labels supporting `kind`. */
function shown(facts: readonly KindFact[], kind: DeviceKind): string[] {
  const labels: string[] = [];
  const support = facts.filter((f) => f.kind === kind).sort((a, b) => b.weight - a.weight);
  for (const f of support) {
    if (!labels.includes(f.label)) labels.push(f.label);
    if (labels.length >= MAX_SHOWN) break;
  }
  return labels;
}

/** Checks a saved fact; null when it is not one. */
export function parseFact(v: unknown): KindFact | null {
  if (!Array.isArray(v) || v.length !== 4) return null;
  const [key, label, kind, weight] = v as unknown[];
  if (typeof key !== 'string' || key.length > 300) return null;
  if (typeof label !== 'string' || label.length > 300) return null;
  if (!isDeviceKind(kind) || kind === 'unknown') return null;
  if (typeof weight !== 'number' || !(weight > 0 && weight <= 1)) return null;
  return { key, label, kind, weight };
}

/** A fact as saved: [key, label, kind, weight]. */
export type SavedFact = [key: string, label: string, kind: DeviceKind, weight: number];

export function saveFact(f: KindFact): SavedFact {
  return [f.key, f.label, f.kind, f.weight];
}
