/**
 * Window records, window by window, against an independent oracle: for real captures, every
 * (device, window) that homewatch writes must be one that tshark finds traffic of the device in,
 * and the other way round, and in each of them the per-window features below must equal what
 * tshark's fields give:
 *
 * - packetsUp, packetsDown, bytesUp, bytesDown (frame.len: bytes on the wire), exactly;
 * - pktSizeMean/Std Up/Down: mean and *population* standard deviation of frame.len (0 below two
 *   packets), as src/features/schema.ts defines them; homewatch rounds every feature to six
 *   significant digits, so these may differ from the exact value by half a unit of the sixth
 *   significant digit and no more;
 * - activeSeconds: distinct whole seconds of packet time among the device's up and down frames
 *   in the window, exactly;
 * - dnsNames: distinct names in the questions of DNS queries (not mDNS) the device sent in the
 *   window; dnsNxdomain: DNS responses (not mDNS) with RCODE 3 delivered to the device; exactly.
 *
 * Up and down are those of tshark-oracle.test.ts: "up" is a frame from the device's MAC with a
 * local source address (the outer IP header; for ARP the sender address, when the ARP sender
 * MAC is the frame's source MAC); "down" is a frame to its MAC with a local destination (ARP:
 * target address), counted only once the device has sent its first frame (before that the MAC
 * is not a device yet: DESIGN.md, Devices). Local addresses come from LanMatcher; which MACs are
 * devices comes from homewatch's own `device` records (the devices are tested elsewhere);
 * everything else from one tshark run per capture file.
 *
 * Windows are 60 s of packet time aligned to multiples of 60 s since the epoch. Packet time is
 * the pipeline's clock, which never runs backwards (src/pipeline/pipeline.ts: a frame stamped
 * earlier than one already seen is processed at the latest time seen, so glued captures and
 * clock steps cannot reopen a closed window). The oracle reads the files in homewatch's order
 * (by their first packet's time, README: Replay) and keeps the same running maximum.
 */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, SHARED, records, runCliAsync } from '../helpers/cli.js';
import { first, isLocal } from './addresses.js';

const WINDOW_S = 60;

/** tshark fields, in this order, one run per file. */
const FIELDS = [
  'frame.time_epoch',
  'frame.len',
  'frame.protocols',
  'eth.src',
  'eth.dst',
  'ip.src',
  'ip.dst',
  'ipv6.src',
  'ipv6.dst',
  'arp.src.hw_mac',
  'arp.src.proto_ipv4',
  'arp.dst.proto_ipv4',
  'udp.srcport',
  'udp.dstport',
  'tcp.srcport',
  'tcp.dstport',
  'dns.flags.response',
  'dns.flags.rcode',
  'dns.qry.name',
] as const;

type Field = (typeof FIELDS)[number];
type Row = Record<Field, string>;

/** One tshark run over `file` with every field at once. */
function tsharkRows(file: string): Promise<Row[]> {
  const args = ['-r', file, '-T', 'fields', '-E', 'separator=\t'];
  for (const f of FIELDS) args.push('-e', f);
  return new Promise((resolve, reject) => {
    execFile('tshark', args, { maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) {
        reject(
          new Error(`tshark ${args.join(' ')} failed (Debian package: see .ci/run): ${stderr}`),
        );
        return;
      }
      const rows: Row[] = [];
      for (const line of stdout.split('\n')) {
        if (line === '') continue;
        const cols = line.split('\t');
        rows.push(Object.fromEntries(FIELDS.map((f, i) => [f, cols[i] ?? ''])) as Row);
      }
      resolve(rows);
    });
  });
}

/** tshark over every file, two at a time (the machine has two cores), in the files' order. */
async function tsharkAll(files: string[]): Promise<Row[][]> {
  const out: Row[][] = new Array<Row[]>(files.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const i = next++;
      out[i] = await tsharkRows(files[i]);
    }
  };
  await Promise.all([worker(), worker()]);
  return out;
}

/**
 * Whether the frame is a DNS message that is not mDNS, as homewatch's peeks pick it: the outer
 * transport is UDP or TCP (not a DNS header quoted inside an ICMP error), and port 53 is the
 * destination, or the source while the destination is not mDNS's 5353.
 */
function isUnicastDns(r: Row): boolean {
  if (r['dns.flags.response'] === '') return false;
  const layers = r['frame.protocols'].split(':');
  const transport = layers.find((l) => ['udp', 'tcp', 'icmp', 'icmpv6'].includes(l));
  if (transport !== 'udp' && transport !== 'tcp') return false;
  const sport = first(r[`${transport}.srcport`]);
  const dport = first(r[`${transport}.dstport`]);
  if (transport === 'tcp') return sport === '53' || dport === '53';
  return dport === '53' || (sport === '53' && dport !== '5353');
}

