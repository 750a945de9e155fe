/**
 * Detection end to end on generated homes (datasets/generator), as a user runs it: the CLI
 * replays a home in which every behaviour is injected into a named device after a benign
 * period, and `evaluate` scores its alerts against the labels. The seeds here are the tests'
 * own (never the held-out ones bench/detection.ts reports).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Evaluation } from '../../src/evaluate/score.js';
import { evaluateAndReplay, records, REPO, runCli } from '../helpers/cli.js';
import { splitCapture } from '../helpers/split.js';

const dir = mkdtempSync(join(tmpdir(), 'hw-scenario-'));
const DEMO = join(REPO, 'datasets/demo-home/vacuum.pcap.gz');
const DEMO_LABELS = join(REPO, 'datasets/demo-home/vacuum.labels.json');
const VACUUM = 'b0:4a:39:57:c5:d4';

function generate(seed: string, hours: number, inject = 'all'): { pcap: string; labels: string } {
  const pcap = join(dir, `${seed}.pcap`);
  const labels = join(dir, `${seed}.json`);
  const r = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      'datasets/generator/generate.ts',
      '--out',
      pcap,
      '--hours',
      String(hours),
    ].concat(['--inject', inject, '--seed', seed, '--labels', labels]),
    { cwd: REPO, encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(r.stderr);
  return { pcap, labels };
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a generated home with every behaviour injected', () => {
  let evaluation: Evaluation;
  let alerts: Record<string, unknown>[];

  beforeAll(() => {
    const { pcap, labels } = generate('test-home-1', 6);
    const run = evaluateAndReplay(pcap, labels, dir);
    evaluation = run.evaluation;
    alerts = run.records.filter((x) => x.type === 'alert');
  }, 180_000);

  it('names every behaviour on the device it was injected into, within minutes', () => {
    const missed = evaluation.events.filter((e) => !e.detected);
    expect(missed).toEqual([]);
    expect(evaluation.overall.events).toBe(11);
    for (const e of evaluation.events) expect(e.delayS as number).toBeLessThan(15 * 60);
  });

  it('raises nothing on the traps of a benign home', () => {
    expect(evaluation.falseAlerts).toEqual([]);
  });

  it('writes every alert as one sentence built from its evidence', () => {
    expect(alerts.length).toBeGreaterThan(11);
    for (const a of alerts) {
      expect(a.summary as string).toMatch(/^[A-Z].{30,}[.)]$/);
      expect(a.summary as string).not.toMatch(/undefined|NaN|\[object|null|Infinity/);
      expect((a.evidence as Record<string, unknown>).since).toBeTypeOf('number');
    }
    // Each episode: one open, at most one update every 5 minutes, one closed.
    const byEpisode = new Map<string, Record<string, unknown>[]>();
    for (const a of alerts)
      byEpisode.set(a.episode as string, [...(byEpisode.get(a.episode as string) ?? []), a]);
    for (const recs of byEpisode.values()) {
      expect(recs[0].state).toBe('open');
      expect(recs.at(-1)?.state).toBe('closed');
      expect(recs.filter((r) => r.state === 'open')).toHaveLength(1);
      const updates = recs.filter((r) => r.state === 'update').map((r) => r.ts as number);
      for (let i = 1; i < updates.length; i++)
        expect(updates[i] - updates[i - 1]).toBeGreaterThanOrEqual(300);
    }
  });
});

describe('a home whose devices run Mirai scans', () => {
  it('is one incident a scan: its logins on the telnet hosts that answered are no upload', () => {
    // Before the fix this home raised abnormal_upload on two of the scanning devices.
    const { pcap, labels } = generate('test-scans-2', 4, 'scan,scan,scan,scan:telnet+lan');
    const json = join(dir, 'scans.json');
    const r = runCli(['evaluate', pcap, '--labels', labels, '--json', json], {
      timeoutMs: 120_000,
    });
    expect(r.code, r.stderr).toBe(0);
    const e = JSON.parse(readFileSync(json, 'utf8')) as Evaluation;
    expect(e.events.filter((x) => !x.detected)).toEqual([]);
    expect(e.overall.events).toBe(4);
    expect(e.falseAlerts).toEqual([]);
  }, 180_000);
});

describe('a capture begun in the middle of an ARP spoof', () => {
  it('names the man in the middle by its own address, never the router or the victims it speaks for', () => {
    const { pcap, labels } = generate('test-mid-spoof', 2.5, 'lateral_movement:arp');
    const event = (
      JSON.parse(readFileSync(labels, 'utf8')) as {
        events: { mac: string; behaviours: string[]; start: number }[];
      }
    ).events.find((e) => e.behaviours.includes('lateral_movement'));
    expect(event).toBeDefined();
    if (event === undefined) return;
    // Cut two minutes into the spoof: the first packets of the cut show the spoofer forwarding
    // its victims' packets under their addresses and answering ARP for the router.
    const cut = new Date((event.start + 120) * 1000).toISOString().slice(0, 19).replace('T', ' ');
    const mid = join(dir, 'mid-spoof.pcap');
    const r = spawnSync('editcap', ['-A', cut, pcap, mid], { env: { ...process.env, TZ: 'UTC' } });
    expect(r.status, String(r.stderr)).toBe(0);
    const fromMid = records(runCli(['replay', mid, '--out', '-']).stdout);
    const named = fromMid
      .filter((x) => x.type === 'alert' && x.behaviour === 'lateral_movement' && x.state === 'open')
      .map((x) => x.mac);
    expect(named).toEqual([event.mac]);

    // Its own address: the one it used before the spoof (its first record in the whole home).
    const whole = records(runCli(['replay', pcap, '--out', '-'], { timeoutMs: 120_000 }).stdout);
    const own = (whole.find((x) => x.type === 'device' && x.mac === event.mac)?.ips ??
      []) as string[];
    expect(own).toHaveLength(1);
    for (const recs of [whole, fromMid]) {
      const alerts = recs.filter((x) => x.type === 'alert' && x.behaviour === 'lateral_movement');
      expect(alerts.length).toBeGreaterThan(0);
      // The addresses it answered ARP for: the router's and its victims'.
      const claimed = new Set(
        alerts.flatMap((a) =>
          ((a.evidence as { claimed: string[] }).claimed ?? []).map((c) => c.split(' ')[0]),
        ),
      );
      expect(claimed.size).toBeGreaterThan(1);
      // The sentence names it by its own address (or by none, while it has not used it yet in a
      // capture that began mid-spoof), never by an address it claimed; the last one by its own.
      const who = alerts.map(
        (a) => /^[^(]*(?:\(([^)]*)\))? has been/.exec(a.summary as string)?.[1],
      );
      for (const w of who)
        for (const ip of claimed) expect((w ?? '').split(', ')).not.toContain(ip);
      expect((who.at(-1) ?? '').split(', ')).toContain(own[0]);
      // Its device records, once it is known for a spoofer, list none of its claimed addresses.
      const last = recs.filter((x) => x.type === 'device' && x.mac === event.mac).at(-1);
      expect(last?.ips).toEqual(own);
    }
  }, 180_000);
});

describe('the demo home', () => {
  it('replays with its vacuum’s three behaviours, and evaluate finds them', () => {
    const r = runCli(['evaluate', DEMO, '--labels', DEMO_LABELS]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^all\s+3\s+3\s+0\s/m);
    expect(r.stdout).toMatch(/recall 1\.000; 0 false alerts/);
  });

  it('stays silent on what judges a device against its normal while it learns', () => {
    // A learning phase longer than the capture: the beacon is not judged; UPnP and inbound
    // connections need no baseline and are still named.
    const recs = records(runCli(['replay', DEMO, '--learn', '20000', '--out', '-']).stdout);
    const named = new Set(recs.filter((x) => x.type === 'alert').map((x) => x.behaviour));
    expect(named.has('beaconing')).toBe(false);
    expect(named.has('upnp_exposure')).toBe(true);
    expect(named.has('inbound_exposure')).toBe(true);
  });

  it('--allow drops what the household accepts, and only that', () => {
    const allow = join(dir, 'allow.json');
    writeFileSync(
      allow,
      JSON.stringify([
        { mac: VACUUM, behaviour: 'beaconing', endpoint: '34.33.102.100', reason: 'vendor relay' },
      ]),
    );
    const recs = records(runCli(['replay', DEMO, '--allow', allow, '--out', '-']).stdout);
    const named = new Set(recs.filter((x) => x.type === 'alert').map((x) => x.behaviour));
    expect([...named].sort()).toEqual(['inbound_exposure', 'upnp_exposure']);
    const bad = runCli(['replay', DEMO, '--allow', join(dir, 'missing.json')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('--state carries baselines and open episodes across a restart: split in two, the same alerts', () => {
    // The capture cut at 14:02, just before the beacon starts: the second run only sees the
    // beacon with the vacuum's baseline from the first (alone, it would be learning for an hour).
    const [whole, part1, part2] = splitCapture(DEMO, '2024-06-01 14:02:00', dir);
    const named = (recs: Record<string, unknown>[]): string[] =>
      [
        ...new Set(
          recs
            .filter((x) => x.type === 'alert' && x.state === 'open')
            .map((x) => `${x.behaviour as string}@${x.mac as string}`),
        ),
      ].sort();
    const state = join(dir, 'state');
    const first = records(runCli(['replay', part1, '--state', state, '--out', '-']).stdout);
    const saved = JSON.parse(readFileSync(join(state, 'state.json'), 'utf8')) as {
      baselines: { devices: { mac: string; learnedAt: number | null }[] };
      episodes: { behaviour: string; mac: string }[];
    };
    expect(saved.baselines.devices.find((d) => d.mac === VACUUM)?.learnedAt).toBeTypeOf('number');
    expect(saved.episodes.map((e) => e.behaviour)).toEqual(['upnp_exposure']);
    const second = records(runCli(['replay', part2, '--state', state, '--out', '-']).stdout);
    expect(named(first)).toEqual([`upnp_exposure@${VACUUM}`]);
    expect(named(second)).toEqual([`beaconing@${VACUUM}`, `inbound_exposure@${VACUUM}`]);
    // The mapping's episode, opened in the first run, closes in the second under the same id.
    const upnp = (recs: Record<string, unknown>[]) =>
      recs.filter((x) => x.type === 'alert' && x.behaviour === 'upnp_exposure');
    expect(upnp(second).at(-1)?.state).toBe('closed');
    expect(upnp(second).at(-1)?.episode).toBe(upnp(first)[0].episode);
    const all = records(runCli(['replay', whole, '--out', '-']).stdout);
    expect(named(all)).toEqual([...named(first), ...named(second)].sort());
  });

  it('--state keeps the contacts of a beacon in the making: cut mid-beacon, the same alert', () => {
    // Cut at 14:05, after the vacuum's first four contacts to its new host (14:03:31 on, every
    // 25 s): the second run goes on counting from them, as one replay of the whole would.
    const sub = join(dir, 'mid-beacon');
    mkdirSync(sub);
    const [whole, part1, part2] = splitCapture(DEMO, '2024-06-01 14:05:00', sub);
    const beacon = (recs: Record<string, unknown>[]) =>
      recs.find((x) => x.type === 'alert' && x.behaviour === 'beaconing' && x.state === 'open');
    const once = beacon(records(runCli(['replay', whole, '--out', '-']).stdout));
    const state = join(sub, 'state');
    const first = records(runCli(['replay', part1, '--state', state, '--out', '-']).stdout);
    expect(beacon(first)).toBeUndefined();
    const second = beacon(
      records(runCli(['replay', part2, '--state', state, '--out', '-']).stdout),
    );
    expect(once?.evidence).toMatchObject({ firstContact: expect.any(Number) as number });
    const cut = Date.parse('2024-06-01T14:05:00Z') / 1000;
    expect((once?.evidence as { firstContact: number }).firstContact).toBeLessThan(cut);
    expect([second?.ts, second?.summary, second?.evidence]).toEqual([
      once?.ts,
      once?.summary,
      once?.evidence,
    ]);
  });
});
