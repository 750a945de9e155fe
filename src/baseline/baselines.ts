/**
 * Every device's baseline, keyed by MAC, with the learning policy they share. The runtime asks
 * for a device's baseline before judging a window and hands the window back afterwards, saying
 * whether it was clean. Bounded: at most `maxDevices` baselines, the longest-silent dropped
 * first (counted).
 * @module
 */
import { FEATURE_NAMES } from '../features/schema.js';
import type { ClosedWindow } from '../features/windows.js';
import { HomewatchError } from '../util/errors.js';
import {
  DEFAULT_BASELINE_LIMITS,
  DeviceBaseline,
  type DeviceBaselineSnapshot,
  type LearningPolicy,
} from './device-baseline.js';

/**
 * Defaults: one hour of learning, at least a third of it active (20 minutes), a week's
 * half-life, 12 hours of probation for new keys, 30 minutes of quarantine for new windows.
 */
export function learningPolicy(learnS: number, windowS: number): LearningPolicy {
  return {
    learnS,
    minActiveWindows: learnS > 0 ? Math.max(10, Math.ceil(learnS / windowS / 3)) : 0,
    halfLifeS: 7 * 86400,
    promoteS: 12 * 3600,
    quarantineS: 1800,
    windowS,
  };
}

/**
 * Format 2 added each device's `hourly` buckets; format 1 (without them) still loads, its
 * buckets empty, so the all-day baselines judge until the buckets have evidence again.
 */
export const BASELINES_FORMAT = 2;

export interface BaselinesSnapshot {
  version: 1 | 2;
  devices: DeviceBaselineSnapshot[];
  evicted: number;
}

export class Baselines {
  readonly policy: LearningPolicy;
  readonly maxDevices: number;
  /** Baselines dropped to stay within maxDevices. */
  evicted = 0;
  /** By MAC, least recently updated first. */
  readonly #byMac = new Map<string, DeviceBaseline>();

  constructor(policy: LearningPolicy, maxDevices = 4096) {
    this.policy = policy;
    this.maxDevices = maxDevices;
  }

  get size(): number {
    return this.#byMac.size;
  }

  /** The device's baseline, created at its first window. */
  of(w: ClosedWindow): DeviceBaseline {
    const mac = w.device.macStr;
    let b = this.#byMac.get(mac);
    if (b === undefined) {
      if (this.#byMac.size >= this.maxDevices) {
        this.#byMac.delete(this.#byMac.keys().next().value as string);
        this.evicted++;
      }
      b = new DeviceBaseline(mac, w.device.firstSeen, FEATURE_NAMES, DEFAULT_BASELINE_LIMITS);
      if (this.policy.learnS <= 0) b.markLearned(w.record.start);
      this.#byMac.set(mac, b);
    }
    return b;
  }

  get(mac: string): DeviceBaseline | undefined {
    return this.#byMac.get(mac);
  }

  /** Takes the judged window in; true when it ended the device's learning phase. */
  observe(w: ClosedWindow, clean: boolean): boolean {
    const b = this.of(w);
    const m = this.#byMac;
    m.delete(b.mac);
    m.set(b.mac, b);
    return b.observe(w, clean, this.policy);
  }

  all(): DeviceBaseline[] {
    return [...this.#byMac.values()];
  }

  snapshot(): BaselinesSnapshot {
    return {
      version: BASELINES_FORMAT,
      devices: this.all().map((b) => b.snapshot()),
      evicted: this.evicted,
    };
  }

  /** Restores saved baselines; throws ERR_STATE when the part is not one. */
  restore(s: unknown): void {
    const snap = s as BaselinesSnapshot | undefined;
    if (snap === undefined || snap === null) return;
    if ((snap.version !== 1 && snap.version !== 2) || !Array.isArray(snap.devices))
      throw new HomewatchError('ERR_STATE', 'baselines: unknown format');
    this.#byMac.clear();
    for (const d of snap.devices) {
      const b = DeviceBaseline.restore(d, FEATURE_NAMES, DEFAULT_BASELINE_LIMITS);
      this.#byMac.set(b.mac, b);
    }
    this.evicted = snap.evicted ?? 0;
  }
}
