/**
 * `homewatch replay --influx` as a user runs it, against a real influxd: the replay lands point
 * for point at packet time (device_window points = window records, alert points = alert records,
 * whatever detection raises); two runs sit side by side under their `run` tags; InfluxDB down
 * when the replay starts and up 5 s later loses nothing; wrong credentials and an unreachable
 * server end in one clear line, not a stack trace.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, records, runCliAsync } from '../../helpers/cli.js';
import { freePort, Influxd, influxdUnavailable, stopAllInfluxd } from '../../helpers/influxd.js';
import { NKU_HOME } from './records.js';

const unavailable = influxdUnavailable();
type Rec = Record<string, unknown>;

/** Runs the built CLI with extra environment variables. */
function runWithEnv(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** One line on stderr, no stack trace. */
function oneLine(stderr: string): string {
  const lines = stderr.trimEnd().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(stderr).not.toMatch(/^\s+at /m);
  return lines[0];
}

describe.skipIf(unavailable !== null)('homewatch replay --influx (real influxd)', () => {
  let d: Influxd;
  let dir: string;
  beforeAll(async () => {
    d = await Influxd.create();
    dir = mkdtempSync(join(tmpdir(), 'hw-influx-cli-'));
  });
  afterAll(async () => {
    await d?.destroy();
    stopAllInfluxd();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lands point for point at packet time, tagged with the capture file name', async () => {
    const out = join(dir, 'a.jsonl');
    const r = await runCliAsync([
      'replay',
      ...NKU_HOME,
      '--out',
      out,
      '--influx',
      `${d.url}/replay`,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const recs = records(readFileSync(out, 'utf8'));
    const windows = recs.filter((x) => x.type === 'window');
    const alerts = recs.filter((x) => x.type === 'alert');
    const run = basename(NKU_HOME[0]);
    const delivered = windows.length + alerts.length + 1; // + the summary's agent point
    expect(oneLine(r.stderr)).toMatch(
      new RegExp(
        `^homewatch: ${delivered.toLocaleString('en-US')} points delivered to ${d.url}/replay \\(run '${run.replace(/\./g, '\\.')}'`,
      ),
    );

    const points = await d.rows(
      'replay',
      'SELECT packetsUp, bytesDown FROM device_window GROUP BY mac, run',
    );
    expect(points).toHaveLength(windows.length);
    const byKey = new Map(points.map((p) => [`${p.mac}@${p.time}`, p]));
    for (const w of windows as (Rec & { features: Rec })[]) {
      const t = Math.round(Number(w.start) * 1e6) * 1000;
      const p = byKey.get(`${w.mac}@${t}`);
      expect(p, `${w.mac} ${w.start}`).toMatchObject({
        run,
        packetsUp: w.features.packetsUp,
        bytesDown: w.features.bytesDown,
      });
    }
    expect(await d.count('replay', 'alert')).toBe(alerts.length);
    const [agent] = await d.rows('replay', 'SELECT * FROM agent');
    const summary = recs.find((x) => x.type === 'summary') as Rec;
    expect(agent).toMatchObject({ packets: summary.packets, malformed: summary.malformed });
    expect(agent.time).toBe(Math.round(Number(summary.lastTs) * 1e6) * 1000);
  });

  it('keeps two runs over the same capture apart by their run tag', async () => {
    const file = NKU_HOME[1];
    for (const run of ['model-a', 'model-b']) {
      const r = await runCliAsync([
        'replay',
        file,
        '--out',
        '/dev/null',
        '--influx',
        `${d.url}/runs`,
        '--run',
        run,
      ]);
      expect(r.code, r.stderr).toBe(0);
    }
    const a = await d.count('runs', 'device_window', `"run" = 'model-a'`);
    const b = await d.count('runs', 'device_window', `"run" = 'model-b'`);
    expect(a).toBeGreaterThan(0);
    expect(b).toBe(a);
  });

  it('loses nothing when InfluxDB is down as the replay starts and up 5 s later', async () => {
    const late = await Influxd.create({}, false);
    try {
      const out = join(dir, 'late.jsonl');
      const replay = runCliAsync([
        'replay',
        ...NKU_HOME,
        '--out',
        out,
        '--influx',
        `${late.url}/late`,
      ]);
      await new Promise((r) => setTimeout(r, 5000));
      await late.start();
      const r = await replay;
      expect(r.code, r.stderr).toBe(0);
      const recs = records(readFileSync(out, 'utf8'));
      expect(await late.count('late', 'device_window')).toBe(
        recs.filter((x) => x.type === 'window').length,
      );
      expect(await late.count('late', 'agent')).toBe(1);
    } finally {
      await late.destroy();
    }
  });

  it('says in one line that the credentials are wrong, and takes the right ones from a secret file', async () => {
    const secure = await Influxd.create({ admin: { user: 'hwadmin', password: 'right-one' } });
    try {
      const wrong = await runCliAsync([
        'replay',
        NKU_HOME[1],
        '--out',
        '/dev/null',
        '--influx',
        `http://hwadmin:wrong-one@127.0.0.1:${secure.port}/db`,
      ]);
      expect(wrong.code).toBe(1);
      const line = oneLine(wrong.stderr);
      expect(line).toMatch(/refused the credentials \(user 'hwadmin'\)/);
      expect(line).not.toContain('wrong-one');

      const secret = join(dir, 'influxdb_password');
      writeFileSync(secret, 'right-one\n');
      const right = await runWithEnv(['replay', NKU_HOME[1], '--out', '/dev/null'], {
        HOMEWATCH_INFLUX_URL: `http://127.0.0.1:${secure.port}/db`,
        HOMEWATCH_INFLUX_USER: 'hwadmin',
        HOMEWATCH_INFLUX_PASSWORD_FILE: secret,
      });
      expect(right.code, right.stderr).toBe(0);
      expect(await secure.count('db', 'device_window')).toBeGreaterThan(0);
    } finally {
      await secure.destroy();
    }
  });

  it('says in one line that InfluxDB cannot be reached, after --influx-timeout', async () => {
    const port = await freePort();
    const started = Date.now();
    const r = await runCliAsync([
      'replay',
      NKU_HOME[1],
      '--out',
      '/dev/null',
      '--influx',
      `http://127.0.0.1:${port}/db`,
      '--influx-timeout',
      '2',
    ]);
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toMatch(
      new RegExp(
        `^homewatch: http://127.0.0.1:${port}/db: InfluxDB accepted no point for 2 s \\(--influx-timeout\\): .*ECONNREFUSED.*; 0 points delivered, \\d+ not$`,
      ),
    );
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
