/**
 * One device's normal: how its window features are distributed (a decaying log-scale histogram
 * per feature), and what it is known to use (remote addresses and domains, LAN peers and
 * services). It learns everything during the device's learning phase; afterwards it adapts
 * slowly and only from clean windows (no finding, no open episode), so an ongoing attack cannot
 * teach itself in. The few features a judgement reads by hour of day are also kept by hour
 * (hourly.ts), judged by `highAt` once a bucket has the evidence, by the all-day one before.
 * @module
 */
import type { ClosedWindow } from '../features/windows.js';
import { registrableDomain } from './domain.js';
import { BINS, HistogramSet, logScale } from './histogram.js';
import { BUCKET_HIGH_Q, HOURLY_FEATURES, HourlyBaseline, type HourlySnapshot } from './hourly.js';
import { KnownSet, type KnownSetSnapshot } from './known.js';

export interface BaselineLimits {
  maxEndpoints: number;
  maxDomains: number;
  maxLanPeers: number;
  maxLanServices: number;
}

export const DEFAULT_BASELINE_LIMITS: BaselineLimits = {
  maxEndpoints: 1024,
  maxDomains: 512,
  maxLanPeers: 256,
  maxLanServices: 512,
};

/** How a baseline learns: the phase length, the evidence it needs, and how it adapts. */
export interface LearningPolicy {
  /** Learning phase in seconds of packet time since the device was first seen (0: none). */
  learnS: number;
  /** Active windows the baseline must hold before the phase can end. */
  minActiveWindows: number;
  /** Seconds of packet time for a window's weight to halve, after learning. */
  halfLifeS: number;
  /** Seconds a key seen after learning waits on probation before it is known. */
  promoteS: number;
  /**
   * Seconds a clean window waits after learning before its features join the baseline; an
   * unclean window (a finding, an open episode) discards the windows waiting, since the
   * behaviour found may have begun before it was recognised.
   */
  quarantineS: number;
  windowS: number;
}

export type LearningStatus =
  | { learning: false; since: number }
  | { learning: true; reason: 'time' | 'evidence'; activeWindows: number; needed: number };

export interface DeviceBaselineSnapshot {
  mac: string;
  firstSeen: number;
  learnedAt: number | null;
  activeWindows: number;
  windowsSeen: number;
  features: string[];
  /** Histogram weights, BINS per feature, as a plain array (rounded). */
  counts: number[];
  total: number;
  endpoints: KnownSetSnapshot;
  domains: KnownSetSnapshot;
  lanPeers: KnownSetSnapshot;
  lanServices: KnownSetSnapshot;
  /** By hour of day (absent in baselines saved before format 2: they start empty). */
  hourly?: HourlySnapshot;
  /**
   * Clean windows waiting out the quarantine, oldest first, their values in `features` order
   * (absent in baselines saved before 2026-12-05: none wait after such a restart).
   */
  waiting?: WaitingSnapshot[];
}

export interface WaitingSnapshot {
  start: number;
  end: number;
  values: number[];
}

export class DeviceBaseline {
  readonly mac: string;
  readonly firstSeen: number;
  /** Packet time the learning phase ended, or null while learning. */
  learnedAt: number | null = null;
  /** Windows with activity that the baseline has taken in. */
  activeWindows = 0;
  /** Windows of the device judged so far, clean or not. */
  windowsSeen = 0;
  readonly features: readonly string[];
  readonly hist: HistogramSet;
  /** Remote addresses it reached. */
  readonly endpoints: KnownSet;
  /** Registrable domains of the names it looked up or connected to (SNI, Host). */
  readonly domains: KnownSet;
  /** LAN addresses it started flows to, and LAN services (address:port). */
  readonly lanPeers: KnownSet;
  readonly lanServices: KnownSet;
  /** HOURLY_FEATURES by hour of day. */
  hourly: HourlyBaseline;
  /** Index in `features` of each of HOURLY_FEATURES (-1: not a feature of this baseline). */
  readonly #hourlyIndex: Int32Array;
  readonly #values: Float64Array;
  readonly #hourlyValues: Float64Array;
  /** Clean windows after learning, waiting out the quarantine: times and feature values. */
  readonly #waiting: { start: number; end: number; values: Float64Array }[] = [];

  constructor(
    mac: string,
    firstSeen: number,
    features: readonly string[],
    limits: BaselineLimits = DEFAULT_BASELINE_LIMITS,
  ) {
    this.mac = mac;
    this.firstSeen = firstSeen;
    this.features = features;
    this.hist = new HistogramSet(features.length);
    this.endpoints = new KnownSet(limits.maxEndpoints);
    this.domains = new KnownSet(limits.maxDomains);
    this.lanPeers = new KnownSet(limits.maxLanPeers);
    this.lanServices = new KnownSet(limits.maxLanServices);
    this.#values = new Float64Array(features.length);
    this.hourly = new HourlyBaseline();
    this.#hourlyIndex = Int32Array.from(HOURLY_FEATURES, (n) => features.indexOf(n));
    this.#hourlyValues = new Float64Array(HOURLY_FEATURES.length);
  }

