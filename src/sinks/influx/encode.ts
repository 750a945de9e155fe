/**
 * Output records as InfluxDB points (DESIGN.md, "InfluxDB schema"):
 *
 * | measurement     | tags                                  | fields                                   |
 * | `device_window` | mac, name, vendor, kind, run          | every feature, score, p_<behaviour>      |
 * | `alert`         | mac, name, behaviour, severity, run   | score, summary, evidence, episode, state |
 * | `agent`         | host, source, run                     | packets, bytes, dropped, malformed, ...  |
 *
 * A window's name, vendor and kind tags come from the latest `device` record of its MAC (the
 * pipeline writes a device's record before its windows); `kind` is `unknown` until one is known.
 * Behaviour probabilities are fields named `p_<behaviour>` so that a query can take all of them
 * with one regular expression (`/^p_/`) and none can collide with a feature's name.
 *
 * Point times are packet times: a window at its start, an alert at its `ts`. Two points of one
 * series at the same microsecond would overwrite each other in InfluxDB, so an alert or agent
 * point that would is moved on by a nanosecond.
 * @module
 */
import type {
  AgentRecord,
  AlertRecord,
  OutputRecord,
  SummaryRecord,
  WindowRecord,
} from '../records.js';
import {
  escapeMeasurement,
  nanosText,
  numberFields,
  quoteString,
  tagSet,
  toMicros,
} from './line-protocol.js';

/** Which points give way first when there is no room: windows before alerts and agent points. */
export type Lane = 'priority' | 'window';

export interface EncodedPoint {
  lane: Lane;
  line: string;
}

/** The sink's own delivery figures, added to every `agent` point. */
export interface DeliveryFigures {
  /** Points accepted by InfluxDB so far. */
  pointsWritten: number;
  /** Points given up so far (no room, or refused by InfluxDB). */
  pointsDropped: number;
  /** Points waiting in the spool on disk. */
  spooled: number;
}

export interface EncoderOptions {
  run: string;
  /** `agent` tags. */
  host: string;
  source: string;
  /** A replay has no `agent` records: its summary becomes one agent point at its last packet. */
  summaryAsAgent: boolean;
  figures(): DeliveryFigures;
  /** Packets that could not be decoded so far (the pipeline's count), when known. */
  malformed?: () => number;
}

const MEASUREMENT = {
  window: escapeMeasurement('device_window'),
  alert: escapeMeasurement('alert'),
  agent: escapeMeasurement('agent'),
};

export class RecordEncoder {
  readonly #o: EncoderOptions;
  /** Name, vendor and kind by MAC, from the latest device record, and the window tag set. */
  readonly #devices = new Map<string, { name: string; windowTags: string }>();
  /** Last timestamp (µs) and nanosecond offset used per series of the priority lane. */
  readonly #lastTime = new Map<string, { micros: number; extra: number }>();

  constructor(o: EncoderOptions) {
    this.#o = o;
  }

  /** The point for a record, or null when the record makes none (device, summary of a capture). */
  encode(r: OutputRecord): EncodedPoint | null {
    switch (r.type) {
      case 'device':
        this.#devices.set(r.mac, {
          name: r.name,
          windowTags: this.#windowTags(r.mac, r.name, r.vendor, r.kind || 'unknown'),
        });
        return null;
      case 'window':
        return { lane: 'window', line: this.#window(r) };
      case 'alert':
        return { lane: 'priority', line: this.#alert(r) };
      case 'agent':
        return { lane: 'priority', line: this.#agent(r) };
      case 'summary':
        return this.#o.summaryAsAgent ? { lane: 'priority', line: this.#summary(r) } : null;
    }
  }

  #windowTags(mac: string, name: string, vendor: string, kind: string): string {
    return tagSet([
      ['kind', kind],
      ['mac', mac],
      ['name', name],
      ['run', this.#o.run],
      ['vendor', vendor],
    ]);
  }

  #window(r: WindowRecord): string {
    const tags = this.#devices.get(r.mac)?.windowTags ?? this.#windowTags(r.mac, '', '', 'unknown');
    const fields: string[] = [];
    numberFields(fields, r.features);
    if (Number.isFinite(r.score)) fields.push(`score=${r.score}`);
    numberFields(fields, r.behaviours, 'p_');
    return `${MEASUREMENT.window}${tags} ${fields.join(',')} ${nanosText(toMicros(r.start))}`;
  }

  #alert(r: AlertRecord): string {
    const d = this.#devices.get(r.mac);
    const tags = tagSet([
      ['behaviour', r.behaviour],
      ['mac', r.mac],
      ['name', d?.name ?? ''],
      ['run', this.#o.run],
      ['severity', r.severity],
    ]);
    const fields = [
      `score=${Number.isFinite(r.score) ? r.score : 0}`,
      `summary=${quoteString(r.summary)}`,
      `evidence=${quoteString(JSON.stringify(r.evidence ?? {}))}`,
      `episode=${quoteString(r.episode)}`,
      `state=${quoteString(r.state)}`,
    ];
    return `${MEASUREMENT.alert}${tags} ${fields.join(',')} ${this.#time(MEASUREMENT.alert + tags, r.ts)}`;
  }

  #agent(r: AgentRecord): string {
    return this.#agentLine(r.ts, {
      packets: r.packets,
      bytes: r.bytes,
      dropped: r.dropped,
      if_dropped: r.ifDropped,
      queue: r.queue,
      lag_seconds: r.lagSeconds,
    });
  }

  #summary(r: SummaryRecord): string {
    return this.#agentLine(r.lastTs ?? Date.now() / 1000, {
      packets: r.packets,
      bytes: r.bytes,
      dropped: r.dropped ?? 0,
      malformed: r.malformed,
      queue: 0,
      lag_seconds: 0,
    });
  }

  #agentLine(ts: number, base: Record<string, number>): string {
    const tags = tagSet([
      ['host', this.#o.host],
      ['run', this.#o.run],
      ['source', this.#o.source],
    ]);
    const f = this.#o.figures();
    const values: Record<string, number> = {
      ...base,
      points_written: f.pointsWritten,
      points_dropped: f.pointsDropped,
      spooled: f.spooled,
    };
    if (values.malformed === undefined && this.#o.malformed) values.malformed = this.#o.malformed();
    const fields: string[] = [];
    numberFields(fields, values);
    return `${MEASUREMENT.agent}${tags} ${fields.join(',')} ${this.#time(MEASUREMENT.agent + tags, ts)}`;
  }

  /** The point's timestamp, moved on by 1 ns per earlier point of its series at the same µs. */
  #time(series: string, ts: number): string {
    const micros = toMicros(ts);
    const last = this.#lastTime.get(series);
    let extra = 0;
    if (last !== undefined && last.micros === micros && last.extra < 999) extra = last.extra + 1;
    this.#lastTime.set(series, { micros, extra });
    return nanosText(micros, extra);
  }
}
