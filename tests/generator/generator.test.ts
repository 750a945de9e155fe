/**
 * The synthetic home-traffic generator writes captures that real tools read as valid,
 * with each protocol it claims, and it is deterministic per seed. tshark and capinfos are
 * the oracles.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS, generate, parseCli } from '../../datasets/generator/generate.js';
import { PROFILES } from '../../datasets/generator/profiles.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const PACKETS = 20_000;
let dir: string;
let file: string;

function tshark(args: string[]): string[] {
  const out = execFileSync('tshark', ['-r', file, ...args], {
    encoding: 'utf8',
    maxBuffer: 256 << 20,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return out.split('\n').filter((l) => l.length > 0);
}

function fields(filter: string, ...names: string[]): string[] {
  return tshark(['-Y', filter, '-T', 'fields', ...names.flatMap((n) => ['-e', n])]);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hw-gen-'));
  file = join(dir, 'home.pcap');
  generate({ ...DEFAULTS, out: file, packets: PACKETS, seed: 7 });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('generated capture', () => {
  it('is read by capinfos with the requested packet count and in strict time order', () => {
    const r = spawnSync('capinfos', ['-c', '-o', '-M', file], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stderr).not.toMatch(/error|cut short|corrupt/i);
    expect(r.stdout).toMatch(new RegExp(`Number of packets:\\s+${PACKETS}\\b`));
    expect(r.stdout).toMatch(/Strict time order:\s+True/);
  });

  it('has no malformed packet and no error-level expert info in tshark', () => {
    expect(tshark(['-Y', '_ws.malformed or _ws.expert.severity >= error'])).toEqual([]);
  });

  it('has valid IPv4, TCP and UDP checksums', () => {
    const bad = tshark([
      '-o',
      'ip.check_checksum:TRUE',
      '-o',
      'tcp.check_checksum:TRUE',
      '-o',
      'udp.check_checksum:TRUE',
      '-Y',
      'ip.checksum.status == 0 or tcp.checksum.status == 0 or udp.checksum.status == 0',
    ]);
    expect(bad).toEqual([]);
  });

  it('contains DHCP with host names and vendor classes, answered by the gateway', () => {
    const names = fields(
      'dhcp.option.dhcp == 1',
      'dhcp.option.hostname',
      'dhcp.option.vendor_class_id',
    );
    expect(names.length).toBeGreaterThanOrEqual(15);
    expect(names.every((l) => l.split('\t')[0].length > 0)).toBe(true);
    expect(names.some((l) => (l.split('\t')[1] ?? '').length > 0)).toBe(true);
    const acks = fields('dhcp.option.dhcp == 5', 'ip.src', 'dhcp.ip.your');
    expect(acks.length).toBeGreaterThanOrEqual(15);
    expect(acks.every((l) => l.startsWith('192.168.1.1\t192.168.1.'))).toBe(true);
  });

  it('contains DNS queries answered with addresses, for the hosts devices then connect to', () => {
    const answers = fields(
      'dns.flags.response == 1 and dns.a and not mdns',
      'dns.qry.name',
      'dns.a',
    );
    expect(answers.length).toBeGreaterThan(20);
    const resolved = new Map(answers.map((l) => l.split('\t') as [string, string]));
    const sni = fields('tls.handshake.type == 1', 'tls.handshake.extensions_server_name', 'ip.dst');
    expect(sni.length).toBeGreaterThan(20);
    // Every IPv4 TLS connection goes to an address its SNI name resolved to.
    const v4 = sni.filter((l) => l.split('\t')[1] !== '');
    expect(v4.length).toBeGreaterThan(10);
    for (const l of v4) {
      const [name, dst] = l.split('\t');
      expect(resolved.get(name)).toBe(dst);
    }
    const cloud = new Set(
      Object.values(PROFILES).flatMap((p) => p.vendors.flatMap((v) => v.cloud)),
    );
    expect(sni.some((l) => cloud.has(l.split('\t')[0]))).toBe(true);
  });

  it('contains mDNS announcements, SSDP NOTIFY and M-SEARCH, HTTP GETs, NTP, QUIC, ARP, IPv6', () => {
    const mdns = fields('mdns and dns.flags.response == 1', 'dns.resp.name');
    expect(mdns.some((l) => l.split(',')[0].endsWith('.local'))).toBe(true);
    const ssdp = fields('ssdp', 'http.request.method');
    expect(ssdp.some((l) => l === 'NOTIFY')).toBe(true);
    expect(ssdp.some((l) => l === 'M-SEARCH')).toBe(true);
    const http = fields('http.request and not ssdp', 'http.host', 'http.request.uri');
    expect(http.length).toBeGreaterThan(0);
    expect(http.every((l) => l.split('\t')[0].length > 0)).toBe(true);
    expect(fields('ntp.flags.mode == 4', 'ntp.xmt').length).toBeGreaterThan(0);
    expect(fields('quic.long.packet_type == 0', 'quic.version').length).toBeGreaterThan(0);
    expect(fields('arp.opcode == 2', 'arp.src.proto_ipv4').length).toBeGreaterThan(0);
    expect(fields('ipv6 and tcp', 'ipv6.src').length).toBeGreaterThan(0);
  });

  it('completes TCP handshakes and teardowns', () => {
    const syn = fields('tcp.flags.syn == 1 and tcp.flags.ack == 0', 'tcp.stream').length;
    const synAck = fields('tcp.flags.syn == 1 and tcp.flags.ack == 1', 'tcp.stream').length;
    const fin = fields('tcp.flags.fin == 1', 'tcp.stream').length;
    expect(syn).toBeGreaterThan(20);
    expect(synAck).toBe(syn);
    expect(fin).toBeGreaterThan(0);
    // Sequence numbers line up: tshark sees no gap or out-of-order segment.
    expect(tshark(['-Y', 'tcp.analysis.lost_segment or tcp.analysis.out_of_order'])).toEqual([]);
  });

  it('sends internet traffic through the gateway MAC and LAN traffic between devices', () => {
    const gw = fields('ip.src == 192.168.1.1', 'eth.src')[0];
    const inbound = fields('ip.dst == 192.168.0.0/16 and not ip.src == 192.168.0.0/16', 'eth.src');
    expect(inbound.length).toBeGreaterThan(100);
    expect(new Set(inbound)).toEqual(new Set([gw]));
    const lan = fields(
      'ip.src == 192.168.0.0/16 and ip.dst == 192.168.0.0/16 and not ip.addr == 192.168.1.1',
      'eth.dst',
    );
    expect(
      lan.filter((m) => !m.startsWith('01:00:5e') && m !== 'ff:ff:ff:ff:ff:ff').length,
    ).toBeGreaterThan(0);
  });
});

describe('determinism', () => {
  it('gives identical bytes for the same seed and different bytes for another', () => {
    const a = join(dir, 'a.pcap');
    const b = join(dir, 'b.pcap');
    const c = join(dir, 'c.pcap');
    generate({ ...DEFAULTS, out: a, packets: 5000, seed: 42 });
    generate({ ...DEFAULTS, out: b, packets: 5000, seed: 42 });
    generate({ ...DEFAULTS, out: c, packets: 5000, seed: 43 });
    const ba = readFileSync(a);
    expect(ba.equals(readFileSync(b))).toBe(true);
    expect(ba.equals(readFileSync(c))).toBe(false);
  });
});

describe('--concurrent-flows and --devices', () => {
  it('keeps about N TCP flows open at once across many devices', () => {
    const out = join(dir, 'flows.pcap');
    generate({ ...DEFAULTS, out, packets: 100_000, devices: 300, concurrentFlows: 3000, seed: 3 });
    const saved = file;
    file = out;
    try {
      // One pass: SYNs open a connection, the first FIN closes it; track the most open at once.
      const rows = fields(
        '(tcp.flags.syn == 1 and tcp.flags.ack == 0) or tcp.flags.fin == 1 or dhcp.option.dhcp == 3',
        'tcp.stream',
        'tcp.flags.fin',
        'eth.src',
      );
      const open = new Set<string>();
      let maxOpen = 0;
      const devices = new Set<string>();
      for (const r of rows) {
        const [stream, fin, mac] = r.split('\t');
        if (stream === '') devices.add(mac);
        else if (fin === '1' || fin === 'True') open.delete(stream);
        else open.add(stream);
        maxOpen = Math.max(maxOpen, open.size);
      }
      expect(maxOpen).toBeGreaterThanOrEqual(3000);
      expect(maxOpen).toBeLessThan(4500); // the kept flows plus the devices' own
      expect(devices.size).toBe(300);
      expect(tshark(['-Y', '_ws.malformed'])).toEqual([]);
    } finally {
      file = saved;
    }
  });
});

describe('command line', () => {
  it('parses options and rejects bad ones', () => {
    const o = parseCli(['--out', 'x.pcap', '--packets', '10', '--devices', '5', '--seed', 'abc']);
    expect(o).toMatchObject({ out: 'x.pcap', packets: 10, devices: 5, concurrentFlows: 0 });
    expect(o.seed).not.toBe(parseCli(['--out', 'x', '--seed', 'abd']).seed);
    expect(() => parseCli(['--packets', '10'])).toThrow(/--out/);
    expect(() => parseCli(['--out', 'x', '--devices', '1001'])).toThrow(/--devices/);
    expect(() => parseCli(['--out', 'x', '--bogus'])).toThrow();
  });

  it('runs as a script and exits 2 on bad usage', () => {
    const script = join(REPO, 'datasets/generator/generate.ts');
    const out = join(dir, 'cli.pcap');
    const ok = spawnSync(
      process.execPath,
      ['--import', 'tsx', script, '--out', out, '--packets', '300'],
      {
        cwd: REPO,
        encoding: 'utf8',
      },
    );
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/300 packets/);
    const r = spawnSync('capinfos', ['-c', '-M', out], { encoding: 'utf8' });
    expect(r.stdout).toMatch(/Number of packets:\s+300\b/);
    const bad = spawnSync(process.execPath, ['--import', 'tsx', script, '--packets', 'x'], {
      cwd: REPO,
      encoding: 'utf8',
    });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/usage/);
  });
});
