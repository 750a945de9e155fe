/**
 * `homewatch capture` over time and when it cannot start: the periodic `agent` record on real
 * packets in a private veth lab, and the one-line errors for a capture without permission and
 * for a bad --filter (no packets are sent by those: the capture is refused before it starts).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODULE_PATHS } from '../../../src/capture/live/binding.js';
import { CLI, REPO, records, runCli } from '../../helpers/cli.js';
import { startAgent, stopAllAgents } from './agent.js';
import {
  createLab,
  labUnavailable,
  manifestPackets,
  replayInto,
  SHARED,
  type Lab,
} from './netns.js';

const unavailable = labUnavailable();
const FILE = 'nku-lifecycle/xiaodu_plug/xiaodu_plug.pcap';
const SETUP = 'nku-lifecycle/xiaodu_plug_lifecycle/xiaodu_plug_setup.pcap';
/** 6428 packets at 400/s: traffic flows for ~16 s of the 22 s capture. */
const PPS = 400;
const AGENT_FIELDS = [
  'bytes',
  'dropped',
  'ifDropped',
  'lagSeconds',
  'packets',
  'queue',
  'ts',
  'type',
];

type Rec = Record<string, unknown>;

/** Why `nobody` cannot run the built CLI from here, or null when it can. */
function nobodyUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'needs root to switch to nobody';
  const addon = resolve(REPO, 'node_modules', `${MODULE_PATHS.pcap}.node`);
  const r = spawnSync(
    'setpriv',
    [
      ...NOBODY,
      process.execPath,
      '-e',
      `fs.accessSync(${JSON.stringify(CLI)}, fs.constants.R_OK);
fs.accessSync(${JSON.stringify(addon)}, fs.constants.R_OK)`,
    ],
    { encoding: 'utf8' },
  );
  if (r.error) return 'setpriv is missing (Debian package util-linux)';
  if (r.status !== 0)
    return `user nobody cannot read the built CLI and the pcap addon under ${REPO} (a parent directory is not traversable)`;
  return null;
}

/** setpriv arguments: user nobody, no groups, no capabilities of any kind. */
const NOBODY = [
  '--reuid=nobody',
  '--regid=nogroup',
  '--clear-groups',
  '--inh-caps=-all',
  '--bounding-set=-all',
];
const noNobody = nobodyUnavailable();

