/**
 * The InfluxDB sink against a real influxd (Debian's, on a free loopback port): every record
 * type lands as DESIGN.md's schema says, at packet time, names that need escaping come back
 * unchanged; an influxd killed and restarted while points flow loses nothing; the spool in
 * --state DIR outlives the sink; when even the spool is full, window points give way before
 * alerts and the `agent` points count what was dropped.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InfluxConfig } from '../../../src/sinks/influx/config.js';
import { InfluxSink, type InfluxSinkOptions } from '../../../src/sinks/influx/sink.js';
import type {
  AgentRecord,
  DeviceRecord,
  OutputRecord,
  WindowRecord,
} from '../../../src/sinks/records.js';
import { Influxd, influxdUnavailable, stopAllInfluxd } from '../../helpers/influxd.js';
import { alertsFor, replayRecords } from './records.js';

const unavailable = influxdUnavailable();
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function config(d: Influxd, database: string, over: Partial<InfluxConfig> = {}): InfluxConfig {
  return {
    baseUrl: d.url,
    database,
    user: null,
    password: null,
    retention: 'INF',
    retentionExplicit: false,
    timeoutS: 30,
    run: 'test-run',
    spoolBytes: 64 << 20,
    ...over,
  };
}

function sink(c: InfluxConfig, over: Partial<InfluxSinkOptions> = {}): InfluxSink {
  return new InfluxSink({
    config: c,
    mode: 'replay',
    stateDir: null,
    host: 'h',
    source: 'file',
    ...over,
  });
}

/** Waits until `f()` holds (checked every 100 ms), up to `ms`. */
async function until(f: () => Promise<boolean> | boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

const ns = (s: number): number => Math.round(s * 1e6) * 1000;

describe.skipIf(unavailable !== null)('InfluxSink against a real influxd', () => {
  let d: Influxd;
  let records: OutputRecord[];
  let windows: WindowRecord[];
  const dirs: string[] = [];
  const tmp = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'hw-spool-'));
    dirs.push(dir);
    return dir;
  };

  beforeAll(async () => {
    d = await Influxd.create();
    records = await replayRecords();
    windows = records.filter((r): r is WindowRecord => r.type === 'window');
  });
  afterAll(async () => {
    await d?.destroy();
    stopAllInfluxd();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('writes device_window, alert and agent points as the schema says, at packet time', async () => {
    const alerts = alertsFor(records);
    const s = sink(config(d, 'schema'));
    expect(await s.check(5000)).toBe(true);
    for (const r of records) s.write(r);
    for (const a of alerts) s.write(a);
    await s.close();
    expect(s.report()).toMatchObject({ delivered: windows.length + alerts.length + 1, dropped: 0 });

    // Every window, at its start, with its device's tags and every feature.
    const points = await d.rows('schema', 'SELECT * FROM device_window GROUP BY *');
    expect(points).toHaveLength(windows.length);
    const devices = new Map(
      records.filter((r): r is DeviceRecord => r.type === 'device').map((r) => [r.mac, r]),
    );
    const byKey = new Map(points.map((p) => [`${p.mac}@${p.time}`, p]));
    // The latest device record written before a window names it (vendor, kind).
    const latest = new Map<string, DeviceRecord>();
    for (const r of records) {
      if (r.type === 'device') latest.set(r.mac, r);
      if (r.type !== 'window') continue;
      const w = r;
      const p = byKey.get(`${w.mac}@${ns(w.start)}`);
      expect(p, `window ${w.mac} ${w.start}`).toBeDefined();
      const dev = latest.get(w.mac) as DeviceRecord;
      expect(p).toMatchObject({ run: 'test-run', kind: dev.kind, score: w.score, ...w.features });
      expect(p?.vendor).toBe(dev.vendor);
    }
    expect(devices.size).toBeGreaterThan(0);

    // Alerts: every record a point, the same-microsecond open/update pair kept apart.
    const ap = await d.rows('schema', 'SELECT * FROM alert GROUP BY *');
    expect(ap).toHaveLength(alerts.length);
    for (const a of alerts) {
      const p = ap.find(
        (x) =>
          x.episode === a.episode &&
          x.state === a.state &&
          Math.abs(Number(x.time) - ns(a.ts)) < 1000,
      );
      expect(p, `${a.episode} ${a.state}`).toMatchObject({
        mac: a.mac,
        behaviour: a.behaviour,
        severity: a.severity,
        run: 'test-run',
        score: a.score,
        summary: a.summary.replace(/\n/g, ' '),
      });
      expect(JSON.parse(String(p?.evidence))).toEqual(a.evidence);
    }

    // The replay's summary: one agent point at the last packet.
    const summary = records.find((r) => r.type === 'summary');
    const agent = await d.rows('schema', 'SELECT * FROM agent GROUP BY *');
    expect(agent).toHaveLength(1);
    expect(agent[0]).toMatchObject({
      host: 'h',
      source: 'file',
      run: 'test-run',
      points_dropped: 0,
    });
    expect(agent[0].packets).toBe(summary?.type === 'summary' ? summary.packets : -1);
  });

  it('keeps tag values that need escaping exactly as they were', async () => {
    const names = [
      'Living room TV',
      'a,b=c d',
      'back\\slash',
      'sp\\ ace',
      'end\\',
      'quote"d',
      'caf\u00e9 \u2615',
      'x\ny',
    ];
    const s = sink(config(d, 'escaping'));
    names.forEach((name, i) => {
      const mac = `02:00:00:00:00:${String(i).padStart(2, '0')}`;
      s.write({
        type: 'device',
        mac,
        ips: [],
        vendor: name,
        name,
        firstSeen: 1,
        // Tag escaping: the sink must survive any text, even outside the kind vocabulary.
        kind: name as DeviceRecord['kind'],
        kindConfidence: 0,
        kindEvidence: [],
      });
      s.write({ ...windows[0], mac, start: 1700000000 + i, end: 1700000060 + i });
    });
    await s.close();
    expect(s.report().dropped).toBe(0);
    const tags = await d.rows('escaping', 'SHOW TAG VALUES FROM device_window WITH KEY = "name"');
    expect(tags.map((t) => t.value).sort()).toEqual(
      names.map((n) => n.replace('\n', ' ').replace(/\\$/, '/')).sort(),
    );
  });

  it('loses nothing when influxd is killed and restarted while points flow', async () => {
    const flaky = await Influxd.create();
    try {
      const s = sink(config(flaky, 'restart'), { batchPoints: 20, flushIntervalMs: 50 });
      expect(await s.check(5000)).toBe(true);
      const half = Math.floor(records.length / 2);
      let restarted: Promise<void> | null = null;
      for (const [i, r] of records.entries()) {
        s.write(r);
        if (i % 5 === 0) await sleep(10);
        if (i === half) {
          // Points are on their way; the server dies without warning and comes back 2 s later.
          await until(() => s.report().delivered > 0, 10_000, 'the first batches');
          await flaky.stop('SIGKILL');
          restarted = sleep(2000).then(() => flaky.start());
        }
      }
      await s.close();
      await restarted;
      expect(await flaky.count('restart', 'device_window')).toBe(windows.length);
      expect(await flaky.count('restart', 'agent')).toBe(1);
    } finally {
      await flaky.destroy();
    }
  });

  it('keeps undelivered points in the spool across a restart of the agent', async () => {
    const later = await Influxd.create({}, false); // not running yet
    const state = tmp();
    try {
      const first = sink(config(later, 'spool'), {
        mode: 'live',
        stateDir: state,
        closeBudgetMs: 200,
      });
      expect(await first.check(2000)).toBe(false);
      for (const r of records) first.write(r);
      await first.close();
      expect(first.report()).toMatchObject({ delivered: 0, lost: 0 });
      expect(first.report().spooled).toBe(windows.length);
      expect(readdirSync(join(state, 'influx-spool')).length).toBeGreaterThan(0);

      await later.start();
      const second = sink(config(later, 'spool'), { mode: 'live', stateDir: state });
      expect(await second.check(5000)).toBe(true);
      second.write(agentRecord(1700000000, 5));
      await until(() => second.report().spooled === 0, 20_000, 'the spool to drain');
      await second.close();
      expect(await later.count('spool', 'device_window')).toBe(windows.length);
      expect(await later.count('spool', 'agent')).toBe(1);
      expect(readdirSync(join(state, 'influx-spool'))).toEqual([]);
    } finally {
      await later.destroy();
    }
  });

  it('when even the spool is full, drops window points before alerts and counts them', async () => {
    const later = await Influxd.create({}, false);
    const state = tmp();
    try {
      // Room for ~40 of the ~600-byte window points; alerts and agent points must all survive.
      const s = sink(config(later, 'full', { spoolBytes: 24 * 1024 }), {
        mode: 'live',
        stateDir: state,
        maxMemoryPoints: 50,
        batchPoints: 25,
        closeBudgetMs: 5000,
      });
      expect(await s.check(2000)).toBe(false);
      const alerts = alertsFor(records, 30);
      let written = 0;
      for (let round = 0; round < 4; round++) {
        for (const r of records) {
          if (r.type === 'window') {
            s.write({ ...r, start: r.start + round * 86400 });
            written++;
          } else s.write(r);
        }
        for (const a of alerts.slice(round * 6, round * 6 + 6)) s.write(a);
        await sleep(50);
      }
      // Everything beyond memory has gone to the spool (or given way) before the agent point.
      await until(() => s.report().lost <= 50, 10_000, 'the spill');
      const droppedSoFar = s.figures().pointsDropped;
      expect(droppedSoFar).toBeGreaterThan(0);
      s.write(agentRecord(1800000000, 0));
      await later.start();
      await until(() => s.report().spooled === 0 && s.report().lost === 0, 20_000, 'delivery');
      await s.close();

      expect(await later.count('full', 'alert')).toBe(24);
      const delivered = await later.count('full', 'device_window');
      expect(delivered).toBeLessThan(written);
      const [agent] = await later.rows('full', 'SELECT last(points_dropped) AS d FROM agent');
      expect(Number(agent.d)).toBe(droppedSoFar);
      expect(delivered + s.figures().pointsDropped).toBe(written);
      // The windows that gave way are the oldest ones.
      const [first] = await later.rows('full', 'SELECT first(packetsUp) FROM device_window');
      expect(Number(first.time)).toBeGreaterThan(ns(windows[0].start));
    } finally {
      await later.destroy();
    }
  });
});

function agentRecord(ts: number, packets: number): AgentRecord {
  return {
    type: 'agent',
    ts,
    packets,
    bytes: 0,
    dropped: 0,
    ifDropped: 0,
    queue: 0,
    lagSeconds: 0,
  };
}
