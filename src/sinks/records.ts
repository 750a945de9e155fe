/**
 * Output records, exactly as DESIGN.md specifies them ("Output records"). Times are Unix epoch
 * seconds of packet time; MACs lower case, colon separated.
 * @module
 */
import type { DeviceKind } from '../devices/kinds.js';

export interface DeviceRecord {
  type: 'device';
  mac: string;
  ips: string[];
  vendor: string;
  name: string;
  firstSeen: number;
  /** What the device is (README, "Device kinds"); 'unknown' when the evidence is too weak. */
  kind: DeviceKind;
  /** 0 … 1 (0 when unknown). */
  kindConfidence: number;
  /** The few facts that decided the kind, e.g. ["mDNS _googlecast", "OUI Google, Inc."]. */
  kindEvidence: string[];
}

export interface WindowRecord {
  type: 'window';
  mac: string;
  start: number;
  end: number;
  features: Record<string, number>;
  score: number;
  behaviours: Record<string, number>;
}

export type AlertState = 'open' | 'update' | 'closed';
export type Severity = 'low' | 'medium' | 'high';

/**
 * One step of an alert episode: `open` when it starts, `update` at most every 5 minutes while
 * it lasts, `closed` when it ends. `summary` is one sentence built from `evidence`.
 */
export interface AlertRecord {
  type: 'alert';
  mac: string;
  ts: number;
  behaviour: string;
  /** How sure, 0 … 1. */
  score: number;
  summary: string;
  evidence: Record<string, unknown>;
  /** Episode identifier, stable across its records (and across restarts with --state). */
  episode: string;
  state: AlertState;
  severity: Severity;
}

export interface AgentRecord {
  type: 'agent';
  ts: number;
  packets: number;
  bytes: number;
  dropped: number;
  ifDropped: number;
  queue: number;
  lagSeconds: number;
}

export interface SummaryRecord {
  type: 'summary';
  packets: number;
  bytes: number;
  devices: number;
  malformed: number;
  truncated: number;
  alerts: number;
  firstTs: number | null;
  lastTs: number | null;
  wallSeconds: number;
  packetsPerSecond: number;
  /** Live capture only. */
  dropped?: number;
}

export type OutputRecord = DeviceRecord | WindowRecord | AlertRecord | AgentRecord | SummaryRecord;

/**
 * Where records go. `write` is synchronous and cheap (it buffers); `flush` resolves when what was
 * written has reached its destination; `close` flushes and releases the destination.
 */
export interface RecordSink {
  write(record: OutputRecord): void;
  /** True when the sink holds more than it would like: the caller should await `flush()`. */
  readonly backlogged: boolean;
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** Sends every record to several sinks. */
export class TeeSink implements RecordSink {
  readonly #sinks: RecordSink[];
  constructor(sinks: RecordSink[]) {
    this.#sinks = sinks;
  }
  write(record: OutputRecord): void {
    for (const s of this.#sinks) s.write(record);
  }
  get backlogged(): boolean {
    return this.#sinks.some((s) => s.backlogged);
  }
  async flush(): Promise<void> {
    await Promise.all(this.#sinks.map((s) => s.flush()));
  }
  async close(): Promise<void> {
    await Promise.all(this.#sinks.map((s) => s.close()));
  }
}
