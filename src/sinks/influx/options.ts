/**
 * The InfluxDB sink's options, its defaults (sizes and times), and the report it gives at the end.
 * @module
 */
import type { InfluxConfig } from './config.js';

export type InfluxMode = 'replay' | 'live';

export interface InfluxSinkOptions {
  config: InfluxConfig;
  mode: InfluxMode;
  /** --state DIR: undelivered points spool in DIR/influx-spool. */
  stateDir: string | null;
  /** `agent` tags: the machine, and the interface or 'file'. */
  host: string;
  source: string;
  /** The pipeline's count of undecodable packets, for `agent` points. */
  malformed?: () => number;
  /** A line for a person (live mode: an outage began or ended). */
  warn?: (line: string) => void;
  batchPoints?: number;
  batchBytes?: number;
  flushIntervalMs?: number;
  maxMemoryPoints?: number;
  closeBudgetMs?: number;
  requestTimeoutMs?: number;
  backoffInitialMs?: number;
  backoffMaxMs?: number;
}

export const SINK_DEFAULTS = {
  /** A batch: up to this many points, or about this many bytes, or what waited a second. */
  batchPoints: 5000,
  batchBytes: 4 << 20,
  flushIntervalMs: 1000,
  /** Replay: the queue pushes back beyond this; live: it spills to the spool beyond this. */
  maxMemoryPoints: 20_000,
  /** Live: how long close() delivers before it spools the rest (capture's budget is 4.5 s). */
  closeBudgetMs: 2000,
  requestTimeoutMs: 10_000,
  backoffInitialMs: 250,
  backoffMaxMs: 5000,
};

export type ResolvedSinkOptions = InfluxSinkOptions & typeof SINK_DEFAULTS;

/** The options with every default filled in. */
export function resolveSinkOptions(o: InfluxSinkOptions): ResolvedSinkOptions {
  const given = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  return { ...SINK_DEFAULTS, ...given } as ResolvedSinkOptions;
}

/** What became of the points, for the CLI's last line. */
export interface DeliveryReport {
  delivered: number;
  dropped: number;
  /** Points left in the spool (delivered by the next run with the same --state DIR). */
  spooled: number;
  /** Points neither delivered nor spooled at close (no --state DIR). */
  lost: number;
  spoolDir: string | null;
  /** The last refusal or failure InfluxDB gave, if any. */
  lastError: string | null;
  wallSeconds: number;
}
