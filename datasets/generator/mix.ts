/**
 * Which devices a scenario home has, and which behaviours are injected: the seed's own
 * mix (the kinds every trap needs first, then the rest drawn), `--mix` lists, and
 * `--inject` lists.
 * @module
 */
import { BEHAVIOURS, type Behaviour } from './labels.js';
import { INJECTORS } from './inject/index.js';
import { Rng } from './prng.js';
import { PROFILES, type DeviceKind } from './profiles.js';

const KINDS = Object.keys(PROFILES) as DeviceKind[];
/** Kinds the traps live on: a home of at least six has each of them. */
const TRAP_KINDS: readonly DeviceKind[] = ['camera', 'speaker', 'phone', 'laptop', 'lock', 'tv'];
/** The other kinds, drawn in a seed's order next. */
const OTHER_KINDS: readonly DeviceKind[] = [
  'toy',
  'vacuum',
  'plug',
  'hub',
  'printer',
  'thermostat',
];
/** Past twelve devices, kinds are drawn with these weights (homes have many plugs). */
const EXTRA_WEIGHTS: readonly (readonly [DeviceKind, number])[] = [
  ['plug', 3],
  ['camera', 1],
  ['speaker', 1],
  ['phone', 1],
  ['laptop', 1],
  ['tv', 1],
  ['hub', 1],
  ['toy', 1],
  ['thermostat', 1],
  ['printer', 1],
  ['lock', 1],
  ['vacuum', 1],
];
const EXTRA_POOL: readonly DeviceKind[] = EXTRA_WEIGHTS.flatMap(([k, n]) =>
  new Array<DeviceKind>(n).fill(k),
);

/** A home of `n` devices for this seed, in the order they take addresses (.2 upward). */
export function scenarioMix(seed: number, n: number): DeviceKind[] {
  const r = new Rng(seed ^ 0x6d697821);
  const others = [...OTHER_KINDS];
  for (let i = others.length - 1; i > 0; i--) {
    const j = r.int(0, i);
    [others[i], others[j]] = [others[j], others[i]];
  }
  const kinds = [...TRAP_KINDS, ...others].slice(0, n);
  while (kinds.length < n) kinds.push(r.pick(EXTRA_POOL));
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = r.int(0, i);
    [kinds[i], kinds[j]] = [kinds[j], kinds[i]];
  }
  return kinds;
}

/** `camera:2,plug,toy` → the kinds in that order; throws on an unknown kind or count. */
export function parseMix(text: string): DeviceKind[] {
  const out: DeviceKind[] = [];
  for (const item of text.split(',')) {
    const [kind, count = '1'] = item.trim().split(':');
    if (!KINDS.includes(kind as DeviceKind)) {
      throw new Error(`--mix: unknown kind '${kind}' (kinds: ${KINDS.join(', ')})`);
    }
    const n = Number(count);
    if (!Number.isInteger(n) || n < 1 || n > 1000) {
      throw new Error(
        `--mix: count of '${kind}' must be an integer from 1 to 1000, got '${count}'`,
      );
    }
    for (let i = 0; i < n; i++) out.push(kind as DeviceKind);
  }
  if (out.length > 1000) throw new Error(`--mix: ${out.length} devices, at most 1000`);
  return out;
}

export interface InjectRequest {
  behaviour: Behaviour;
  /** A variant of the injector, or null to draw one from the seed. */
  variant: string | null;
  /** The kind of device to carry it, or null for any kind the injector fits. */
  kind: DeviceKind | null;
  /**
   * From code only (the robustness sweep, bench/robustness.ts): parameters that replace what
   * the injector would draw (see each injector's `tune` keys; `seconds` sets the length).
   * Everything is still drawn first, so a request without it gives the same home.
   */
  tune?: Readonly<Record<string, number>>;
}

/** `all`, `none`, or `beaconing,dns_anomaly:dga,scan@camera,…` (a behaviour may repeat). */
export function parseInject(text: string): InjectRequest[] {
  if (text === 'none') return [];
  if (text === 'all')
    return BEHAVIOURS.map((behaviour) => ({ behaviour, variant: null, kind: null }));
  return text.split(',').map((item) => {
    const [head, kind] = item.trim().split('@');
    const [b, variant] = head.split(':');
    if (!(BEHAVIOURS as readonly string[]).includes(b)) {
      throw new Error(
        `--inject: unknown behaviour '${b}' (all, none, or a list of: ${BEHAVIOURS.join(', ')})`,
      );
    }
    const inj = INJECTORS[b as Behaviour];
    if (variant !== undefined && !inj.variants.some(([v]) => v === variant)) {
      throw new Error(
        `--inject: ${b} has no variant '${variant}' (variants: ${inj.variants.map(([v]) => v).join(', ')})`,
      );
    }
    const fit = [...inj.kinds, ...(inj.byName ?? [])];
    if (kind !== undefined && !fit.includes(kind as DeviceKind)) {
      throw new Error(`--inject: ${b} does not fit a ${kind} (kinds: ${fit.join(', ')})`);
    }
    return {
      behaviour: b as Behaviour,
      variant: variant ?? null,
      kind: (kind as DeviceKind | undefined) ?? null,
    };
  });
}
