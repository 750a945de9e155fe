/**
 * The provisioned Grafana dashboards against a real influxd (Grafana itself cannot be installed
 * here): every panel's InfluxQL, every template variable's query and every annotation query is
 * taken out of grafana/dashboards/*.json, its variables filled in as Grafana would ($run,
 * $device, $feature for each repeated panel, $host, $timeFilter, $__interval), run after a replay,
 * and must return rows without error.
 *
 * What is replayed: the bundled demo home (`homewatch replay --influx`, the real CLI), whose
 * vacuum raises three alert episodes. What a replay does not write — behaviour probabilities
 * (the model's) and a live agent's periodic `agent` records — is written through the InfluxDB
 * sink itself for the same devices, under the same run.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEATURES } from '../../src/features/schema.js';
import { InfluxSink } from '../../src/sinks/influx/sink.js';
import type { WindowRecord } from '../../src/sinks/records.js';
import { records as parseJsonl, REPO, runCliAsync } from '../helpers/cli.js';
import { Influxd, influxdUnavailable, stopAllInfluxd } from '../helpers/influxd.js';
import type { AlertRecord } from '../../src/sinks/records.js';

const unavailable = influxdUnavailable();
const DASHBOARDS = resolve(REPO, 'grafana/dashboards');
const DB = 'homewatch';
const RUN = 'grafana-test';

interface Panel {
  title: string;
  repeat?: string;
  targets?: { query: string; refId: string }[];
  panels?: Panel[];
}
interface Variable {
  name: string;
  type: string;
  query: string;
  regex?: string;
}
interface Dashboard {
  title: string;
  panels: Panel[];
  templating: { list: Variable[] };
  annotations: { list: { name: string; query: string }[] };
}

function dashboards(): Dashboard[] {
  return readdirSync(DASHBOARDS)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(DASHBOARDS, f), 'utf8')) as Dashboard);
}

function allPanels(panels: Panel[]): Panel[] {
  return panels.flatMap((p) => [p, ...allPanels(p.panels ?? [])]);
}

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Grafana's variable syntaxes: $name, ${name}, [[name]]. */
function fill(query: string, vars: Record<string, string>): string {
  return query.replace(/\$\{(\w+)\}|\[\[(\w+)\]\]|\$(\w+)/g, (m, a, b, c) => {
    const name = (a ?? b ?? c) as string;
    return name in vars ? vars[name] : m;
  });
}

describe.skipIf(unavailable !== null)(
  'Grafana dashboards (their InfluxQL on a real influxd)',
  () => {
    let d: Influxd;
    let dir: string;
    let vars: Record<string, string>;
    let features: string[];

    beforeAll(async () => {
      d = await Influxd.create();
      dir = mkdtempSync(join(tmpdir(), 'hw-grafana-'));
      const out = join(dir, 'replay.jsonl');
      const r = await runCliAsync([
        'replay',
        resolve(REPO, 'datasets/demo-home/vacuum.pcap.gz'),
        '--out',
        out,
        '--influx',
        `${d.url}/${DB}`,
        '--run',
        RUN,
      ]);
      expect(r.code, r.stderr).toBe(0);
      const recs = parseJsonl(readFileSync(out, 'utf8')) as never[];
      const windows = (recs as WindowRecord[]).filter((x) => x.type === 'window');
      const alerts = (recs as AlertRecord[]).filter((x) => x.type === 'alert');
      expect(new Set(alerts.map((a) => a.behaviour)).size).toBe(3);

      // What the model and a live agent would add for the same devices and run.
      let malformed = 0;
      const sink = new InfluxSink({
        config: {
          baseUrl: d.url,
          database: DB,
          user: null,
          password: null,
          retention: 'INF',
          retentionExplicit: false,
          timeoutS: 30,
          run: RUN,
          spoolBytes: 1 << 20,
        },
        mode: 'replay',
        stateDir: null,
        host: 'homeserver',
        source: 'eth1',
        malformed: () => malformed++,
      });
      for (const rec of recs as { type: string }[])
        if (rec.type === 'device') sink.write(rec as never);
      for (const w of windows.slice(0, 40))
        sink.write({ ...w, behaviours: { beaconing: 0.7, scan: 0.05, anomaly: 0.2 } });
      const t0 = windows[0].start;
      for (let i = 0; i < 12; i++) {
        sink.write({
          type: 'agent',
          ts: t0 + i * 10,
          packets: 1000 * i,
          bytes: 600_000 * i,
          dropped: i,
          ifDropped: 0,
          queue: i % 3,
          lagSeconds: 0.01 * i,
        });
      }
      await sink.close();

      const last = Math.max(...windows.map((w) => w.end), ...alerts.map((a) => a.ts));
      vars = {
        run: escapeRegex(RUN),
        device: escapeRegex(alerts[0].mac),
        host: '.*',
        timeFilter: `time >= ${Math.floor((t0 - 3600) * 1000)}ms and time <= ${Math.ceil((last + 3600) * 1000)}ms`,
        __interval: '1m',
        __interval_ms: '60000',
      };
      const fieldKeys = await d.rows(DB, 'SHOW FIELD KEYS FROM "device_window"');
      const featureVar = dashboards()
        .flatMap((x) => x.templating.list)
        .find((v) => v.name === 'feature');
      const re = new RegExp((featureVar?.regex ?? '//').slice(1, -1));
      features = fieldKeys.map((k) => String(k.fieldKey)).filter((k) => re.test(k));
    });

    afterAll(async () => {
      await d?.destroy();
      stopAllInfluxd();
      rmSync(dir, { recursive: true, force: true });
    });

    it('has the Home, Device and Agent dashboards', () => {
      expect(
        dashboards()
          .map((x) => x.title)
          .sort(),
      ).toEqual(['Homewatch — Agent', 'Homewatch — Device', 'Homewatch — Home']);
    });

    it('offers every window feature (and only features) in the Device dashboard', () => {
      expect(features.sort()).toEqual(FEATURES.map((f) => f.name).sort());
    });

    it('every panel, variable and annotation query returns rows', async () => {
      const failures: string[] = [];
      let ran = 0;
      const check = async (where: string, query: string, extra: Record<string, string> = {}) => {
        const q = fill(query, { ...vars, ...extra });
        expect(q, where).not.toMatch(/\$\w|\[\[/);
        ran++;
        try {
          const rows = await d.rows(DB, q);
          if (rows.length === 0) failures.push(`${where}: no rows for ${q}`);
        } catch (err) {
          failures.push(`${where}: ${(err as Error).message}`);
        }
      };
      for (const dash of dashboards()) {
        for (const v of dash.templating.list)
          if (v.type === 'query') await check(`${dash.title} variable ${v.name}`, v.query);
        for (const a of dash.annotations.list)
          await check(`${dash.title} annotation ${a.name}`, a.query);
        for (const p of allPanels(dash.panels)) {
          for (const t of p.targets ?? []) {
            const where = `${dash.title} / ${p.title} / ${t.refId}`;
            if (p.repeat === 'feature') {
              for (const f of features) await check(`${where} (${f})`, t.query, { feature: f });
            } else await check(where, t.query);
          }
        }
      }
      expect(failures).toEqual([]);
      expect(ran).toBeGreaterThan(FEATURES.length + 15);
    });
  },
);
