/**
 * Runs a PacketSource through a Pipeline into a sink, with backpressure from the sink, and
 * builds the `summary` record.
 * @module
 */
import type { PacketSource, SourceStats } from '../capture/types.js';
import type { SummaryRecord } from '../sinks/records.js';
import type { Pipeline } from './pipeline.js';
import type { Runtime } from './runtime.js';

export interface RunHooks {
  /** Called between batches of frames (progress display, periodic agent records). */
  onBatch?(): void;
}

export interface RunResult {
  summary: SummaryRecord;
  source: SourceStats;
}

/**
 * Reads `source` to its end (or until it is stopped) through the runtime, finishes it (the
 * last window judged, episodes closed), writes the summary.
 */
export async function runSource(
  source: PacketSource,
  runtime: Runtime,
  hooks: RunHooks = {},
): Promise<RunResult> {
  const { pipeline, sink } = runtime;
  const started = process.hrtime.bigint();
  const stats = await source.run(pipeline.onFrame, {
    afterBatch: async () => {
      hooks.onBatch?.();
      if (sink.backlogged) await sink.flush();
    },
  });
  runtime.finish();
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const summary = buildSummary(pipeline, stats, wallSeconds);
  sink.write(summary);
  return { summary, source: stats };
}

export function buildSummary(
  pipeline: Pipeline,
  stats: SourceStats,
  wallSeconds: number,
  dropped?: number,
): SummaryRecord {
  const c = pipeline.counters;
  const summary: SummaryRecord = {
    type: 'summary',
    packets: stats.packets,
    bytes: c.bytes,
    devices: pipeline.registry.devices().length,
    malformed: c.malformed,
    truncated: stats.truncated,
    alerts: c.alerts,
    firstTs: c.firstTs,
    lastTs: c.lastTs,
    wallSeconds: Number(wallSeconds.toFixed(3)),
    packetsPerSecond: wallSeconds > 0 ? Math.round(stats.packets / wallSeconds) : 0,
  };
  if (dropped !== undefined) summary.dropped = dropped;
  return summary;
}
