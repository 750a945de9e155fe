import { describe, expect, it } from 'vitest';
import { parseDns } from '../../src/decode/app/dns.js';
import { readName } from '../../src/decode/app/dns-name.js';
import type { DnsInfo } from '../../src/decode/app/types.js';
import { DecodedPacket, decodeFrame } from '../../src/decode/index.js';
import {
  bytes,
  captureFiles,
  dataset,
  decode,
  ether,
  hasTshark,
  ipv4,
  tcp,
  tsharkFields,
  u16,
  u32,
  udpFrame,
} from './helpers.js';
import { readFrames } from './pcap-walk.js';

function name(text: string): Buffer {
  const parts = text === '' ? [] : text.split('.');
  return bytes(...parts.map((l) => bytes([l.length], l)), [0]);
}

function header(id: number, flags: number, qd: number, an: number, ns = 0, ar = 0): Buffer {
  return bytes(u16(id), u16(flags), u16(qd), u16(an), u16(ns), u16(ar));
}

function rr(owner: Buffer, type: number, ttl: number, rdata: Buffer): Buffer {
  return bytes(owner, u16(type), u16(1), u32(ttl), u16(rdata.length), rdata);
}

describe('DNS name decoding', () => {
  it('follows a backward pointer and lower-cases', () => {
    const msg = bytes(header(1, 0, 1, 0), name('WWW.Example.COM'), [0xc0, 16]);
    expect(readName(msg, 0, msg.length, 12)).toBe('www.example.com');
    expect(readName(msg, 0, msg.length, 29)).toBe('example.com');
    expect(readName(bytes([0]), 0, 1, 0)).toBe('');
  });

  it('rejects forward and self pointers, pointer loops, long labels and names > 255', () => {
    const fwd = bytes(header(1, 0, 1, 0), [0xc0, 14], name('a'));
    expect(readName(fwd, 0, fwd.length, 12)).toBeNull();
    const self = bytes(header(1, 0, 1, 0), [0xc0, 12]);
    expect(readName(self, 0, self.length, 12)).toBeNull();
    // label 'a' then a pointer back to itself: a loop through a backward pointer.
    const loop = bytes(header(1, 0, 1, 0), [1, 0x61, 0xc0, 12]);
    expect(readName(loop, 0, loop.length, 12)).toBeNull();
    const long = bytes([64], Buffer.alloc(64, 0x61), [0]);
    expect(readName(long, 0, long.length, 0)).toBeNull();
    const label63 = 'a'.repeat(63);
    const ok = name([label63, label63, label63, 'a'.repeat(61)].join('.'));
    expect(ok.length).toBe(255);
    expect(readName(ok, 0, ok.length, 0)?.length).toBe(253);
    const tooLong = name([label63, label63, label63, 'a'.repeat(62)].join('.'));
    expect(readName(tooLong, 0, tooLong.length, 0)).toBeNull();
    expect(readName(bytes([3, 0x61, 0x62]), 0, 3, 0)).toBeNull(); // cut label
    expect(readName(bytes([0x40, 0]), 0, 2, 0)).toBeNull(); // extended label type
  });

  it('escapes bytes that are not printable and dots inside labels', () => {
    const msg = bytes([3, 0x61, 0x2e, 0x00, 2, 0xff, 0x5a, 0]);
    expect(readName(msg, 0, msg.length, 0)).toBe('a\\.\\000.\\255z');
  });
});