interface Acc {
  up: number[];
  down: number[];
  seconds: Set<number>;
  dnsNames: Set<string>;
  dnsNxdomain: number;
}

function meanOf(xs: number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Population standard deviation (divides by n), two-pass; 0 below two values. */
function stdOf(xs: number[]): number {
  if (xs.length < 2) return 0;
  const m = meanOf(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) * (x - m), 0) / xs.length);
}

const EXACT = [
  'packetsUp',
  'packetsDown',
  'bytesUp',
  'bytesDown',
  'activeSeconds',
  'dnsNames',
  'dnsNxdomain',
] as const;
const ROUNDED = ['pktSizeMeanUp', 'pktSizeStdUp', 'pktSizeMeanDown', 'pktSizeStdDown'] as const;
type Checked = (typeof EXACT)[number] | (typeof ROUNDED)[number];

function features(a: Acc): Record<Checked, number> {
  const sum = (xs: number[]): number => xs.reduce((s, x) => s + x, 0);
  return {
    packetsUp: a.up.length,
    packetsDown: a.down.length,
    bytesUp: sum(a.up),
    bytesDown: sum(a.down),
    activeSeconds: a.seconds.size,
    dnsNames: a.dnsNames.size,
    dnsNxdomain: a.dnsNxdomain,
    pktSizeMeanUp: meanOf(a.up),
    pktSizeStdUp: stdOf(a.up),
    pktSizeMeanDown: meanOf(a.down),
    pktSizeStdDown: stdOf(a.down),
  };
}

/**
 * Half a unit of the sixth significant digit of `v`: what rounding to 6 digits may move it (plus
 * a few ulps, as the rounded decimal is itself stored as the nearest double).
 */
function roundingTolerance(v: number): number {
  if (v === 0) return 0;
  return 0.5 * 10 ** (Math.floor(Math.log10(Math.abs(v))) - 5) + 4 * Number.EPSILON * Math.abs(v);
}

/** Per (device, window) features from tshark's rows, for the given device MACs. */
function oracle(perFileRows: Row[][], macs: Set<string>): Map<string, Record<Checked, number>> {
  const perFile = perFileRows.filter((rows) => rows.length > 0);
  // Homewatch reads several files as one timeline, in order of their first packet's time.
  perFile.sort((a, b) => Number(a[0]['frame.time_epoch']) - Number(b[0]['frame.time_epoch']));
  const acc = new Map<string, Acc>();
  const sent = new Set<string>();
  let clock = -Infinity;
  const touch = (mac: string, now: number): Acc => {
    const key = `${mac} ${Math.floor(now / WINDOW_S) * WINDOW_S}`;
    let a = acc.get(key);
    if (a === undefined) {
      a = { up: [], down: [], seconds: new Set(), dnsNames: new Set(), dnsNxdomain: 0 };
      acc.set(key, a);
    }
    a.seconds.add(Math.floor(now));
    return a;
  };
  for (const rows of perFile) {
    for (const r of rows) {
      const ts = Number(r['frame.time_epoch']);
      if (ts > clock) clock = ts;
      const len = Number(r['frame.len']);
      const arp = r['arp.src.proto_ipv4'] !== '';
      const src = arp ? r['arp.src.proto_ipv4'] : first(r['ip.src']) || first(r['ipv6.src']);
      const dst = arp ? r['arp.dst.proto_ipv4'] : first(r['ip.dst']) || first(r['ipv6.dst']);
      const esrc = r['eth.src'];
      const edst = r['eth.dst'];
      const dns = isUnicastDns(r);
      if (macs.has(esrc) && isLocal(src) && (!arp || r['arp.src.hw_mac'] === esrc)) {
        sent.add(esrc);
        const a = touch(esrc, clock);
        a.up.push(len);
        if (dns && r['dns.flags.response'] === '0') {
          for (const name of r['dns.qry.name'].split(',')) {
            if (name !== '') a.dnsNames.add(name.toLowerCase());
          }
        }
      }
      if (sent.has(edst) && isLocal(dst)) {
        const a = touch(edst, clock);
        a.down.push(len);
        if (dns && r['dns.flags.response'] === '1' && r['dns.flags.rcode'] === '3') {
          a.dnsNxdomain++;
        }
      }
    }
  }
  return new Map([...acc].map(([k, a]) => [k, features(a)]));
}

function nkuHome(): string[] {
  const dir = join(REPO, 'datasets/nku-home');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.pcap.gz'))
    .map((f) => join(dir, f));
}

function plugLifecycle(): string[] {
  const dir = join(SHARED, 'nku-lifecycle/xiaodu_plug_lifecycle');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.pcap'))
    .map((f) => join(dir, f));
}

const sentinel = (p: string): string => join(SHARED, 'iot-sentinel/captures_IoT-Sentinel', p);

