/**
 * One small interface every behaviour's detector meets (DESIGN.md's behaviour vocabulary):
 * it looks at a device's closed window — features, evidence, the device's baseline — and
 * returns findings with the facts behind them; it says in one sentence what an episode of its
 * findings means. A new behaviour is one new file in `src/detect/` and one row in `index.ts`.
 * @module
 */
import type { DeviceBaseline } from '../baseline/device-baseline.js';
import type { ClosedWindow } from '../features/windows.js';
import type { Severity } from '../sinks/records.js';

export const BEHAVIOURS = [
  'new_device',
  'beaconing',
  'abnormal_upload',
  'scan',
  'lateral_movement',
  'brute_force',
  'upnp_exposure',
  'inbound_exposure',
  'malware_download',
  'dns_anomaly',
  'crypto_mining',
  'anomaly',
] as const;

export type Behaviour = (typeof BEHAVIOURS)[number];

export function isBehaviour(s: string): s is Behaviour {
  return (BEHAVIOURS as readonly string[]).includes(s);
}

/** What a detector sees of the home beyond the device itself. */
export interface HomeView {
  /** Packet time of the first packet this agent saw (or its saved state's). */
  firstTs: number;
  /** The learning phase, seconds (0: judge with no baseline). */
  learnS: number;
  /** Addresses of the gateway (router), as text. */
  gatewayIps: readonly string[];
  /** The kind of a device ('unknown' when not known), by MAC. */
  kindOf(mac: string): string;
}

export interface DetectContext {
  w: ClosedWindow;
  baseline: DeviceBaseline;
  /** The device's learning phase is over (or there is none): baseline judgements may alert. */
  judged: boolean;
  home: HomeView;
  /** What the device is ('unknown' when not known). */
  kind: string;
}

/** One thing a detector found in one window. */
export interface Finding<F extends object = object> {
  behaviour: Behaviour;
  /**
   * What makes two findings one episode beside device and behaviour (e.g. the endpoint for
   * beaconing); '' when one episode per device and behaviour.
   */
  key: string;
  /** Packet time of the first evidence in the window. */
  ts: number;
  /** How sure, 0 … 1. */
  score: number;
  severity: Severity;
  /** The evidence: what the sentence is built from; copied into the alert's `evidence`. */
  facts: F;
}

/** What an episode's sentence is built from. */
export interface EpisodeView<F extends object = object> {
  /** The device in words: "Robot vacuum (Roborock, 192.168.1.23)". */
  who: string;
  /** Packet time of the episode's first evidence. */
  since: number;
  /** Packet time of its latest evidence. */
  last: number;
  /** Windows with findings in the episode. */
  windows: number;
  /** The facts merged over the episode. */
  facts: F;
}

export interface Detector<F extends object = object> {
  readonly behaviour: Behaviour;
  /** Judges the device against its own normal: silent during its learning phase. */
  readonly needsBaseline: boolean;
  /** What a household should do about it (README, and the alert's evidence). */
  readonly advice: string;
  /** Advice for this episode's facts when they call for other steps (default: `advice`). */
  adviceFor?(facts: F): string;
  detect(ctx: DetectContext): Finding<F>[];
  /**
   * A rise of an open episode's severity is written at once (an `update`), not at the next
   * UPDATE_S (malware_download: a command alone, then the download it asked for).
   */
  readonly escalates?: boolean;
  /** Folds a new finding's facts into the episode's (default: the newest facts). */
  merge?(episode: F, next: F): F;
  /** One sentence a person can read, from the episode's facts. */
  sentence(ep: EpisodeView<F>): string;
  /** Forgets per-device memory (the device was evicted). */
  forget?(mac: string): void;
  /**
   * It holds a finding of the device's latest window back, to be told by the next window (a
   * window judged so is not learned from, as if it had found something).
   */
  holds?(mac: string): boolean;
  /**
   * The findings it held back for devices that had no window since — a device quiet after a
   * burst — each with its device's MAC: asked after each batch of closed windows ending at
   * `end` (Infinity at the end of input, which releases all; not asked then when the run keeps
   * its state: the detector saves what it holds in `snapshot`).
   */
  release?(end: number): { mac: string; finding: Finding<F> }[];
  /**
   * Its memory beyond the window (slow scans, streaks, tallies), for `--state`: so a restart, or
   * the next of a series of capture files, goes on where this one stopped. Maps and Sets are
   * fine (state/codec.ts makes them JSON).
   */
  snapshot?(): unknown;
  /** Takes back what `snapshot` gave; throws ERR_STATE (codec.ts's checks) on a wrong shape. */
  restore?(saved: unknown): void;
}
