/**
 * `homewatch capture` on real packets: a real capture is replayed with tcpreplay into one end of
 * a veth pair between two private network namespaces, and the agent captures on the other end.
 */
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { records, runCli } from '../../helpers/cli.js';
import { signalAndWait, startAgent, stopAllAgents } from './agent.js';
import {
  createLab,
  labUnavailable,
  manifestPackets,
  replayInto,
  SHARED,
  type Lab,
} from './netns.js';

const unavailable = labUnavailable();
const WHOLE = 'nku-lifecycle/xiaodu_plug/xiaodu_plug.pcap';
const SETUP = 'nku-lifecycle/xiaodu_plug_lifecycle/xiaodu_plug_setup.pcap';
const PPS = 4000;

type Rec = Record<string, unknown>;

/** Devices as a person compares them: MAC, name, vendor, addresses. */
function devices(recs: Rec[]): Map<string, { name: unknown; vendor: unknown; ips: unknown }> {
  const out = new Map<string, { name: unknown; vendor: unknown; ips: unknown }>();
  for (const r of recs) {
    if (r.type === 'device') out.set(String(r.mac), { name: r.name, vendor: r.vendor, ips: r.ips });
  }
  return out;
}

function only(recs: Rec[], type: string): Rec[] {
  return recs.filter((r) => r.type === type);
}

describe.skipIf(unavailable !== null)('homewatch capture in a private veth lab', () => {
  let lab: Lab;
  let dir: string;

  beforeAll(() => {
    lab = createLab();
    dir = mkdtempSync(join(tmpdir(), 'hw-capture-'));
    chmodSync(dir, 0o755); // the agent drops root to nobody, who must reach --state DIR
  });
  afterAll(() => {
    stopAllAgents();
    lab?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const binding of ['pcap', 'cap'] as const) {
    it(`${binding}: every packet arrives and the devices equal a replay's`, async () => {
      const out = join(dir, `${binding}.jsonl`);
      const agent = await startAgent(lab, ['--binding', binding, '--duration', '8', '--out', out]);
      const sent = await replayInto(lab, resolve(SHARED, WHOLE), PPS);
      const r = await agent.done;
      expect(r.code, r.stderr).toBe(0);
      const expected = manifestPackets(WHOLE);
      expect(sent).toMatchObject({ sent: expected, failed: 0 });

      const recs = records(readFileSync(out, 'utf8'));
      const summary = only(recs, 'summary');
      expect(summary).toHaveLength(1);
      expect(summary[0].packets).toBe(expected);
      expect(summary[0].dropped).toBe(0);
      const agents = only(recs, 'agent');
      expect(agents.length).toBeGreaterThanOrEqual(1);
      const last = agents[agents.length - 1];
      expect(last).toMatchObject({ packets: expected, dropped: 0, ifDropped: 0, queue: 0 });
      // cap cannot count kernel drops and says so once; pcap has nothing to say.
      const warnings = r.stderr.split('\n').filter((l) => l.length > 0);
      expect(warnings).toHaveLength(binding === 'cap' ? 1 : 0);

      const replay = runCli(['replay', resolve(SHARED, WHOLE), '--out', '-']);
      expect(replay.code).toBe(0);
      const want = devices(records(replay.stdout));
      expect(want.size).toBeGreaterThan(0);
      expect(devices(recs)).toEqual(want);
    });
  }

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal}: flushes, writes the summary and exits 0 within 5 s`, async () => {
      const out = join(dir, `${signal}.jsonl`);
      const state = join(dir, `${signal}-state`);
      const agent = await startAgent(lab, ['--out', out, '--state', state]);
      await replayInto(lab, resolve(SHARED, SETUP), PPS);
      const r = await signalAndWait(agent, signal);
      expect(r.killed).toBe(false);
      expect(r.code, r.stderr).toBe(0);
      const recs = records(readFileSync(out, 'utf8'));
      expect(only(recs, 'summary')[0]).toMatchObject({
        packets: manifestPackets(SETUP),
        dropped: 0,
      });
      // Open windows were flushed: the device has a window.
      const macs = [...devices(recs).keys()];
      expect(macs.length).toBeGreaterThan(0);
      const windowed = new Set(only(recs, 'window').map((w) => w.mac));
      for (const m of macs) expect(windowed.has(m)).toBe(true);
      // State saved: the devices it learned are in --state DIR.
      const saved = JSON.parse(readFileSync(join(state, 'state.json'), 'utf8')) as {
        devices: { devices: { mac: string }[] };
      };
      expect(saved.devices.devices.map((d) => d.mac).sort()).toEqual(macs.sort());
    });
  }

  it('--state: a damaged file is set aside; a restart knows the devices it saved', async () => {
    const state = join(dir, 'state');
    const file = resolve(SHARED, SETUP);
    // A damaged state file: set aside with one warning line, never a crash.
    mkdirSync(state, { recursive: true });
    writeFileSync(join(state, 'state.json'), '{"version":1,"savedAt":');

    const out1 = join(dir, 'state-1.jsonl');
    const a1 = await startAgent(lab, ['--state', state, '--out', out1]);
    await replayInto(lab, file, PPS);
    a1.kill('SIGTERM');
    const r1 = await a1.done;
    expect(r1.code, r1.stderr).toBe(0);
    const lines = r1.stderr.split('\n').filter((l) => l.length > 0);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/state .*state\.json is damaged .*moved to .*damaged-/);
    expect(readdirSync(state).filter((n) => n.startsWith('state.json.damaged-'))).toHaveLength(1);
    const first = devices(records(readFileSync(out1, 'utf8')));
    expect(first.size).toBeGreaterThan(0);
    const saved1 = JSON.parse(readFileSync(join(state, 'state.json'), 'utf8')) as {
      version: number;
      devices: { devices: { mac: string; firstSeen: number }[] };
    };
    expect(saved1.version).toBe(1);
    expect(saved1.devices.devices.map((d) => d.mac).sort()).toEqual([...first.keys()].sort());

    // The same traffic again, later: the devices are known, not new.
    const out2 = join(dir, 'state-2.jsonl');
    const a2 = await startAgent(lab, ['--state', state, '--out', out2]);
    await replayInto(lab, file, PPS);
    a2.kill('SIGTERM');
    const r2 = await a2.done;
    expect(r2.code, r2.stderr).toBe(0);
    expect(r2.stderr).toBe('');
    const recs2 = records(readFileSync(out2, 'utf8'));
    const saved2 = JSON.parse(readFileSync(join(state, 'state.json'), 'utf8')) as typeof saved1;
    const firstSeen1 = new Map(saved1.devices.devices.map((d) => [d.mac, d.firstSeen]));
    for (const d of saved2.devices.devices) expect(d.firstSeen).toBe(firstSeen1.get(d.mac));
    // Any device record in the second run is an update of a known device (its first sighting
    // is the first run's), never a new one.
    for (const d of only(recs2, 'device')) expect(d.firstSeen).toBe(firstSeen1.get(String(d.mac)));
    expect(only(recs2, 'summary')[0].devices).toBe(first.size);
  });
});

describe('homewatch capture errors', () => {
  it('a bad interface name: exit 2, one line naming the interfaces that exist', () => {
    const r = runCli(['capture', '--interface', 'hw-no-such0', '--duration', '1', '--out', '-']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.split('\n').filter((l) => l.length > 0);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/interface hw-no-such0 does not exist; interfaces that are up: \S+/);
  });
});
