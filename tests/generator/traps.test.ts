/**
 * Benign scenario homes carry the traps a naive detector falls for, in every home: a
 * camera's steady upload, a speaker's steady heartbeat, a phone's photo backup to its
 * usual cloud, a laptop on sites never seen before, NTP pool names resolving somewhere
 * new, a device renewing its lease under two host names, a lock bridge's MQTT keep-alive,
 * a camera's P2P hellos to bare addresses, a camera's IGD search with no mapping, a TV's or
 * hub's and a phone's legitimate SOAP.
 * Nothing is labelled but each device's first appearance (a tolerance, no behaviour).
 * Also: determinism per seed, different seeds giving different homes and injections, the
 * size budget of a 6 h home, and the scenario options of the command line.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULTS,
  generate,
  parseCli,
  type GenerateResult,
} from '../../datasets/generator/generate.js';
import { parseInject } from '../../datasets/generator/mix.js';
import { PROFILES } from '../../datasets/generator/profiles.js';
import { macText, tsharkRows, tsUs, SEP, type Row } from './tshark.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SEEDS = [31, 32];
const HOURS = 4;
const FIELDS = [
  'frame.time_epoch',
  'eth.src',
  'ip.src',
  'ip.dst',
  'tcp.stream',
  'tcp.srcport',
  'tcp.dstport',
  'tcp.len',
  'udp.dstport',
  'dns.qry.name',
  'dns.a',
  'dns.flags.response',
  'dhcp.option.dhcp',
  'dhcp.option.hostname',
  'http.request.method',
  'http.request.line',
  'tls.handshake.extensions_server_name',
  'ntp.flags.mode',
];

interface Home {
  file: string;
  r: GenerateResult;
  rows: Row[];
  labels: { events: { behaviours: string[]; also: string[]; mac: string }[] };
}

let dir: string;
const homes: Home[] = [];

function macsOf(h: Home, kind: string): string[] {
  return h.r.devices.filter((d) => d.kind === kind).map((d) => macText(d.mac));
}

function cv(xs: number[]): number {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  const v = xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length;
  return Math.sqrt(v) / m;
}

/** Times of the data segments a device sends on each connection to its main cloud host. */
function sends(h: Home, kind: string, port: string): Map<string, number[]> {
  const d = h.r.devices.find((x) => x.kind === kind);
  if (d === undefined) throw new Error(`no ${kind}`);
  const mac = macText(d.mac);
  const cloud = PROFILES[d.kind].vendors.find((v) => v.name === d.vendor)?.cloud[0];
  const streams = new Set(
    h.rows
      .filter((x) => x['eth.src'] === mac && x['tls.handshake.extensions_server_name'] === cloud)
      .map((x) => x['tcp.stream']),
  );
  const byStream = new Map<string, number[]>();
  for (const x of h.rows) {
    if (x['eth.src'] !== mac || x['tcp.dstport'] !== port || Number(x['tcp.len']) === 0) continue;
    if (!streams.has(x['tcp.stream'])) continue;
    const list = byStream.get(x['tcp.stream']) ?? [];
    list.push(tsUs(x));
    byStream.set(x['tcp.stream'], list);
  }
  return byStream;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hw-traps-'));
  for (const seed of SEEDS) {
    const file = join(dir, `home-${seed}.pcap`);
    const labels = join(dir, `home-${seed}.json`);
    const r = generate({
      ...DEFAULTS,
      out: file,
      seed,
      devices: 12,
      hours: HOURS,
      inject: [],
      labels,
    });
    homes.push({
      file,
      r,
      rows: tsharkRows(file, 'not quic', FIELDS),
      labels: JSON.parse(readFileSync(labels, 'utf8')) as Home['labels'],
    });
  }
}, 180_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('every benign scenario home', () => {
  it('labels nothing but each device’s first appearance (a tolerance for new_device)', () => {
    for (const h of homes) {
      expect(h.r.injected).toEqual([]);
      expect(h.labels.events).toHaveLength(h.r.devices.length + 1); // and the gateway
      for (const e of h.labels.events) {
        expect(e.behaviours).toEqual([]);
        expect(e.also).toEqual(['new_device']);
      }
    }
  });

  it('has a camera uploading steadily: data up in every 10 minutes, far above a plug’s', () => {
    for (const h of homes) {
      const cam = macsOf(h, 'camera')[0];
      const bins = new Map<number, number>();
      let camUp = 0;
      let plugUp = 0;
      const plugs = new Set(macsOf(h, 'plug'));
      const t0 = tsUs(h.rows[0]);
      for (const x of h.rows) {
        const len = Number(x['tcp.len'] || 0);
        if (x['eth.src'] === cam && x['tcp.dstport'] === '443') {
          camUp += len;
          const k = Math.floor((tsUs(x) - t0) / 600e6);
          bins.set(k, (bins.get(k) ?? 0) + len);
        }
        if (plugs.has(x['eth.src'])) plugUp += len;
      }
      const full = Math.floor((HOURS * 3600) / 600);
      const busy = [...bins.values()].filter((v) => v > 50_000).length;
      expect(busy).toBeGreaterThanOrEqual(full * 0.8);
      expect(camUp).toBeGreaterThan(20 * Math.max(plugUp, 1));
    }
  });

  it('has a speaker heartbeat and a lock bridge MQTT keep-alive on a steady clock', () => {
    for (const h of homes) {
      for (const [kind, port, lo, hi] of [
        ['speaker', '443', 20, 90],
        ['lock', '8883', 30, 60],
      ] as const) {
        const streams = [...sends(h, kind, port).values()].filter((t) => t.length > 20);
        expect(streams.length, kind).toBeGreaterThan(0);
        const t = streams.sort((a, b) => b.length - a.length)[0];
        const gaps = t.slice(2).map((x, i) => (x - t[i + 1]) / 1e6); // after the handshake
        const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
        expect(mean).toBeGreaterThan(lo);
        expect(mean).toBeLessThan(hi);
        expect(cv(gaps)).toBeLessThan(0.05);
      }
    }
  });

  it('has a camera saying hello to P2P servers at bare addresses on a clock', () => {
    for (const h of homes) {
      const cam = macsOf(h, 'camera')[0];
      const hellos = h.rows.filter((x) => x['eth.src'] === cam && x['udp.dstport'] === '32100');
      const servers = new Set(hellos.map((x) => x['ip.dst']));
      expect(servers.size).toBeGreaterThanOrEqual(2);
      const resolved = new Set(
        h.rows.flatMap((x) => (x['dns.a'] === '' ? [] : x['dns.a'].split(SEP))),
      );
      for (const ip of servers) {
        expect(resolved.has(ip)).toBe(false);
        const t = hellos.filter((x) => x['ip.dst'] === ip).map(tsUs);
        const gaps = t.slice(1).map((x, i) => (x - t[i]) / 1e6);
        const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
        expect(mean).toBeGreaterThan(40);
        expect(mean).toBeLessThan(80);
      }
    }
  });

  it('has a phone backing up photos: megabytes up in one stream to a host it used before', () => {
    for (const h of homes) {
      const phones = new Set(macsOf(h, 'phone'));
      const up = new Map<string, number>();
      const sni = new Map<string, string>();
      const firstSeen = new Map<string, number>();
      for (const x of h.rows) {
        if (!phones.has(x['eth.src'])) continue;
        const name = x['tls.handshake.extensions_server_name'];
        if (name !== '') {
          sni.set(x['tcp.stream'], name);
          if (!firstSeen.has(name)) firstSeen.set(name, tsUs(x));
        }
        up.set(x['tcp.stream'], (up.get(x['tcp.stream']) ?? 0) + Number(x['tcp.len'] || 0));
      }
      const bursts = [...up].filter(([, bytes]) => bytes > 2e6);
      expect(bursts.length).toBeGreaterThan(0);
      for (const [stream] of bursts) {
        const name = sni.get(stream) as string;
        const start = h.rows.find((x) => x['tcp.stream'] === stream) as Row;
        expect(firstSeen.get(name)).toBeLessThan(tsUs(start)); // its usual cloud
      }
    }
  });

  it('has a laptop looking up many names it never used before, hours in', () => {
    for (const h of homes) {
      const laptop = macsOf(h, 'laptop')[0];
      const seen = new Map<string, number>();
      for (const x of h.rows) {
        if (x['eth.src'] !== laptop || x['dns.flags.response'] !== '0' || x['dns.qry.name'] === '')
          continue;
        if (!seen.has(x['dns.qry.name'])) seen.set(x['dns.qry.name'], tsUs(x));
      }
      const t0 = tsUs(h.rows[0]);
      const late = [...seen.values()].filter((t) => t - t0 > 2 * 3600e6);
      expect(late.length).toBeGreaterThan(5);
    }
  });

  it('has NTP polls whose pool names resolve to new servers each time', () => {
    for (const h of homes) {
      const servers = new Set(
        h.rows.filter((x) => x['ntp.flags.mode'] === '3').map((x) => x['ip.dst']),
      );
      expect(servers.size).toBeGreaterThan(10);
      const byName = new Map<string, Set<string>>();
      for (const x of h.rows) {
        if (!x['dns.qry.name'].endsWith('pool.ntp.org') || x['dns.a'] === '') continue;
        const s = byName.get(x['dns.qry.name']) ?? new Set<string>();
        for (const a of x['dns.a'].split(SEP)) s.add(a);
        byName.set(x['dns.qry.name'], s);
      }
      expect([...byName.values()].some((s) => s.size > 1)).toBe(true);
    }
  });

  it('has a device renewing its DHCP lease under two host names', () => {
    for (const h of homes) {
      const names = new Map<string, Set<string>>();
      for (const x of h.rows) {
        if (x['dhcp.option.dhcp'] !== '3') continue;
        const s = names.get(x['eth.src']) ?? new Set<string>();
        s.add(x['dhcp.option.hostname']);
        names.set(x['eth.src'], s);
      }
      expect([...names.values()].filter((s) => s.size === 2)).toHaveLength(1);
    }
  });

  it('has a camera searching for the router’s IGD and no port mapping anywhere', () => {
    for (const h of homes) {
      const cams = new Set(macsOf(h, 'camera'));
      const search = h.rows.filter(
        (x) => cams.has(x['eth.src']) && x['http.request.line'].includes('InternetGatewayDevice:1'),
      );
      expect(search.length).toBeGreaterThan(0);
      expect(h.rows.some((x) => x['http.request.line'].includes('AddPortMapping'))).toBe(false);
      expect(h.rows.some((x) => x['udp.dstport'] === '5351')).toBe(false);
    }
  });

  it('has legitimate SOAP: a TV or hub asking the router its address, a phone a renderer its volume', () => {
    for (const h of homes) {
      const tvHub = new Set([...macsOf(h, 'tv'), ...macsOf(h, 'hub')]);
      const soap = h.rows.filter((x) => x['http.request.method'] === 'POST');
      expect(
        soap.some(
          (x) =>
            tvHub.has(x['eth.src']) && x['http.request.line'].includes('#GetExternalIPAddress'),
        ),
      ).toBe(true);
      const phones = new Set(macsOf(h, 'phone'));
      expect(
        soap.some((x) => phones.has(x['eth.src']) && x['http.request.line'].includes('#GetVolume')),
      ).toBe(true);
    }
  });
});

