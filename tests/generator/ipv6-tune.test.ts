/**
 * The injectors' `ipv6` tune key (bench/robustness.ts's `*-v6*` points): the behaviour's
 * traffic goes over IPv6 from (or, inbound, to) the device's global address, with tshark as
 * the oracle; without the key the home is byte for byte the one without tune.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS, generate, type GenerateResult } from '../../datasets/generator/generate.js';
import type { LabelEvent } from '../../datasets/generator/labels.js';
import type { InjectRequest } from '../../datasets/generator/mix.js';
import type { DeviceKind } from '../../datasets/generator/profiles.js';
import { tsharkRows, type Row } from './tshark.js';

const dir = mkdtempSync(join(tmpdir(), 'hw-ipv6-tune-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Five devices with IPv6 (both TVs, the speaker, the laptop, the phone), two without. */
const MIX: DeviceKind[] = ['tv', 'tv', 'speaker', 'laptop', 'phone', 'plug', 'camera'];

const INJECT: InjectRequest[] = [
  { behaviour: 'inbound_exposure', variant: 'forward', kind: 'tv', tune: { ipv6: 1 } },
  { behaviour: 'malware_download', variant: 'elf', kind: 'tv', tune: { ipv6: 1 } },
  { behaviour: 'malware_download', variant: 'script', kind: 'tv', tune: { ipv6: 1, named: 1 } },
  { behaviour: 'abnormal_upload', variant: 'new-host', kind: 'speaker', tune: { ipv6: 1 } },
  { behaviour: 'crypto_mining', variant: 'xmrig', kind: 'laptop', tune: { ipv6: 1, named: 0 } },
  {
    behaviour: 'scan',
    variant: 'telnet+lan',
    kind: 'tv',
    tune: { ipv6: 1, lan6: 1, internet: 0 },
  },
];

function home(file: string, inject: InjectRequest[]): GenerateResult {
  return generate({
    ...DEFAULTS,
    devices: MIX.length,
    packets: 1e9,
    out: file,
    hours: 6,
    seed: 606,
    mix: MIX,
    inject,
  });
}

const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

/** `http://[2001:db8::1]:8080/x` → `2001:db8::1`. */
const bracketed = (url: string): string => /\[([0-9a-f:]+)\]/.exec(url)?.[1] ?? '';

/** One tshark pass: what every check below reads. */
const FILTER = [
  'ipv6 and (tcp.flags.syn == 1 or tcp.flags.reset == 1 or http.request',
  'or tls.handshake.extensions_server_name or dns.aaaa or tcp contains "\\"login\\"")',
  'or ip and tcp.port == 23 or dns.aaaa',
].join(' ');
const FIELDS = [
  'eth.src',
  'ip.dst',
  'ipv6.src',
  'ipv6.dst',
  'tcp.srcport',
  'tcp.dstport',
  'tcp.flags.syn',
  'tcp.flags.ack',
  'tcp.flags.reset',
  'tcp.payload',
  'http.host',
  'http.request.uri',
  'dns.qry.name',
  'dns.aaaa',
  'tls.handshake.extensions_server_name',
];

