/**
 * What the scan detector (scan.ts) remembers of a device's recent windows: per window of the
 * last `SPAN_WINDOWS`, the hosts of each side (LAN, internet) that failed an attempt, and the
 * hosts probed on several ports with those ports. A sweep or a port scan spread over a few
 * windows adds up here; the windows are kept by time, so a gap without activity counts as
 * quiet. Saved with `--state` (the scan detector's `memory`).
 * @module
 */
import type { PeerEvidence } from '../features/evidence.js';
import {
  expectMap,
  expectNumbers,
  expectObject,
  expectStrings,
  refill,
  stateError,
} from '../state/codec.js';

/** Windows the host counts are summed over (5 min with 60 s windows). */
export const SPAN_WINDOWS = 5;
/** Hosts and ports per host remembered per window for port scans spread over windows. */
export const MAX_HOSTS = 16;
export const MAX_PORTS = 256;

/** What a window without failures or probes leaves in the memory (shared, never changed). */
export const NO_HOSTS: ReadonlySet<string> = new Set();
export const NO_PORTS: ReadonlyMap<string, readonly number[]> = new Map();

/** One side's failed attempts in a window. */
export interface Side {
  hosts: Set<string>;
  failed: number;
  byPort: Map<number, number>;
}

/**
 * Failed attempts to hosts of one side. Hosts the device was told about by DNS are left out:
 * a scanner picks addresses, it does not look them up; a device whose cloud does not answer
 * (no internet, a set-up network) fails on the addresses its lookups gave it.
 */
export function side(peers: readonly PeerEvidence[], local: boolean): Side {
  const s: Side = { hosts: new Set(), failed: 0, byPort: new Map() };
  for (const p of peers) {
    if (p.local !== local || p.failed === 0 || p.dnsAnswered) continue;
    s.failed += p.failed;
    if (!s.hosts.has(p.ip)) s.hosts.add(p.ip);
    s.byPort.set(p.port, (s.byPort.get(p.port) ?? 0) + 1);
  }
  return s;
}

/** Distinct hosts over the span's windows. */
export function union(sets: readonly ReadonlySet<string>[]): number {
  if (sets.length === 1) return sets[0].size;
  const all = new Set<string>();
  for (const s of sets) for (const h of s) all.add(h);
  return all.size;
}

/** The five ports with the most hosts, most first. */
export function topPorts(byPort: Map<number, number>): number[] {
  return [...byPort.entries()]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, 5)
    .map(([p]) => p);
}

/** Per device: failed hosts per window over the span, remote and LAN; probed ports per host. */
export interface Memory {
  windows: number[];
  remote: ReadonlySet<string>[];
  lan: ReadonlySet<string>[];
  /** Per window of the span: the hosts probed on several ports, and those ports. */
  ports: ReadonlyMap<string, readonly number[]>[];
}

/** Every device's Memory. */
export class ScanMemory {
  readonly #memory = new Map<string, Memory>();

  /** Adds a window's hosts to the device's memory and drops the windows past the span. */
  remember(
    mac: string,
    start: number,
    remote: ReadonlySet<string>,
    lan: ReadonlySet<string>,
    ports: ReadonlyMap<string, readonly number[]>,
  ): Memory {
    let m = this.#memory.get(mac);
    if (m === undefined)
      this.#memory.set(mac, (m = { windows: [], remote: [], lan: [], ports: [] }));
    m.windows.push(start);
    m.remote.push(remote);
    m.lan.push(lan);
    m.ports.push(ports);
    // Keep only windows within the span (in time, so gaps without activity count as quiet).
    const spanS = SPAN_WINDOWS * 60;
    while (m.windows.length > 0 && start - m.windows[0] >= spanS) {
      m.windows.shift();
      m.remote.shift();
      m.lan.shift();
      m.ports.shift();
    }
    return m;
  }

  forget(mac: string): void {
    this.#memory.delete(mac);
  }

  snapshot(): ReadonlyMap<string, Memory> {
    return this.#memory;
  }

  /** Takes back a snapshot's memory, checked; `what` names it in an error. */
  restore(saved: unknown, what: string): void {
    refill(this.#memory, expectMap(saved, what, memory));
  }
}

/** A saved Memory, checked. */
function memory(x: unknown, what: string): Memory {
  const sets = (v: unknown, w: string): Set<string>[] => {
    if (!Array.isArray(v) || !v.every((s) => s instanceof Set))
      throw stateError(`${w} is not a list of sets`);
    for (const s of v as Set<unknown>[]) expectStrings([...s], w);
    return v as Set<string>[];
  };
  return expectObject<Memory>(x, what, {
    windows: expectNumbers,
    remote: sets,
    lan: sets,
    ports: (v, w) => {
      if (!Array.isArray(v)) throw stateError(`${w} is not a list`);
      for (const m of v) expectMap(m, w, expectNumbers);
      return v as Map<string, number[]>[];
    },
  });
}
