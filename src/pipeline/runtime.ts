/**
 * The runtime: one module assembles the path of a packet for both `replay` and `capture` —
 * pipeline (decode → devices → flows → windows), baselines, detectors, model, alerts, sinks and
 * state — so both commands run the same code. The CLI parses arguments, opens a source, and
 * reports; everything between is here.
 *
 * At every closed window, for each device: its baseline is looked up, every detector judges
 * the window (detectors that judge against the device's own normal stay silent while it
 * learns), the allow-list drops what the household accepts, the findings join alert episodes,
 * and the window goes into the baseline — only when clean (no finding, no open episode) once
 * the device has learned, so an attack cannot teach itself in.
 * @module
 */
import { AllowList } from '../alerts/allow.js';
import { AlertManager, type EpisodeSnapshot } from '../alerts/episodes.js';
import { who } from '../alerts/who.js';
import { Baselines, learningPolicy } from '../baseline/baselines.js';
import { createDetectors } from '../detect/index.js';
import type { DetectContext, Detector, Finding, HomeView } from '../detect/types.js';
import type { DeviceRegistry } from '../devices/registry.js';
import type { ClosedWindow } from '../features/windows.js';
import { ConsoleSink } from '../sinks/console.js';
import { JsonlSink } from '../sinks/jsonl.js';
import type { AlertRecord, OutputRecord, RecordSink } from '../sinks/records.js';
import { TeeSink } from '../sinks/records.js';
import { fromPlain, toPlain } from '../state/codec.js';
import { checkActivities } from '../features/activity-state.js';
import { openRegistry } from '../state/agent-state.js';
import { type StateParts, StateStore } from '../state/state-file.js';
import { HomewatchError } from '../util/errors.js';
import type { WindowScorer } from '../model/types.js';
import {
  deliveryLine,
  type InfluxConfig,
  type InfluxMode,
  type InfluxSink,
  openInfluxSink,
} from '../sinks/influx/index.js';
import { parseMac } from '../decode/addr.js';
import { Pipeline } from './pipeline.js';

/** How long start() waits for InfluxDB's first answer. */
const INFLUX_CHECK_MS = 2000;

export interface RuntimeConfig {
  /** Window length, seconds of packet time. */
  windowS: number;
  lanCidrs: string[];
  /** Each device's learning phase, seconds of packet time (0: judge with no baseline). */
  learnS: number;
  /** Keep devices, baselines, open episodes and the model's memory across runs in DIR/state.json. */
  stateDir?: string;
  /** `--allow FILE`. */
  allowFile?: string;
  /** JSON lines to this file ('-': standard output); none: the console table. */
  out?: string;
  /** Where the console table goes (default: standard output). */
  write?: (text: string) => void;
  /** false: no console table when there is no --out (evaluate collects records itself). */
  console?: boolean;
  /** Extra sinks (InfluxDB, or tests' collectors). */
  sinks?: RecordSink[];
  /**
   * Leave open episodes open, and findings held back held, at the end (with --state: the next
   * run goes on from them); default: close them, and name what was held.
   */
  keepEpisodesOpen?: boolean;
  /** false: windows only, nothing judged (research runs that want features, benchmarks). */
  detect?: boolean;
  /** The model (src/model); without one every window's score is 0. */
  scorer?: WindowScorer;
  /** Points to InfluxDB: its configuration, and the `source` tag of agent points. */
  influx?: { config: InfluxConfig; mode: InfluxMode; source: string };
  /** Lines for a person while running (InfluxDB outages in live mode). */
  warn?: (line: string) => void;
}

/** What a runtime starts from (Runtime.load). */
export interface RuntimeInputs {
  allow: AllowList;
  store: StateStore | null;
  registry: DeviceRegistry;
  saved: RuntimeState;
  warnings: string[];
}

/** What the runtime keeps in the state file, beside the registry's `devices`. */
interface RuntimeState {
  baselines?: unknown;
  episodes?: EpisodeSnapshot[];
  home?: { firstTs: number | null };
  /** The scorer's per-device memory (WindowScorer.snapshot); absent in older state. */
  model?: unknown;
  /** Detectors' memories by behaviour (Detector.snapshot, codec.ts's plain JSON); absent in older state. */
  detectors?: Record<string, unknown>;
  /** The windows stage's memory (DeviceWindows.snapshot); absent in older state. */
  windows?: unknown;
}

export class Runtime {
  readonly config: RuntimeConfig;
  readonly pipeline: Pipeline;
  readonly registry: DeviceRegistry;
  readonly baselines: Baselines;
  readonly detectors: readonly Detector[];
  readonly alerts: AlertManager;
  readonly allow: AllowList;
  readonly sink: RecordSink;
  /** The InfluxDB sink, when configured. */
  readonly influx: InfluxSink | null;
  readonly store: StateStore | null;
  /** Lines for a person (a damaged state file set aside, …). */
  readonly warnings: string[];
  /** Packet time of the first packet of the home (this run's, or the saved state's). */
  #homeFirstTs: number | null = null;
  /** Alert records produced while judging a window, written after its window records. */
  #pending: OutputRecord[] = [];
  #finished = false;