describe('scenario determinism', () => {
  const run = (seed: number, out: string): GenerateResult =>
    generate({
      ...DEFAULTS,
      out,
      seed,
      devices: 6,
      hours: 2.5,
      inject: parseInject('all'),
      labels: out.replace('.pcap', '.json'),
    });

  it('gives the same bytes and labels for a seed, another home and other draws for another', () => {
    const a = run(5, join(dir, 'd-a.pcap'));
    run(5, join(dir, 'd-b.pcap'));
    const c = run(6, join(dir, 'd-c.pcap'));
    expect(readFileSync(join(dir, 'd-a.pcap')).equals(readFileSync(join(dir, 'd-b.pcap')))).toBe(
      true,
    );
    expect(readFileSync(join(dir, 'd-a.json'), 'utf8')).toBe(
      readFileSync(join(dir, 'd-b.json'), 'utf8'),
    );
    // Another seed: other MACs, other times, other drawn parameters for every behaviour.
    const macs = (x: GenerateResult): Set<number> => new Set(x.devices.map((d) => d.mac));
    expect([...macs(a)].some((m) => macs(c).has(m))).toBe(false);
    expect(a.injected.length).toBe(c.injected.length);
    for (const e of [...a.injected, ...c.injected]) {
      expect(e.lastUs).toBeLessThanOrEqual((DEFAULTS.startS + 2.5 * 3600 - 540) * 1e6);
    }
    for (const e of a.injected) {
      const o = c.injected.find((x) => x.behaviours[0] === e.behaviours[0]);
      expect(o, e.behaviours[0]).toBeDefined();
      expect(o?.firstUs).not.toBe(e.firstUs);
      if (e.variant === o?.variant && Object.keys(e.detail).length > 2) {
        expect(JSON.stringify(o.detail)).not.toBe(JSON.stringify(e.detail));
      }
    }
  });
});

