/**
 * What scoring a run needs, collected from its records: the alerts, and when each device was
 * first seen (for device-hours). Used by `evaluate` and by training's evaluation runs.
 * @module
 */
import type { AlertRecord, OutputRecord, RecordSink } from '../sinks/records.js';

export class AlertCollector implements RecordSink {
  readonly alerts: AlertRecord[] = [];
  readonly firstSeen = new Map<string, number>();
  readonly backlogged = false;

  write(r: OutputRecord): void {
    if (r.type === 'alert') this.alerts.push(r);
    else if (r.type === 'device' && !this.firstSeen.has(r.mac))
      this.firstSeen.set(r.mac, r.firstSeen);
  }

  async flush(): Promise<void> {}
  async close(): Promise<void> {}

  /** Hours from each device's first packet to `lastTs`, summed. */
  deviceHours(lastTs: number): number {
    let h = 0;
    for (const t of this.firstSeen.values()) h += Math.max(0, lastTs - t) / 3600;
    return h;
  }
}
