/** `homewatch replay` as a user runs it: outputs, determinism, options. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BEHAVIOURS } from '../../src/detect/types.js';
import { FEATURE_NAMES } from '../../src/features/schema.js';
import { REPO, SHARED, records, runCli } from '../helpers/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'hw-replay-'));
const NKU = [
  'xiaodu_plug.pcap.gz',
  'xiaobai_Y2camera_setup.pcap.gz',
  'xiaobai_Y2camera_idle_local.pcap.gz',
].map((f) => join(REPO, 'datasets/nku-home', f));
const BLINK = join(SHARED, 'moniotr-blink-hub/2019-04-25_idle.pcap');

/** Output without the wall-clock fields of the summary. */
function stable(jsonl: string): string {
  return jsonl.replace(/"wallSeconds":[0-9.e+-]+,"packetsPerSecond":[0-9.e+-]+/, '');
}

describe('homewatch replay', () => {
  it('is deterministic: two replays give the same bytes apart from wall-clock figures', () => {
    const a = join(tmp, 'a.jsonl');
    const b = join(tmp, 'b.jsonl');
    expect(runCli(['replay', ...NKU, '--out', a]).code).toBe(0);
    expect(runCli(['replay', ...NKU, '--out', b]).code).toBe(0);
    const ta = readFileSync(a, 'utf8');
    expect(ta.length).toBeGreaterThan(10_000);
    expect(stable(readFileSync(b, 'utf8'))).toBe(stable(ta));
  });

  it('gives the same output whatever order the files are named in (one timeline)', () => {
    const fwd = runCli(['replay', ...NKU, '--out', '-']);
    const rev = runCli(['replay', ...[...NKU].reverse(), '--out', '-']);
    expect(stable(rev.stdout)).toBe(stable(fwd.stdout));
  });

  it('writes records as DESIGN.md specifies them', () => {
    const recs = records(runCli(['replay', ...NKU, '--out', '-']).stdout);
    const types = new Set(recs.map((r) => r.type));
    expect([...types].sort()).toEqual(['alert', 'device', 'summary', 'window']);
    expect(recs.at(-1)?.type).toBe('summary');
    for (const r of recs) {
      if (r.type === 'alert') {
        expect(Object.keys(r)).toEqual([
          'type',
          'mac',
          'ts',
          'behaviour',
          'score',
          'summary',
          'evidence',
          'episode',
          'state',
          'severity',
        ]);
        expect(['open', 'update', 'closed']).toContain(r.state);
        expect(['low', 'medium', 'high']).toContain(r.severity);
      } else if (r.type === 'device') {
        expect(Object.keys(r)).toEqual([
          'type',
          'mac',
          'ips',
          'vendor',
          'name',
          'firstSeen',
          'kind',
          'kindConfidence',
          'kindEvidence',
        ]);
        expect(r.mac).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
      } else if (r.type === 'window') {
        expect(Object.keys(r)).toEqual([
          'type',
          'mac',
          'start',
          'end',
          'features',
          'score',
          'behaviours',
        ]);
        expect(Object.keys(r.features as object)).toEqual(FEATURE_NAMES);
        expect(r.end as number).toBe((r.start as number) + 60);
        expect((r.start as number) % 60).toBe(0);
        // The shipped model scores every window (0 while the device learns).
        expect(r.score as number).toBeGreaterThanOrEqual(0);
        expect(r.score as number).toBeLessThanOrEqual(1);
        for (const [b, p] of Object.entries(r.behaviours as Record<string, number>)) {
          expect(BEHAVIOURS).toContain(b);
          expect(p).toBeGreaterThanOrEqual(0);
          expect(p).toBeLessThanOrEqual(1);
        }
      } else {
        expect(Object.keys(r)).toEqual([
          'type',
          'packets',
          'bytes',
          'devices',
          'malformed',
          'truncated',
          'alerts',
          'firstTs',
          'lastTs',
          'wallSeconds',
          'packetsPerSecond',
        ]);
      }
    }
    // Every device appears in a device record before its first window.
    const seen = new Set<string>();
    for (const r of recs) {
      if (r.type === 'device') seen.add(r.mac as string);
      if (r.type === 'window') expect(seen.has(r.mac as string)).toBe(true);
    }
  });

  it('finds the devices of the nku home, their addresses and the gateway', () => {
    const recs = records(runCli(['replay', ...NKU, '--out', '-']).stdout);
    const last = new Map<string, Record<string, unknown>>();
    for (const r of recs) if (r.type === 'device') last.set(r.mac as string, r);
    expect([...last.keys()].sort()).toEqual([
      '78:df:72:24:69:4d',
      'c8:bf:4c:77:a0:3a',
      'f4:21:ae:9e:8f:cb',
    ]);
    expect(last.get('f4:21:ae:9e:8f:cb')?.ips).toEqual(['192.168.1.221']);
    expect(last.get('78:df:72:24:69:4d')?.ips).toEqual(['192.168.1.165']);
    // The camera's DHCP server gives its host name (option 12) in the ACK.
    expect(last.get('78:df:72:24:69:4d')?.name).toMatch(/^chuangmi/);
    const table = runCli(['replay', ...NKU]).stdout;
    expect(table).toMatch(/c8:bf:4c:77:a0:3a \(gateway\)/);
    expect(table).toMatch(/f4:21:ae:9e:8f:cb .*192\.168\.1\.221/);
    expect(table).toMatch(/packets .* 3 devices/);
  });

  it('--window sets the window length', () => {
    const recs = records(runCli(['replay', BLINK, '--window', '300', '--out', '-']).stdout);
    const windows = recs.filter((r) => r.type === 'window');
    expect(windows.length).toBeGreaterThan(50);
    for (const w of windows) {
      expect((w.start as number) % 300).toBe(0);
      expect(w.end).toBe((w.start as number) + 300);
    }
  });

  it('--lan makes another range local: the hub\u2019s cloud server becomes a LAN peer', () => {
    const hub = (args: string[]): Record<string, number> => {
      const ws = records(runCli(['replay', BLINK, ...args, '--out', '-']).stdout).filter(
        (r) => r.type === 'window' && r.mac === '00:03:7f:96:d8:ec',
      );
      const sum: Record<string, number> = {};
      for (const w of ws)
        for (const [k, v] of Object.entries(w.features as Record<string, number>))
          sum[k] = (sum[k] ?? 0) + v;
      return sum;
    };
    const plain = hub([]);
    const lan = hub(['--lan', '3.121.70.0/24']);
    expect(plain.remoteIps).toBeGreaterThan(lan.remoteIps);
    expect(lan.lanPeers).toBeGreaterThan(plain.lanPeers);
  });

  it('sees the hub\u2019s 30-second heartbeat as regular', () => {
    const ws = records(runCli(['replay', BLINK, '--out', '-']).stdout).filter(
      (r) => r.type === 'window' && r.mac === '00:03:7f:96:d8:ec',
    );
    const scored = ws
      .map((w) => w.features as Record<string, number>)
      .filter((f) => f.beaconContacts >= 20);
    expect(scored.length).toBeGreaterThan(100);
    const periods = scored.map((f) => f.beaconPeriodS).sort((a, b) => a - b);
    const median = periods[Math.floor(periods.length / 2)];
    // INDEX.md counts a 69-byte TLS record every ~15 s, but tshark shows them in pairs 15-60 ms
    // apart, every 30 s (then the server's answer): one contact every 30 s.
    expect(median).toBeGreaterThan(29);
    expect(median).toBeLessThan(31);
    expect(Math.min(...scored.map((f) => f.beaconScore))).toBeGreaterThan(0.8);
  });

  it('prints help and refuses an --influx that is no URL', () => {
    const help = runCli(['replay', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--window SEC/);
    const influx = runCli(['replay', BLINK, '--influx', '127.0.0.1:8086/homewatch']);
    expect(influx.code).toBe(2);
    expect(influx.stderr).toMatch(/--influx/);
  });
});