describe.skipIf(unavailable !== null)('homewatch capture: the agent record', () => {
  let lab: Lab;
  let dir: string;
  beforeAll(() => {
    lab = createLab();
    dir = mkdtempSync(join(tmpdir(), 'hw-agent-'));
    chmodSync(dir, 0o755); // the agent drops root to nobody
  });
  afterAll(() => {
    stopAllAgents();
    lab?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('an agent record every 10 s of wall time, fields as DESIGN.md says', async () => {
    const out = join(dir, 'agent.jsonl');
    const t0 = Date.now() / 1000;
    const agent = await startAgent(lab, ['--duration', '22', '--out', out]);
    const sent = await replayInto(lab, resolve(SHARED, FILE), PPS);
    const r = await agent.done;
    const t1 = Date.now() / 1000;
    expect(r.code, r.stderr).toBe(0);
    const total = manifestPackets(FILE);
    expect(sent.sent).toBe(total);

    const recs = records(readFileSync(out, 'utf8'));
    const types = recs.map((x) => x.type);
    const summaryAt = types.indexOf('summary');
    expect(summaryAt).toBe(recs.length - 1);
    const agents = recs.filter((x) => x.type === 'agent') as (Rec & Record<string, number>)[];
    // Two periodic records (at ~10 s and ~20 s) and the last one written at the end.
    expect(agents.length).toBe(3);
    for (const a of agents) {
      expect(Object.keys(a).sort()).toEqual(AGENT_FIELDS);
      for (const k of AGENT_FIELDS) if (k !== 'type') expect(typeof a[k], k).toBe('number');
      expect(a.ts).toBeGreaterThan(t0);
      expect(a.ts).toBeLessThan(t1);
      expect(a).toMatchObject({ dropped: 0, ifDropped: 0 });
      expect(a.bytes).toBeGreaterThanOrEqual(a.packets * 42);
    }
    // 10 s apart (setInterval; a loaded machine may be a little late, never early).
    const gap = agents[1].ts - agents[0].ts;
    expect(gap).toBeGreaterThanOrEqual(9.9);
    expect(gap).toBeLessThan(12);
    // Live readings: the first was taken while traffic still flowed, counts only grow, and the
    // last agrees with the summary.
    expect(agents[0].packets).toBeGreaterThan(0);
    expect(agents[0].packets).toBeLessThan(total);
    expect(agents[1].packets).toBeGreaterThanOrEqual(agents[0].packets);
    expect(agents[2].packets).toBeGreaterThanOrEqual(agents[1].packets);
    expect(agents[2]).toMatchObject({ packets: total, queue: 0 });
    expect(recs[summaryAt]).toMatchObject({ packets: total, dropped: 0 });
  }, 40_000);

  it.skipIf(noNobody !== null)(
    `as nobody with only CAP_NET_RAW and CAP_NET_ADMIN: every packet arrives${noNobody ? ` (skipped: ${noNobody})` : ''}`,
    async () => {
      const caps = '+net_raw,+net_admin';
      const agent = await startAgent(
        lab,
        ['--duration', '4', '--out', '-'],
        [
          'setpriv',
          ...NOBODY.slice(0, 3),
          `--inh-caps=-all,${caps}`,
          `--ambient-caps=${caps}`,
          `--bounding-set=-all,${caps}`,
        ],
      );
      const sent = await replayInto(lab, resolve(SHARED, SETUP), 2000);
      const r = await agent.done;
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toBe('');
      expect(sent.sent).toBe(manifestPackets(SETUP));
      const summary = records(r.stdout).filter((x) => x.type === 'summary');
      expect(summary).toEqual([expect.objectContaining({ packets: sent.sent, dropped: 0 })]);
    },
  );
});

describe('homewatch capture refuses to start, in one line', () => {
  it.skipIf(noNobody !== null)(
    `without capabilities: exit 2 naming CAP_NET_RAW and CAP_NET_ADMIN${noNobody ? ` (skipped: ${noNobody})` : ''}`,
    () => {
      const r = spawnSync(
        'setpriv',
        [...NOBODY, process.execPath, CLI, 'capture', '--interface', 'lo', '--duration', '1'],
        { encoding: 'utf8', cwd: tmpdir(), timeout: 30_000 },
      );
      expect(r.status, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      const lines = r.stderr.split('\n').filter((l) => l.length > 0);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^homewatch: capture on lo: no permission \(.*\): /);
      expect(lines[0]).toContain('CAP_NET_RAW');
      expect(lines[0]).toContain('CAP_NET_ADMIN');
    },
  );

  // A syntax error, and a name libpcap cannot resolve (its message has no common form).
  for (const [binding, filter] of [
    ['pcap', 'tcp and and'],
    ['pcap', 'tcp port nonsense'],
    ['cap', 'tcp and and'],
    ['cap', 'tcp port nonsense'],
  ] as const) {
    it.skipIf(process.getuid?.() !== 0)(
      `${binding}: --filter '${filter}': exit 2 naming it`,
      () => {
        const r = runCli(
          [
            'capture',
            '--binding',
            binding,
            '--interface',
            'lo',
            '--filter',
            filter,
            '--duration',
            '1',
          ],
          { timeoutMs: 15_000 },
        );
        expect(r.code, r.stderr).toBe(2);
        expect(r.stdout).toBe('');
        const lines = r.stderr.split('\n').filter((l) => l.length > 0);
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(new RegExp(`^homewatch: --filter '${filter}': \\S`));
      },
    );
  }
});