  private constructor(config: RuntimeConfig, inputs: RuntimeInputs) {
    const { registry, saved } = inputs;
    this.config = config;
    this.registry = registry;
    this.store = inputs.store;
    this.warnings = inputs.warnings;
    this.allow = inputs.allow;
    const sinks: RecordSink[] = [...(config.sinks ?? [])];
    this.influx =
      config.influx === undefined
        ? null
        : openInfluxSink(config.influx.config, {
            mode: config.influx.mode,
            stateDir: config.stateDir ?? null,
            source: config.influx.source,
            malformed: (): number => this.pipeline.counters.malformed,
            warn: config.warn,
          });
    if (this.influx !== null) sinks.push(this.influx);
    if (config.out !== undefined) sinks.unshift(new JsonlSink(config.out));
    else if (config.console !== false)
      sinks.unshift(
        new ConsoleSink({
          write: config.write ?? ((t) => process.stdout.write(t)),
          gatewayMac: () => registry.gateway()?.macStr ?? null,
        }),
      );
    this.sink = sinks.length === 1 ? sinks[0] : new TeeSink(sinks);
    this.baselines = new Baselines(learningPolicy(config.learnS, config.windowS));
    this.detectors = createDetectors();
    this.alerts = new AlertManager(this.detectors, (r) => this.#alert(r));
    if (config.scorer !== undefined) this.alerts.register(config.scorer.anomalyDetector);
    this.#restore(saved);
    this.pipeline = new Pipeline(
      { windowS: config.windowS, lanCidrs: config.lanCidrs },
      this.sink,
      registry,
    );
    if (config.detect !== false)
      this.pipeline.windowListeners.push((closed, _start, end) => this.#judge(closed, end));
    this.#restoreWindows(saved.windows);
  }

  /** The windows stage's memory (slow beacons' contacts, DNS answers); afresh if unreadable. */
  #restoreWindows(saved: unknown): void {
    if (saved === undefined) return;
    this.#afresh('beacon contacts start', () => {
      const activities = checkActivities(fromPlain(saved));
      this.pipeline.windows.restore(activities, (mac) => this.registry.lookup(parseMac(mac)));
    });
  }

  /** Restores one part of the state; a damaged part (ERR_STATE) is a warning, `what` afresh. */
  #afresh(what: string, restore: () => void): void {
    try {
      restore();
    } catch (err) {
      if (!(err instanceof HomewatchError) || err.code !== 'ERR_STATE') throw err;
      this.warnings.push(`warning: state: ${err.message}; ${what} afresh`);
    }
  }

  /**
   * Reads what the runtime starts from — allow-list and state — creating no output: a usage
   * problem is reported before anything is written.
   */
  static load(config: RuntimeConfig): RuntimeInputs {
    const allow =
      config.allowFile !== undefined ? AllowList.load(config.allowFile) : new AllowList();
    const store = config.stateDir !== undefined ? new StateStore(config.stateDir) : null;
    return { allow, store, ...openState(store, config.lanCidrs) };
  }

  /** Assembles the runtime: sinks (outputs are created here), stages, restored state. */
  static open(config: RuntimeConfig, inputs: RuntimeInputs = Runtime.load(config)): Runtime {
    return new Runtime(config, inputs);
  }

  #restore(saved: RuntimeState): void {
    this.#afresh('baselines start', () => {
      this.baselines.restore(saved.baselines);
      this.alerts.restore(saved.episodes);
    });
    this.#homeFirstTs = saved.home?.firstTs ?? null;
    this.#restoreDetectors(saved.detectors);
    const scorer = this.config.scorer;
    const model = saved.model;
    if (model === undefined || scorer?.restore === undefined) return;
    this.#afresh("the model's memory starts", () => scorer.restore?.(model));
  }

  /** Each detector's memory; one that cannot be read starts afresh, with a warning. */
  #restoreDetectors(saved: Record<string, unknown> | undefined): void {
    if (saved === null || typeof saved !== 'object') return;
    for (const d of this.detectors) {
      const part = saved[d.behaviour];
      if (d.restore === undefined || part === undefined) continue;
      this.#afresh(`${d.behaviour} starts`, () => d.restore?.(fromPlain(part)));
    }
  }

  #home(): HomeView {
    const firstTs = this.#homeFirstTs ?? this.pipeline.counters.firstTs ?? 0;
    const gw = this.registry.gateway();
    return {
      firstTs,
      learnS: this.config.learnS,
      gatewayIps: gw ? gw.ipList() : [],
      kindOf: (mac) => this.registry.lookup(parseMac(mac))?.kind ?? 'unknown',
    };
  }

  /** Judges the closed windows; returns the alert records to write after them. */
  #judge(closed: ClosedWindow[], end: number): OutputRecord[] {
    if (this.#homeFirstTs === null) this.#homeFirstTs = this.pipeline.counters.firstTs;
    const home = this.#home();
    for (const w of closed) {
      const baseline = this.baselines.of(w);
      const mac = w.device.macStr;
      const kind = w.device.kind;
      const ctx: DetectContext = { w, baseline, judged: !baseline.learning, home, kind };
      const findings: Finding[] = [];
      for (const d of this.detectors) {
        if (d.needsBaseline && !ctx.judged) continue;
        for (const f of d.detect(ctx)) if (!this.allow.allows(mac, f)) findings.push(f);
      }
      const scorer = this.config.scorer;
      if (scorer !== undefined) {
        const v = scorer.score(ctx, findings);
        w.record.score = v.score;
        w.record.behaviours = v.behaviours;
        if (v.anomaly !== null && !this.allow.allows(mac, v.anomaly)) findings.push(v.anomaly);
      }
      if (findings.length > 0) this.alerts.take(mac, who(w.device), findings, end);
      // A device's first appearance says nothing about its behaviour: new_device does not stop
      // it from learning.
      const clean =
        !findings.some((f) => f.behaviour !== 'new_device') &&
        !this.alerts.hasOpen(mac, 'new_device') &&
        !this.detectors.some((d) => d.holds?.(mac) === true);
      this.baselines.observe(w, clean);
    }
    this.#release(end, end);
    this.alerts.tick(end);
    this.pipeline.counters.alerts = this.alerts.opened;
    const out = this.#pending;
    this.#pending = [];
    return out;
  }

  /** Findings detectors held back for devices quiet since (Detector.release), as alerts. */
  #release(end: number, now: number): void {
    for (const d of this.detectors) {
      if (d.release === undefined) continue;
      for (const { mac, finding } of d.release(end)) {
        const dev = this.registry.lookup(parseMac(mac));
        if (dev === undefined || this.allow.allows(mac, finding)) continue;
        this.alerts.take(mac, who(dev), [finding], now);
      }
    }
  }

  #alert(r: AlertRecord): void {
    if (this.#finished) this.sink.write(r);
    else this.#pending.push(r);
  }

  /**
   * End of input or shutdown: flushes flows and the open window (judged as any other), then
   * names held findings and closes open episodes unless they are kept for the next run.
   */
  finish(): void {
    this.pipeline.finish();
    this.#finished = true;
    for (const r of this.#pending) this.sink.write(r);
    this.#pending = [];
    // Kept for the next run (--state), findings held back stay held, saved with their
    // detector's memory: the device's next window tells them there as in one run.
    if (!this.config.keepEpisodesOpen) {
      this.#release(Infinity, this.pipeline.counters.lastTs ?? 0);
      this.alerts.closeAll(this.pipeline.counters.lastTs ?? 0);
    }
    this.pipeline.counters.alerts = this.alerts.opened;
  }

  /**
   * Before the first packet: an InfluxDB that refuses the credentials or is no InfluxDB fails
   * here, in one line (an unreachable one is waited for, its points spooled).
   */
  async start(): Promise<void> {
    await this.influx?.check(INFLUX_CHECK_MS);
  }

  /** Closes the sinks (waiting for InfluxDB's delivery); returns lines for a person. */
  async close(): Promise<string[]> {
    await this.sink.close();
    const i = this.config.influx;
    if (this.influx === null || i === undefined) return [];
    return [deliveryLine(this.influx.target, i.config.run, this.influx.report())];
  }

  /** The parts of the state file. */
  stateParts(): StateParts {
    const parts: StateParts = {
      devices: this.registry.snapshot(),
      baselines: this.baselines.snapshot(),
      episodes: this.alerts.snapshot(),
      home: { firstTs: this.#homeFirstTs ?? this.pipeline.counters.firstTs },
    };
    const model = this.config.scorer?.snapshot?.();
    if (model !== undefined) parts.model = model;
    const detectors: Record<string, unknown> = {};
    for (const d of this.detectors) if (d.snapshot) detectors[d.behaviour] = toPlain(d.snapshot());
    parts.detectors = detectors;
    parts.windows = toPlain(this.pipeline.windows.snapshot(this.registry.devices()));
    return parts;
  }

  saveStateSync(): void {
    this.store?.saveSync(this.stateParts(), Date.now() / 1000);
  }

  async saveState(): Promise<void> {
    await this.store?.save(this.stateParts(), Date.now() / 1000);
  }
}

/** The registry and the runtime's parts from the state file (or fresh ones). */
function openState(
  store: StateStore | null,
  lanCidrs: string[],
): { registry: DeviceRegistry; warnings: string[]; saved: RuntimeState } {
  const { registry, warnings, state } = openRegistry(store, lanCidrs);
  const saved: RuntimeState = {};
  if (state !== null) {
    saved.baselines = state.baselines;
    saved.episodes = state.episodes as EpisodeSnapshot[] | undefined;
    saved.home = state.home as RuntimeState['home'];
    saved.model = state.model;
    saved.detectors = state.detectors as RuntimeState['detectors'];
    saved.windows = state.windows;
  }
  return { registry, warnings, saved };
}