  get learning(): boolean {
    return this.learnedAt === null;
  }

  status(now: number, p: LearningPolicy): LearningStatus {
    if (this.learnedAt !== null) return { learning: false, since: this.learnedAt };
    return {
      learning: true,
      reason: now - this.firstSeen < p.learnS ? 'time' : 'evidence',
      activeWindows: this.activeWindows,
      needed: p.minActiveWindows,
    };
  }

  /** The device knew this remote address, or the domain of the name it reached it by. */
  knowsRemote(ip: string, name: string): boolean {
    if (this.endpoints.has(ip)) return true;
    return name !== '' && this.domains.has(registrableDomain(name));
  }

  knowsDomain(name: string): boolean {
    return name !== '' && this.domains.has(registrableDomain(name));
  }

  /** The device used this LAN service: at this address, or on the same device (`mac`) at another. */
  knowsLanService(ip: string, port: number, mac = ''): boolean {
    if (this.lanServices.has(`${ip}:${port}`)) return true;
    return mac !== '' && this.lanServices.has(`@${mac}:${port}`);
  }

  /** The device talked to this LAN peer: at this address, or to the same device at another. */
  knowsLanPeer(ip: string, mac = ''): boolean {
    return this.lanPeers.has(ip) || (mac !== '' && this.lanPeers.has(`@${mac}`));
  }

  /** Index of a feature by name (-1 when this baseline has no such feature). */
  featureIndex(name: string): number {
    return this.features.indexOf(name);
  }

  /** The q-quantile of a feature over the learned windows (0 when unknown or empty). */
  quantile(name: string, q: number): number {
    const f = this.featureIndex(name);
    return f < 0 ? 0 : this.hist.quantile(f, q);
  }

  /**
   * The device's normal high of a feature (its q-quantile, q high) at the hour of packet time
   * `ts`: for a feature kept by hour whose bucket has the evidence to judge, the lower of the
   * all-day q-quantile and the bucket's top (hourly.ts); else the all-day q-quantile.
   */
  highAt(name: string, q: number, ts: number): number {
    const all = this.quantile(name, q);
    const i = HOURLY_FEATURES.indexOf(name);
    if (i < 0 || this.#hourlyIndex[i] < 0 || !this.hourly.ready(ts)) return all;
    return Math.min(all, this.hourly.quantile(i, BUCKET_HIGH_Q, ts));
  }

  /**
   * A feature value relative to this device's normal, on the log scale: (log2(1 + v) − median)
   * / spread, where spread is the inter-quartile range / 1.349 (a robust standard deviation),
   * at least a quarter octave. 0 when the baseline is empty.
   */
  robustZ(f: number, value: number): number {
    const h = this.hist;
    if (h.total <= 0) return 0;
    const med = h.logQuantile(f, 0.5);
    const spread = Math.max((h.logQuantile(f, 0.75) - h.logQuantile(f, 0.25)) / 1.349, 0.25);
    return (logScale(value) - med) / spread;
  }

  /**
   * Takes in one closed window. `clean`: nothing was found in it and no episode of the device
   * is open; an unclean window is never learned. During learning a clean window is learned at
   * once; afterwards its features wait out the quarantine (its keys go on probation at once).
   * Returns true when this window ended the learning phase.
   */
  observe(w: ClosedWindow, clean: boolean, p: LearningPolicy): boolean {
    const now = w.record.end;
    this.windowsSeen++;
    if (!clean) {
      this.#waiting.length = 0;
      return false;
    }
    if (this.learnedAt === null) {
      this.hist.add(this.#read(w, this.#values));
      this.#addHourly(w.record.start, this.#values, 0);
      this.#addKeys(w, now, 0);
      this.activeWindows++;
      if (now - this.firstSeen >= p.learnS && this.activeWindows >= p.minActiveWindows) {
        this.learnedAt = now;
        return true;
      }
      return false;
    }
    this.#addKeys(w, now, p.promoteS);
    const values = this.#read(w, new Float64Array(this.features.length));
    this.#waiting.push({ start: w.record.start, end: now, values });
    while (this.#waiting.length > 0 && now - this.#waiting[0].end >= p.quarantineS) {
      const next = this.#waiting.shift() as { start: number; end: number; values: Float64Array };
      this.hist.decay(2 ** (-p.windowS / p.halfLifeS));
      this.hist.add(next.values);
      this.#addHourly(next.start, next.values, p.halfLifeS);
      this.activeWindows++;
    }
    return false;
  }

  /** Windows waiting out the quarantine. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /** A baseline with nothing learned that judges from the start (`--learn 0`). */
  markLearned(ts: number): void {
    this.learnedAt = ts;
  }

  /** The hourly features of `values` (this baseline's order) into their bucket. */
  #addHourly(ts: number, values: Float64Array, halfLifeS: number): void {
    const out = this.#hourlyValues;
    for (let i = 0; i < out.length; i++) {
      const f = this.#hourlyIndex[i];
      out[i] = f < 0 ? 0 : values[f];
    }
    this.hourly.add(ts, out, halfLifeS);
  }

  /** The window's features in this baseline's order, into `out`. */
  #read(w: ClosedWindow, out: Float64Array): Float64Array {
    const feats = w.record.features;
    for (let i = 0; i < this.features.length; i++) out[i] = feats[this.features[i]] ?? 0;
    return out;
  }

