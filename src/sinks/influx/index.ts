/**
 * The InfluxDB sink, for the code that assembles the runtime: parse the configuration once
 * (`parseInfluxConfig`, from options and environment), open the sink (`openInfluxSink`), and
 * after `close()` tell a person what was delivered (`deliveryLine`).
 *
 * @example
 * const config = parseInfluxConfig(values, process.env, { run: 'live', retention: DEFAULT_RETENTION });
 * const influx = config && openInfluxSink(config, { mode: 'live', stateDir, source: 'eth1' });
 * @module
 */
import { hostname } from 'node:os';
import type { InfluxConfig } from './config.js';
import { type DeliveryReport, type InfluxMode, InfluxSink } from './sink.js';

export {
  DEFAULT_RETENTION,
  influxHelp,
  INFLUX_OPTIONS,
  REPLAY_RETENTION,
  parseInfluxConfig,
  type InfluxConfig,
  type InfluxOptionValues,
} from './config.js';
export { InfluxSink, type DeliveryReport, type InfluxMode } from './sink.js';

export interface OpenInfluxOptions {
  mode: InfluxMode;
  /** --state DIR, for the spool; null: undelivered points are only counted. */
  stateDir: string | null;
  /** The `source` tag of agent points: the interface, or 'file' for a replay. */
  source: string;
  /** The pipeline's count of undecodable packets. */
  malformed?: () => number;
  /** Where a line for a person goes (live mode: outages). */
  warn?: (line: string) => void;
}

/** The sink for `config`; it starts contacting InfluxDB at once, in the background. */
export function openInfluxSink(config: InfluxConfig, o: OpenInfluxOptions): InfluxSink {
  return new InfluxSink({
    config,
    mode: o.mode,
    stateDir: o.stateDir,
    host: hostname(),
    source: o.source,
    malformed: o.malformed,
    warn: o.warn,
  });
}

/** One line: how many points reached InfluxDB, and what became of the others. */
export function deliveryLine(target: string, run: string, r: DeliveryReport): string {
  const n = (v: number): string => v.toLocaleString('en-US');
  const rate = r.wallSeconds > 0 ? `, ${n(Math.round(r.delivered / r.wallSeconds))}/s` : '';
  const parts = [`${n(r.delivered)} points delivered to ${target} (run '${run}'${rate})`];
  if (r.dropped > 0)
    parts.push(`${n(r.dropped)} dropped${r.lastError ? ` (last refusal: ${r.lastError})` : ''}`);
  if (r.spooled > 0) parts.push(`${n(r.spooled)} waiting in ${r.spoolDir}`);
  if (r.lost > 0) parts.push(`${n(r.lost)} not delivered`);
  return parts.join('; ');
}