describe('scenario size', () => {
  it('keeps a 6 h home of 20 devices with every behaviour under 150 MB and 0.5 M packets', () => {
    for (const seed of [101, 102, 103]) {
      const r = generate({
        ...DEFAULTS,
        out: '/dev/null',
        seed,
        hours: 6,
        inject: parseInject('all'),
      });
      expect(r.durationS).toBeGreaterThan(6 * 3600 - 60);
      expect(r.frameBytes).toBeLessThan(150e6);
      expect(r.packets).toBeLessThan(500_000);
    }
  });
});

describe('scenario command line', () => {
  it('parses the scenario options and rejects bad combinations', () => {
    const o = parseCli([
      '--out',
      'x.pcap',
      '--hours',
      '6',
      '--mix',
      'camera:2,toy',
      '--inject',
      'scan:telnet,beaconing',
    ]);
    expect(o.hours).toBe(6);
    expect(o.mix).toEqual(['camera', 'camera', 'toy']);
    expect(o.inject).toEqual([
      { behaviour: 'scan', variant: 'telnet', kind: null },
      { behaviour: 'beaconing', variant: null, kind: null },
    ]);
    expect(o.packets).toBe(1e9);
    expect(parseCli(['--out', 'x', '--hours', '1', '--inject', 'all']).inject).toHaveLength(11);
    expect(parseCli(['--out', 'x', '--hours', '1', '--inject', 'none']).inject).toEqual([]);
    expect(() => parseCli(['--out', 'x', '--inject', 'all'])).toThrow(/--inject needs --hours/);
    expect(() => parseCli(['--out', 'x', '--hours', '1', '--mix', 'robot'])).toThrow(
      /unknown kind 'robot'/,
    );
    expect(() => parseCli(['--out', 'x', '--hours', '1', '--inject', 'scan:udp'])).toThrow(
      /no variant 'udp'/,
    );
    expect(() => parseCli(['--out', 'x', '--hours', '1', '--inject', 'anomaly'])).toThrow(
      /unknown behaviour/,
    );
    expect(() =>
      parseCli(['--out', 'x', '--hours', '1', '--devices', '5', '--mix', 'toy']),
    ).toThrow(/not both/);
    expect(() => parseCli(['--out', 'x', '--hours', '0'])).toThrow(/--hours/);
    expect(
      parseCli(['--out', 'x', '--hours', '3', '--inject', 'upnp_exposure:pcp@vacuum']).inject,
    ).toEqual([{ behaviour: 'upnp_exposure', variant: 'pcp', kind: 'vacuum' }]);
    expect(() => parseCli(['--out', 'x', '--hours', '3', '--inject', 'scan@phone'])).toThrow(
      /does not fit a phone/,
    );
    // A kind an injector fits by name only: accepted when named, never drawn.
    expect(
      parseCli(['--out', 'x', '--hours', '3', '--inject', 'abnormal_upload@camera']).inject,
    ).toEqual([{ behaviour: 'abnormal_upload', variant: null, kind: 'camera' }]);
    expect(() => parseCli(['--out', 'x', '--hours', '3', '--daily'])).not.toThrow();
    expect(() => parseCli(['--out', 'x', '--daily'])).toThrow(/--daily needs --hours/);
  });

  it('runs a scenario as a script, and says in one line when the hours leave no room', () => {
    const script = join(REPO, 'datasets/generator/generate.ts');
    const out = join(dir, 'cli.pcap');
    const ok = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        script,
        '--out',
        out,
        '--hours',
        '2.5',
        '--devices',
        '6',
        '--inject',
        'scan@camera',
        '--labels',
        join(dir, 'cli.json'),
      ],
      { cwd: REPO, encoding: 'utf8' },
    );
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/scan \(telnet(\+lan)?\) on camera /);
    expect(ok.stdout).toMatch(/labels: .*cli\.json \(8 events\)/);
    const short = spawnSync(
      process.execPath,
      ['--import', 'tsx', script, '--out', out, '--hours', '1', '--inject', 'scan'],
      {
        cwd: REPO,
        encoding: 'utf8',
      },
    );
    expect(short.status).toBe(2);
    expect(short.stderr.trim().split('\n')).toHaveLength(1);
    expect(short.stderr).toMatch(/--hours 1 leaves no room/);
  });
});