describe('the ipv6 tune key', () => {
  const file = join(dir, 'v6.pcap');
  let r: GenerateResult;
  let rows: Row[];
  const syn = (x: Row): boolean => x['tcp.flags.syn'] === '1' && x['tcp.flags.ack'] === '0';
  const detail = (b: string): LabelEvent['detail'] =>
    r.injected.find((e) => e.behaviours[0] === b)!.detail;

  beforeAll(() => {
    r = home(file, INJECT);
    rows = tsharkRows(file, FILTER, FIELDS);
  });

  it('leaves the home as it was when it is 0', () => {
    const plain = INJECT.map(({ tune: _t, ...req }) => req);
    // `named` and `internet` are tune keys of their own: left out, like with like.
    const off = INJECT.map((req) => ({ ...req, tune: { ipv6: 0, lan6: 0 } }));
    home(join(dir, 'plain.pcap'), plain);
    home(join(dir, 'off.pcap'), off);
    expect(sha(join(dir, 'off.pcap'))).toBe(sha(join(dir, 'plain.pcap')));
    expect(sha(join(dir, 'off.pcap'))).not.toBe(sha(file));
  });

  it('inbound_exposure: internet peers connect to the device’s global address', () => {
    const d = detail('inbound_exposure');
    // From outside the home's /64 (the LAN scan below reaches this TV too).
    const fromHome = (x: Row): boolean => x['ipv6.src'].startsWith('2001:db8:4a1:100:');
    const syns = rows.filter((x) => syn(x) && x['ipv6.dst'] === d.address && !fromHome(x));
    const conns = new Set(syns.map((x) => `${x['ipv6.src']} ${x['tcp.srcport']}`));
    expect(conns.size).toBe(Number(d.connections));
    expect(new Set(syns.map((x) => x['ipv6.src'])).size).toBe(Number(d.peers));
    expect(syns.every((x) => x['tcp.dstport'] === String(d.port))).toBe(true);
    expect(syns.every((x) => x['ipv6.src'].startsWith('2001:db8:f'))).toBe(true);
  });

  it('malware_download: from http://[v6]/…, and from a name looked up by AAAA', () => {
    const [elf, script] = r.injected.filter((e) => e.behaviours[0] === 'malware_download');
    const url = new URL(String(elf.detail.url));
    const get = rows.filter(
      (x) => x['http.request.uri'] !== '' && x['ipv6.dst'] === bracketed(url.host),
    );
    expect(get.map((x) => [x['http.host'], x['http.request.uri']])).toEqual([
      [url.host, url.pathname],
    ]);
    const name = new URL(String(script.detail.url)).hostname;
    const aaaa = rows.filter((x) => x['dns.qry.name'] === name && x['dns.aaaa'] !== '');
    expect(aaaa).toHaveLength(1);
    const fetch = rows.filter(
      (x) => x['http.host'] !== '' && x['ipv6.dst'] === aaaa[0]['dns.aaaa'],
    );
    expect(fetch.map((x) => x['http.host'])).toEqual([name]);
  });

  it('abnormal_upload and crypto_mining: to the host’s IPv6 address', () => {
    const up = detail('abnormal_upload');
    const sni = rows.filter((x) => x['tls.handshake.extensions_server_name'] === up.name);
    expect(sni).toHaveLength(1);
    expect(sni[0]['ip.dst']).toBe('');
    expect(sni[0]['ipv6.dst']).toMatch(/^2001:db8:f/);
    const [addr, port] = /^\[(.+)\]:(\d+)$/
      .exec(String(detail('crypto_mining').endpoint))!
      .slice(1);
    const login = Buffer.from('"login"').toString('hex');
    const hello = rows.filter((x) => x['tcp.payload'].replaceAll(':', '').includes(login));
    expect(hello.map((x) => [x['ipv6.dst'], x['tcp.dstport']])).toEqual([[addr, port]]);
  });

  it('scan (lan6): a SYN to each IPv6 neighbour’s global and link-local address, refused', () => {
    const scan = r.injected.find((e) => e.behaviours[0] === 'scan')!;
    const mac = scan.mac
      .toString(16)
      .padStart(12, '0')
      .replace(/(..)(?!$)/g, '$1:');
    const syns = rows.filter((x) => syn(x) && x['tcp.dstport'] === '23');
    // The other TV, the speaker, the laptop and the phone: two addresses each, over IPv6 only.
    expect(syns).toHaveLength(8);
    expect(scan.detail.lan6Addresses).toBe(8);
    expect(syns.every((x) => x['eth.src'] === mac && x['ip.dst'] === '')).toBe(true);
    expect(syns.filter((x) => x['ipv6.dst'].startsWith('fe80:'))).toHaveLength(4);
    const rst = rows.filter((x) => x['tcp.flags.reset'] === '1' && x['tcp.srcport'] === '23');
    expect(rst).toHaveLength(8);
  });
});