describe('DNS messages', () => {
  it('query and response with A, AAAA, CNAME, PTR, SRV answers over UDP 53', () => {
    const q = name('cloud.example.com');
    const resp = bytes(
      header(0xbeef, 0x8183, 1, 5),
      q,
      u16(1),
      u16(1),
      rr(bytes([0xc0, 12]), 5, 60, name('edge.cdn.net')),
      rr(bytes([0xc0, 12]), 1, 300, bytes([93, 184, 216, 34])),
      rr(bytes([0xc0, 12]), 28, 300, bytes([0x20, 0x01, 0x0d, 0xb8], Buffer.alloc(11), [1])),
      rr(name('4.3.2.1.in-addr.arpa'), 12, 10, bytes([0xc0, 12])),
      rr(name('_hap._tcp.local'), 33, 120, bytes(u16(0), u16(0), u16(8080), name('Lamp.local'))),
    );
    const p = decode(udpFrame(53, 40000, resp));
    const info = p.app as DnsInfo;
    expect(info.kind).toBe('dns');
    expect([info.id, info.isResponse, info.opcode, info.rcode, info.mdns]).toEqual([
      0xbeef,
      true,
      0,
      3,
      false,
    ]);
    expect(info.questions).toEqual(['cloud.example.com']);
    expect(info.qtypes).toEqual([1]);
    expect(info.answers).toEqual([
      { name: 'cloud.example.com', type: 5, ttl: 60, data: 'edge.cdn.net' },
      { name: 'cloud.example.com', type: 1, ttl: 300, data: '93.184.216.34' },
      { name: 'cloud.example.com', type: 28, ttl: 300, data: '2001:db8::1' },
      { name: '4.3.2.1.in-addr.arpa', type: 12, ttl: 10, data: 'cloud.example.com' },
      { name: '_hap._tcp.local', type: 33, ttl: 120, data: 'lamp.local' },
    ]);
  });

  it('a bad question name makes the peek return null; a bad answer stops the answers', () => {
    const badQ = bytes(header(1, 0, 1, 0), [0xc0, 40], u16(1), u16(1));
    expect(decode(udpFrame(40000, 53, badQ)).app).toBeNull();
    const badA = bytes(
      header(2, 0x8000, 1, 2),
      name('a.b'),
      u16(1),
      u16(1),
      rr(bytes([0xc0, 12]), 1, 1, bytes([1, 2, 3, 4])),
      rr(bytes([0xc0, 0x7f]), 1, 1, bytes([5, 6, 7, 8])),
    );
    const info = parseDns(badA, 0, badA.length, false);
    expect(info?.answers.map((a) => a.data)).toEqual(['1.2.3.4']);
    expect(parseDns(Buffer.alloc(11), 0, 11, false)).toBeNull();
  });

  it('bounds the number of records walked', () => {
    const many = bytes(
      header(3, 0, 500, 0),
      ...Array.from({ length: 500 }, () => bytes(name('x'), u16(1), u16(1))),
    );
    const info = parseDns(many, 0, many.length, false);
    expect(info?.questions.length).toBe(64);
  });

  it('DNS over TCP 53 behind the length prefix', () => {
    const msg = bytes(header(9, 0x0100, 1, 0), name('Printer.lan'), u16(28), u16(1));
    const frame = ether(0x0800, ipv4(6, tcp(50000, 53, bytes(u16(msg.length), msg))));
    const info = decode(frame).app as DnsInfo;
    expect(info.questions).toEqual(['printer.lan']);
    expect(info.qtypes).toEqual([28]);
  });

  it('mDNS on 5353 keeps answer and additional records, skips authority', () => {
    const msg = bytes(
      header(0, 0x8400, 0, 1, 1, 1),
      rr(name('_airplay._tcp.local'), 12, 4500, name('Living Room._airplay._tcp.local')),
      rr(name('ns.local'), 1, 120, bytes([10, 0, 0, 9])),
      rr(name('living-room.local'), 1, 120, bytes([192, 168, 1, 50])),
    );
    const info = decode(udpFrame(5353, 5353, msg)).app as DnsInfo;
    expect(info.mdns).toBe(true);
    expect(info.answers.map((a) => [a.name, a.data])).toEqual([
      ['_airplay._tcp.local', 'living room._airplay._tcp.local'],
      ['living-room.local', '192.168.1.50'],
    ]);
  });
});

function dnsInfos(path: string): Map<number, DnsInfo> {
  const out = new DecodedPacket();
  const m = new Map<number, DnsInfo>();
  for (const f of readFrames(path)) {
    decodeFrame(f.data, 0, f.data.length, f.wireLen, f.linkType, f.ts, out);
    if (out.app?.kind === 'dns') m.set(f.no, out.app);
  }
  return m;
}

const DNS_FILES = [
  'ndpi-tests/pcap/dns_exfiltration.pcap',
  'ndpi-tests/pcap/dns-tunnel-iodine.pcap',
  'ndpi-tests/pcap/malware.pcap',
  'zeek-traces/dns/mdns.pcap',
  'nku-lifecycle/xiaodu_plug_lifecycle/xiaodu_plug_setup.pcap',
  'iot-sentinel/captures_IoT-Sentinel/HueBridge/Setup-A-1-STA.pcap',
  'iot-sentinel/captures_IoT-Sentinel/WeMoLink/Setup-A-1-STA.pcap',
];

describe.skipIf(!hasTshark())('DNS peeks agree with tshark', () => {
  for (const file of DNS_FILES) {
    it(file, () => {
      const path = dataset(file);
      const ours = dnsInfos(path);
      const theirs = tsharkFields(
        path,
        ['dns.qry.name', 'dns.flags.rcode', 'dns.flags.response', 'dns.a', 'dns.count.answers'],
        '(dns || mdns) && !icmp && !icmpv6 && !tcp',
      );
      expect(theirs.size).toBeGreaterThan(0);
      for (const [no, [qname, rcode, response, a, answers]] of theirs) {
        const info = ours.get(no);
        expect(info, `${file} frame ${no}`).toBeDefined();
        if (info === undefined) continue;
        // tshark shows bytes outside ASCII as U+FFFD; we escape them (\ddd): compare ASCII names.
        if (qname !== '' && qname !== '<Root>' && /^[\x20-\x7e]+$/.test(qname)) {
          expect(info.questions[0], `${file} frame ${no}`).toBe(qname.toLowerCase());
        }
        expect(info.rcode).toBe(Number(rcode));
        expect(info.isResponse).toBe(response === 'True' || response === '1');
        if (!info.mdns) {
          // Unicast DNS keeps the answer section only; its first A record is tshark's first dns.a.
          expect(info.answers.length, `${file} frame ${no}`).toBe(Number(answers));
          const firstA = info.answers.find((x) => x.type === 1);
          if (firstA !== undefined) expect(firstA.data, `${file} frame ${no}`).toBe(a);
        }
      }
    });
  }
});

describe('every DNS-port packet of the ndpi and zeek captures', () => {
  it('peeks without throwing and keeps names within bounds', () => {
    const out = new DecodedPacket();
    let seen = 0;
    for (const path of [...captureFiles('ndpi-tests'), ...captureFiles('zeek-traces/dns')]) {
      for (const f of readFrames(path)) {
        decodeFrame(f.data, 0, f.data.length, f.wireLen, f.linkType, f.ts, out);
        if (out.app?.kind !== 'dns') continue;
        seen++;
        for (const q of out.app.questions) expect(q.length).toBeLessThanOrEqual(255 * 4);
        expect(out.app.questions.length + out.app.answers.length).toBeLessThanOrEqual(64);
      }
    }
    expect(seen).toBeGreaterThan(500);
  });
});
