/**
 * The live agent's self-metrics: the `agent` record (DESIGN.md, every 10 s of wall time), the
 * summary's `dropped`, and the figures /metrics serves, all from one LiveStats reading.
 * @module
 */

import type { LiveStats } from '../capture/live/live-source.js';
import type { AgentRecord } from '../sinks/records.js';
import type { HealthMetrics } from './health.js';

/** Wall-clock seconds between two `agent` records. */
export const AGENT_INTERVAL_S = 10;

/**
 * Everything lost before the pipeline saw it: the kernel ring's drops plus the agent queue's.
 * (Interface drops are reported apart, as `ifDropped`.) A binding that cannot count kernel drops
 * (cap) contributes only the queue's: the CLI says so once at start.
 */
export function droppedTotal(s: LiveStats): number {
  return (s.dropped ?? 0) + s.queueDropped;
}

/** The `agent` record for a reading taken at wall-clock `ts` (Unix epoch seconds). */
export function agentRecord(ts: number, s: LiveStats): AgentRecord {
  return {
    type: 'agent',
    ts: round3(ts),
    packets: s.packets,
    bytes: s.wireBytes,
    dropped: droppedTotal(s),
    ifDropped: s.ifDropped ?? 0,
    queue: s.queueDepth,
    lagSeconds: round3(s.lagSeconds),
  };
}

/** The figures /metrics serves. */
export function healthMetrics(s: LiveStats, devices: number, alerts: number): HealthMetrics {
  return {
    packets: s.packets,
    bytes: s.wireBytes,
    droppedKernel: s.dropped,
    droppedInterface: s.ifDropped,
    droppedQueue: s.queueDropped,
    devices,
    alerts,
    queueDepth: s.queueDepth,
    lagSeconds: round3(s.lagSeconds),
  };
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}
