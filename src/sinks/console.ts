/**
 * The person-facing view of a replay: a compact per-device table built from the same records
 * the JSON-lines sink writes, and a one-line summary. Output goes through an injected `write`,
 * so that only the CLI touches the terminal.
 * @module
 */
import type {
  AlertRecord,
  DeviceRecord,
  OutputRecord,
  RecordSink,
  SummaryRecord,
} from './records.js';

interface Row {
  device: DeviceRecord;
  packetsUp: number;
  packetsDown: number;
  bytesUp: number;
  bytesDown: number;
  flows: number;
  dnsNames: number;
  windows: number;
}

export interface ConsoleSinkOptions {
  write: (text: string) => void;
  /** MAC of the gateway, when known, to mark it in the table. */
  gatewayMac?: () => string | null;
}

export class ConsoleSink implements RecordSink {
  readonly #opts: ConsoleSinkOptions;
  readonly #rows = new Map<string, Row>();
  /** The latest record of each alert episode, in order of opening. */
  readonly #alerts = new Map<string, { first: AlertRecord; latest: AlertRecord }>();
  #summary: SummaryRecord | null = null;
  readonly backlogged = false;

  constructor(opts: ConsoleSinkOptions) {
    this.#opts = opts;
  }

  write(r: OutputRecord): void {
    if (r.type === 'device') {
      const row = this.#rows.get(r.mac);
      if (row) row.device = r;
      else
        this.#rows.set(r.mac, {
          device: r,
          packetsUp: 0,
          packetsDown: 0,
          bytesUp: 0,
          bytesDown: 0,
          flows: 0,
          dnsNames: 0,
          windows: 0,
        });
    } else if (r.type === 'window') {
      const row = this.#rows.get(r.mac);
      if (!row) return;
      const f = r.features;
      row.packetsUp += f.packetsUp ?? 0;
      row.packetsDown += f.packetsDown ?? 0;
      row.bytesUp += f.bytesUp ?? 0;
      row.bytesDown += f.bytesDown ?? 0;
      row.flows += f.flowsStarted ?? 0;
      row.dnsNames += f.dnsNewNames ?? 0;
      row.windows++;
    } else if (r.type === 'alert') {
      const a = this.#alerts.get(r.episode);
      if (a) a.latest = r;
      else this.#alerts.set(r.episode, { first: r, latest: r });
    } else if (r.type === 'summary') {
      this.#summary = r;
    }
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {
    this.#opts.write(this.render());
  }

  /** The table and summary as text. */
  render(): string {
    const gw = this.#opts.gatewayMac?.() ?? null;
    const head = [
      'DEVICE',
      'NAME',
      'KIND',
      'VENDOR',
      'IP',
      'PKTS UP/DOWN',
      'BYTES UP/DOWN',
      'FLOWS',
      'DNS NAMES',
      'WINDOWS',
      'FIRST SEEN (UTC)',
    ];
    const rows = [...this.#rows.values()].map((r) => {
      const d = r.device;
      const ips =
        d.ips.length > 2
          ? `${d.ips.slice(0, 2).join(', ')} +${d.ips.length - 2}`
          : d.ips.join(', ');
      return [
        d.mac + (d.mac === gw ? ' (gateway)' : ''),
        clip(d.name || '-', 24),
        d.kind === 'unknown' ? '-' : d.kind,
        clip(d.vendor || '-', 24),
        ips || '-',
        `${count(r.packetsUp)}/${count(r.packetsDown)}`,
        `${bytes(r.bytesUp)}/${bytes(r.bytesDown)}`,
        count(r.flows),
        count(r.dnsNames),
        String(r.windows),
        time(d.firstSeen),
      ];
    });
    const lines: string[] = [];
    if (rows.length > 0) {
      const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
      const fmt = (cells: string[]): string =>
        cells
          .map((c, i) => c.padEnd(widths[i]))
          .join('  ')
          .trimEnd();
      lines.push(fmt(head), ...rows.map(fmt));
    } else {
      lines.push('No devices seen (a device is a MAC that sends IP traffic from a local address).');
    }
    lines.push(...this.#alertLines());
    const s = this.#summary;
    if (s) lines.push('', summaryLine(s));
    return lines.join('\n') + '\n';
  }

  /** Alerts, one block per episode: when, severity, behaviour, then its latest sentence. */
  #alertLines(): string[] {
    if (this.#alerts.size === 0) return [];
    const out = ['', `ALERTS (${this.#alerts.size})`];
    for (const { first, latest } of this.#alerts.values()) {
      const end = latest.state === 'closed' ? `\u2013${time(latest.ts).slice(11, 16)}` : ' (open)';
      out.push(
        `${time(first.ts).slice(0, 16)}${end}  ${latest.severity.toUpperCase().padEnd(6)}  ${latest.behaviour}  ${latest.mac}`,
        `  ${latest.summary}`,
      );
    }
    return out;
  }
}

/** The summary record as one sentence: packets, time span, devices, damage, speed. */
export function summaryLine(s: SummaryRecord): string {
  const span =
    s.firstTs !== null && s.lastTs !== null
      ? ` from ${time(s.firstTs)} to ${time(s.lastTs)} UTC`
      : '';
  const damage = [
    s.malformed ? `${count(s.malformed)} malformed` : '',
    s.truncated ? `${s.truncated} truncated` : '',
    s.dropped ? `${count(s.dropped)} dropped` : '',
  ].filter(Boolean);
  const devices = `${s.devices} ${s.devices === 1 ? 'device' : 'devices'}`;
  return (
    `${count(s.packets)} packets (${bytes(s.bytes)})${span}; ${devices}` +
    (damage.length ? `; ${damage.join(', ')}` : '') +
    `; ${s.wallSeconds.toFixed(2)} s, ${count(Math.round(s.packetsPerSecond))} packets/s`
  );
}

function clip(s: string, n: number): string {
  return s.length > n ? s.slice(0, n - 1) + '\u2026' : s;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

function bytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return i === 0 ? `${v} B` : `${v.toFixed(1)} ${units[i]}`;
}

function time(ts: number): string {
  return new Date(ts * 1000).toISOString().replace('T', ' ').slice(0, 19);
}