  /** promoteS 0: learn directly; otherwise adapt through probation. */
  #addKeys(w: ClosedWindow, ts: number, promoteS: number): void {
    const add = (set: KnownSet, key: string): void => {
      if (promoteS === 0) set.learn(key, ts);
      else set.adapt(key, ts, promoteS);
    };
    for (const p of w.evidence.peers) {
      if (p.local) {
        add(this.lanPeers, p.ip);
        add(this.lanServices, `${p.ip}:${p.port}`);
        // The neighbour as a device too: its other addresses (IPv4, link-local and global IPv6,
        // a new DHCP lease) are no new peer. '@' keeps these keys apart from addresses.
        if (p.mac !== undefined && p.mac !== '') {
          add(this.lanPeers, `@${p.mac}`);
          add(this.lanServices, `@${p.mac}:${p.port}`);
        }
      } else {
        add(this.endpoints, p.ip);
        if (p.name !== '') add(this.domains, registrableDomain(p.name));
      }
    }
    for (const name of w.evidence.dnsNames) add(this.domains, registrableDomain(name));
  }

  snapshot(): DeviceBaselineSnapshot {
    return {
      mac: this.mac,
      firstSeen: this.firstSeen,
      learnedAt: this.learnedAt,
      activeWindows: this.activeWindows,
      windowsSeen: this.windowsSeen,
      features: [...this.features],
      counts: Array.from(this.hist.dense(), (c) => Math.round(c * 1e4) / 1e4),
      total: this.hist.total,
      endpoints: this.endpoints.snapshot(),
      domains: this.domains.snapshot(),
      lanPeers: this.lanPeers.snapshot(),
      lanServices: this.lanServices.snapshot(),
      hourly: this.hourly.snapshot(),
      waiting: this.#waiting.map((x) => ({ start: x.start, end: x.end, values: [...x.values] })),
    };
  }

  /**
   * Rebuilds a saved baseline for the current feature list: features saved under the same name
   * keep their histograms; features the saved one did not have start empty.
   */
  static restore(
    s: DeviceBaselineSnapshot,
    features: readonly string[],
    limits: BaselineLimits = DEFAULT_BASELINE_LIMITS,
  ): DeviceBaseline {
    const b = new DeviceBaseline(s.mac, s.firstSeen, features, limits);
    b.learnedAt = s.learnedAt;
    b.activeWindows = s.activeWindows;
    b.windowsSeen = s.windowsSeen ?? s.activeWindows;
    const bins = s.features.length > 0 ? s.counts.length / s.features.length : 0;
    if (bins === (features.length > 0 ? BINS : 0)) {
      for (let i = 0; i < features.length; i++) {
        const j = s.features.indexOf(features[i]);
        if (j < 0) {
          // A feature this baseline did not have: as if it had always been 0.
          b.hist.set(i, 0, s.total);
          continue;
        }
        for (let k = 0; k < bins; k++) b.hist.set(i, k, s.counts[j * bins + k]);
      }
      b.hist.total = s.total;
    }
    b.endpoints.restore(s.endpoints);
    b.domains.restore(s.domains);
    b.lanPeers.restore(s.lanPeers);
    b.lanServices.restore(s.lanServices);
    b.hourly = HourlyBaseline.restore(s.hourly);
    b.#restoreWaiting(s, features);
    return b;
  }

  /** The saved quarantine, its values mapped by feature name; entries of another shape skipped. */
  #restoreWaiting(s: DeviceBaselineSnapshot, features: readonly string[]): void {
    if (!Array.isArray(s.waiting)) return;
    const from = features.map((f) => s.features.indexOf(f));
    for (const x of s.waiting as unknown[]) {
      const e = x as Partial<WaitingSnapshot> | null;
      if (e === null || typeof e !== 'object' || !Array.isArray(e.values)) continue;
      if (typeof e.start !== 'number' || typeof e.end !== 'number') continue;
      if (e.values.length !== s.features.length) continue;
      const saved = e.values;
      const values = new Float64Array(features.length);
      for (let i = 0; i < features.length; i++) {
        const v = from[i] < 0 ? 0 : saved[from[i]];
        values[i] = typeof v === 'number' && Number.isFinite(v) ? v : 0;
      }
      this.#waiting.push({ start: e.start, end: e.end, values });
    }
  }
}