/**
 * `covers`: features that must be non-zero in at least one of the case's windows, so that the
 * comparison is not vacuous for them.
 */
const CASES: { name: string; files: () => string[]; covers: Checked[] }[] = [
  {
    name: 'nku-home: all 8 bundled files (gzip), one timeline',
    files: nkuHome,
    covers: ['pktSizeStdUp', 'pktSizeStdDown', 'dnsNames'],
  },
  {
    name: 'nku-lifecycle: Xiaodu plug, 15 phase files, one timeline',
    files: plugLifecycle,
    covers: ['pktSizeStdUp', 'pktSizeStdDown', 'dnsNames'],
  },
  {
    name: 'Mon(IoT)r Blink hub, 9 h idle (pcapng)',
    files: () => [join(SHARED, 'moniotr-blink-hub/2019-04-25_idle.pcap')],
    covers: ['pktSizeStdUp', 'pktSizeStdDown'],
  },
  {
    name: 'IoT Sentinel: D-Link home hub setup (8 min, 3 MACs)',
    files: () => [sentinel('D-LinkHomeHub/Setup-C-1-STA.pcap')],
    covers: ['pktSizeStdUp', 'pktSizeStdDown', 'dnsNames'],
  },
  {
    // An unanswered connection attempt of the device expires in a second without its traffic:
    // that second is no active second (homewatch counted it until this test found it).
    name: 'IoT Sentinel: Hue bridge setup',
    files: () => [sentinel('HueBridge/Setup-A-2-STA.pcap')],
    covers: ['pktSizeStdUp', 'pktSizeStdDown', 'dnsNames'],
  },
  {
    name: 'IoT Sentinel: WeMo Link setup',
    files: () => [sentinel('WeMoLink/Setup-A-9-STA.pcap')],
    covers: ['pktSizeStdUp', 'pktSizeStdDown', 'dnsNames'],
  },
  {
    name: 'IoT Sentinel: WeMo Insight switch setup (NXDOMAIN answers)',
    files: () => [sentinel('WeMoInsightSwitch/Setup-A-6-STA.pcap')],
    covers: ['pktSizeStdUp', 'pktSizeStdDown', 'dnsNames', 'dnsNxdomain'],
  },
  {
    name: 'IoT Sentinel: D-Link camera setup',
    files: () => [sentinel('D-LinkCam/Setup-A-5-STA.pcap')],
    covers: ['pktSizeStdUp', 'pktSizeStdDown', 'dnsNames'],
  },
];

describe('window records agree with tshark, window by window', () => {
  for (const c of CASES) {
    // Up to 15 tshark runs on a shared two-core machine: more than the default minute.
    it(c.name, { timeout: 180_000 }, async () => {
      const files = c.files();
      const [r, rows] = await Promise.all([
        runCliAsync(['replay', ...files, '--out', '-'], { timeoutMs: 120_000 }),
        tsharkAll(files),
      ]);
      expect(r.code, r.stderr).toBe(0);
      const recs = records(r.stdout);
      const macs = new Set(recs.filter((x) => x.type === 'device').map((x) => x.mac as string));
      expect(macs.size).toBeGreaterThan(0);

      const got = new Map<string, Record<string, number>>();
      for (const w of recs.filter((x) => x.type === 'window')) {
        const key = `${w.mac as string} ${w.start as number}`;
        expect(got.has(key), `two records for ${key}`).toBe(false);
        expect(w.end).toBe((w.start as number) + WINDOW_S);
        got.set(key, w.features as Record<string, number>);
      }
      const want = oracle(rows, macs);

      // The same (device, window) pairs: a record exactly where tshark sees the device's traffic.
      // (README: a failed connection counts in the window where its failure becomes known, which
      // could give a record without traffic; none of these captures has such a window.)
      expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
      // Several windows, and the features below not all zero, or the test would say little.
      expect(new Set([...want.keys()].map((k) => k.split(' ')[1])).size).toBeGreaterThan(1);
      for (const f of ['packetsUp', 'packetsDown', 'activeSeconds', ...c.covers] as Checked[]) {
        expect(
          [...want.values()].some((o) => o[f] > 0),
          `${f} is 0 in every window`,
        ).toBe(true);
      }

      const diffs: string[] = [];
      for (const [key, o] of want) {
        const h = got.get(key);
        if (h === undefined) continue;
        for (const f of EXACT) {
          if (h[f] !== o[f]) diffs.push(`${key} ${f}: homewatch ${h[f]}, tshark ${o[f]}`);
        }
        for (const f of ROUNDED) {
          if (!(Math.abs(h[f] - o[f]) <= roundingTolerance(o[f]))) {
            diffs.push(`${key} ${f}: homewatch ${h[f]}, tshark ${o[f]}`);
          }
        }
      }
      expect(diffs).toEqual([]);
    });
  }
});
