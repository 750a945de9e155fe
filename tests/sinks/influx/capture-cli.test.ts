/**
 * `homewatch capture --influx` on real packets (tcpreplay on a veth pair) and a real influxd:
 * influxd killed and restarted while the agent runs loses no point (every window and agent
 * record of the JSON-lines output is in InfluxDB); with InfluxDB down, what the agent could not
 * deliver waits in --state DIR and a later agent, started when InfluxDB is back, delivers it.
 * Root only (network namespaces, packet capture).
 */
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { records } from '../../helpers/cli.js';
import { Influxd, influxdUnavailable, stopAllInfluxd } from '../../helpers/influxd.js';
import { signalAndWait, startAgent, stopAllAgents } from '../../capture/live/agent.js';
import {
  createLab,
  labUnavailable,
  manifestPackets,
  replayInto,
  SHARED,
  type Lab,
} from '../../capture/live/netns.js';

const unavailable = labUnavailable() ?? influxdUnavailable();
const PLUG = 'nku-lifecycle/xiaodu_plug/xiaodu_plug.pcap';
const SETUP = 'nku-lifecycle/xiaodu_plug_lifecycle/xiaodu_plug_setup.pcap';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe.skipIf(unavailable !== null)('homewatch capture --influx (veth lab, real influxd)', () => {
  let lab: Lab;
  let dir: string;
  beforeAll(() => {
    // The agent runs in this namespace, so that it reaches influxd on 127.0.0.1.
    lab = createLab(true);
    dir = mkdtempSync(join(tmpdir(), 'hw-capture-influx-'));
    chmodSync(dir, 0o755); // the agent drops root to nobody
  });
  afterAll(() => {
    stopAllAgents();
    stopAllInfluxd();
    lab?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('loses nothing when influxd is killed and restarted mid-capture', async () => {
    const d = await Influxd.create();
    try {
      const out = join(dir, 'restart.jsonl');
      const agent = await startAgent(lab, [
        '--out',
        out,
        '--window',
        '2',
        '--influx',
        `${d.url}/live`,
      ]);
      // ~16 s of traffic; influxd dies 5 s in and is back 4 s later.
      const replay = replayInto(lab, resolve(SHARED, PLUG), 400);
      await sleep(5000);
      expect(await d.count('live', 'device_window')).toBeGreaterThan(0);
      await d.stop('SIGKILL');
      await sleep(4000);
      await d.start();
      expect((await replay).sent).toBe(manifestPackets(PLUG));
      await sleep(2500);
      const r = await signalAndWait(agent, 'SIGTERM');
      expect(r.code, r.stderr).toBe(0);
      expect(r.killed).toBe(false);
      const recs = records(readFileSync(out, 'utf8'));
      const windows = recs.filter((x) => x.type === 'window').length;
      expect(windows).toBeGreaterThan(5);
      expect(await d.count('live', 'device_window', `"run" = 'live'`)).toBe(windows);
      expect(await d.count('live', 'agent')).toBe(recs.filter((x) => x.type === 'agent').length);
      // The outage and the recovery, one line each; the last line counts the delivery.
      expect(r.stderr).toMatch(/unavailable \(.*\); retrying/);
      expect(r.stderr).toMatch(/is back; delivering/);
      expect(r.stderr).toMatch(new RegExp(`points delivered to ${d.url}/live \\(run 'live'`));
    } finally {
      await d.destroy();
    }
  }, 60_000);

  it('keeps what it could not deliver in --state DIR for the next agent', async () => {
    const d = await Influxd.create({}, false); // down while the first agent runs
    const state = join(dir, 'state');
    try {
      const out = join(dir, 'spool.jsonl');
      const first = await startAgent(lab, [
        '--out',
        out,
        '--state',
        state,
        '--window',
        '2',
        '--influx',
        `${d.url}/spool`,
      ]);
      await replayInto(lab, resolve(SHARED, SETUP), 2000);
      await sleep(1000);
      const r1 = await signalAndWait(first, 'SIGTERM');
      expect(r1.code, r1.stderr).toBe(0);
      const recs = records(readFileSync(out, 'utf8'));
      const windows = recs.filter((x) => x.type === 'window').length;
      const agents = recs.filter((x) => x.type === 'agent').length;
      expect(windows).toBeGreaterThan(0);
      expect(r1.stderr).toMatch(
        new RegExp(`0 points delivered .*; ${windows + agents} waiting in ${state}/influx-spool`),
      );
      expect(readdirSync(join(state, 'influx-spool')).length).toBeGreaterThan(0);

      await d.start();
      const second = await startAgent(lab, ['--state', state, '--influx', `${d.url}/spool`]);
      const until = Date.now() + 20_000;
      while ((await d.count('spool', 'device_window')) < windows && Date.now() < until)
        await sleep(250);
      const r2 = await signalAndWait(second, 'SIGTERM');
      expect(r2.code, r2.stderr).toBe(0);
      expect(await d.count('spool', 'device_window')).toBe(windows);
      // The first agent's agent points, and the second's own.
      expect(await d.count('spool', 'agent')).toBeGreaterThan(agents);
      expect(readdirSync(join(state, 'influx-spool'))).toEqual([]);
    } finally {
      await d.destroy();
    }
  }, 60_000);
});
