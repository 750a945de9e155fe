import { describe, expect, it } from 'vitest';
import { ipv4ToString, ipv6ToString, macToString } from '../../src/decode/addr.js';
import { DecodeStatus, L3 } from '../../src/decode/index.js';
import { bytes, decode, ether, frames, ipv4, ipv6, tcp, u16, udp, u32 } from './helpers.js';

describe('IPv4', () => {
  it('reads addresses, TTL, protocol and total length', () => {
    const p = decode(ether(0x0800, ipv4(17, udp(5353, 5353, 'abcd'), { ttl: 255 })));
    expect(p.status).toBe(DecodeStatus.Ok);
    expect(ipv4ToString(p.src4)).toBe('192.168.1.10');
    expect(ipv4ToString(p.dst4)).toBe('8.8.8.8');
    expect([p.ttl, p.ipProto, p.ipLen, p.fragment]).toEqual([255, 17, 32, false]);
  });

  it('skips IP options (IHL > 5)', () => {
    const p = decode(ether(0x0800, ipv4(6, tcp(1, 2), { ihl: 7 })));
    expect([p.status, p.sport, p.dport]).toEqual([0, 1, 2]);
  });

  it('flags bad version, bad IHL, cut headers and impossible total lengths', () => {
    const good = ipv4(6, tcp(1, 2));
    const badVersion = Buffer.from(good);
    badVersion[0] = 0x55;
    expect(decode(ether(0x0800, badVersion)).malformedReason).toBe('ipv4-bad-version');
    const badIhl = Buffer.from(good);
    badIhl[0] = 0x44;
    expect(decode(ether(0x0800, badIhl)).malformedReason).toBe('ipv4-bad-ihl');
    expect(decode(ether(0x0800, good.subarray(0, 19))).malformedReason).toBe('ipv4-header-cut');
    const withOptions = ipv4(6, Buffer.alloc(0), { ihl: 15 }).subarray(0, 40);
    const cut = decode(ether(0x0800, withOptions));
    expect(cut.malformedReason).toBe('ipv4-header-cut');
    expect(ipv4ToString(cut.src4)).toBe('192.168.1.10'); // outer fields stay filled
    expect(decode(ether(0x0800, ipv4(6, tcp(1, 2), { totalLen: 12 }))).malformedReason).toBe(
      'ipv4-bad-length',
    );
  });

  it('uses min(total length, captured): Ethernet padding is not payload, a snap length cuts it', () => {
    const frame = bytes(ether(0x0800, ipv4(17, udp(1, 2, 'hi'))), Buffer.alloc(16, 0xee));
    const p = decode(frame);
    expect([p.payloadLen, p.payloadCapLen]).toEqual([2, 2]);
    const big = ether(0x0800, ipv4(6, tcp(1, 2, Buffer.alloc(1000))));
    const snapped = decode(big.subarray(0, 96), 1, big.length);
    expect(snapped.status).toBe(DecodeStatus.Ok);
    expect([snapped.ipLen, snapped.payloadLen, snapped.payloadCapLen]).toEqual([1040, 1000, 42]);
  });

  it('takes the captured length when total length is 0 (TSO on the sender)', () => {
    const p = decode(ether(0x0800, ipv4(6, tcp(1, 2, 'abc'), { totalLen: 0 })));
    expect([p.status, p.ipLen, p.payloadLen]).toEqual([0, 43, 3]);
  });

  it('marks fragments; later fragments have no transport header', () => {
    const first = decode(ether(0x0800, ipv4(17, udp(1, 53, 'x'.repeat(20)), { frag: 0x2000 })));
    expect([first.fragment, first.laterFragment, first.dport]).toEqual([true, false, 53]);
    const later = decode(ether(0x0800, ipv4(17, Buffer.alloc(20, 7), { frag: 0x0003 })));
    expect([
      later.status,
      later.fragment,
      later.laterFragment,
      later.sport,
      later.payloadLen,
    ]).toEqual([DecodeStatus.Ok, true, true, 0, 0]);
  });

  it('a valid header with an unknown protocol is ok IP traffic', () => {
    const p = decode(ether(0x0800, ipv4(47, Buffer.alloc(8))));
    expect([p.status, p.l3, p.ipProto, p.sport]).toEqual([DecodeStatus.Ok, L3.IPv4, 47, 0]);
  });

  it('real fragments (ndpi ip_fragmented_garbage.pcap) agree with the IP flags', () => {
    const all = frames('ndpi-tests/pcap/ip_fragmented_garbage.pcap');
    let later = 0;
    for (const f of all) {
      const p = decode(f.data);
      const word = (f.data[20] << 8) | f.data[21];
      expect(p.laterFragment).toBe((word & 0x1fff) !== 0);
      if (p.laterFragment) later++;
    }
    expect(later).toBeGreaterThan(0);
  });

  it('zeek truncation traces are malformed at the right layer', () => {
    const ip4 = frames('zeek-traces/trunc/ip4-trunc.pcap')[0];
    expect(decode(ip4.data).status).toBe(DecodeStatus.Malformed);
    const ip6 = frames('zeek-traces/trunc/ip6-trunc.pcap')[0];
    expect(decode(ip6.data).status).not.toBe(DecodeStatus.Ok);
  });
});

describe('IPv6', () => {
  it('reads addresses, hop limit and next header', () => {
    const p = decode(ether(0x86dd, ipv6(17, udp(546, 547, 'dhcpv6'))));
    expect(p.status).toBe(DecodeStatus.Ok);
    expect(ipv6ToString(p.src6)).toBe('fe80::211:22ff:fe33:4455');
    expect(ipv6ToString(p.dst6)).toBe('2001:db8::1');
    expect([p.l3, p.ttl, p.ipProto, p.ipLen, p.sport, p.dport]).toEqual([6, 64, 17, 54, 546, 547]);
  });

  it('walks hop-by-hop, routing, destination options, AH and mobility headers', () => {
    const hbh = bytes([43, 0], Buffer.alloc(6)); // 8 bytes, next = routing
    const routing = bytes([60, 1], Buffer.alloc(14)); // 16 bytes, next = dest opts
    const dest = bytes([51, 0], Buffer.alloc(6)); // next = AH
    const ah = bytes([135, 1], Buffer.alloc(10)); // (1+2)*4 = 12 bytes, next = mobility
    const mob = bytes([6, 0], Buffer.alloc(6)); // next = TCP
    const payload = bytes(hbh, routing, dest, ah, mob, tcp(8080, 22));
    const p = decode(ether(0x86dd, ipv6(0, payload)));
    expect(p.status).toBe(DecodeStatus.Ok);
    expect([p.ipProto, p.sport, p.dport]).toEqual([6, 8080, 22]);
  });

  it('fragment header: first fragment decodes the transport, later ones do not', () => {
    const first = bytes([17, 0], u16(0x0001), u32(99), udp(1, 53, 'q'));
    const p = decode(ether(0x86dd, ipv6(44, first)));
    expect([p.fragment, p.laterFragment, p.ipProto, p.dport]).toEqual([true, false, 17, 53]);
    const later = bytes([17, 0], u16(0x0010), u32(99), Buffer.alloc(16));
    const q = decode(ether(0x86dd, ipv6(44, later)));
    expect([q.status, q.fragment, q.laterFragment, q.dport]).toEqual([0, true, true, 0]);
  });

  it('ESP and No Next Header stop the walk; unknown headers are ok IP traffic', () => {
    expect(decode(ether(0x86dd, ipv6(50, Buffer.alloc(24)))).ipProto).toBe(50);
    const none = decode(ether(0x86dd, ipv6(0, bytes([59, 0], Buffer.alloc(6)))));
    expect([none.status, none.ipProto]).toEqual([0, 59]);
  });

  it('flags cut extension headers, too many of them, and bad lengths', () => {
    const cut = decode(ether(0x86dd, ipv6(0, bytes([6, 4], Buffer.alloc(6)))));
    expect(cut.malformedReason).toBe('ipv6-ext-cut');
    expect(ipv6ToString(cut.src6)).toBe('fe80::211:22ff:fe33:4455');
    let chain = tcp(1, 2);
    for (let i = 0; i < 9; i++) chain = bytes([i === 0 ? 6 : 60, 0], Buffer.alloc(6), chain);
    expect(decode(ether(0x86dd, ipv6(60, chain))).malformedReason).toBe('ipv6-too-many-ext');
    const v = ipv6(6, tcp(1, 2));
    v[0] = 0x40;
    expect(decode(ether(0x86dd, v)).malformedReason).toBe('ipv6-bad-version');
    expect(decode(ether(0x86dd, v.subarray(0, 39))).malformedReason).toBe('ipv6-header-cut');
  });

  it('real IPv6 over Ethernet (ndpi http_ipv6.pcap): every frame is TCP to or from port 80/443', () => {
    const decoded = frames('ndpi-tests/pcap/http_ipv6.pcap').map((f) => decode(f.data));
    const v6 = decoded.filter((p) => p.l3 === L3.IPv6 && p.ipProto === 6);
    expect(v6.length).toBeGreaterThan(100);
    expect(v6.every((p) => p.status === DecodeStatus.Ok)).toBe(true);
  });
});

describe('ARP', () => {
  const arp = (op: number): Buffer =>
    bytes(
      u16(1),
      u16(0x0800),
      [6, 4],
      u16(op),
      [2, 0x11, 0x22, 0x33, 0x44, 0x55],
      [192, 168, 1, 10],
      op === 2 ? [2, 0x66, 0x77, 0x88, 0x99, 0xaa] : Buffer.alloc(6),
      [192, 168, 1, 1],
    );

  it('reads op, sender MAC/IP and target IP', () => {
    const p = decode(ether(0x0806, arp(2)));
    expect([p.status, p.l3, p.arpOp]).toEqual([0, L3.ARP, 2]);
    expect(macToString(p.arpSenderMac)).toBe('02:11:22:33:44:55');
    expect(ipv4ToString(p.arpSenderIp)).toBe('192.168.1.10');
    expect(ipv4ToString(p.arpTargetIp)).toBe('192.168.1.1');
    expect(macToString(p.arpTargetMac)).toBe('02:66:77:88:99:aa');
    expect(decode(ether(0x0806, arp(1))).arpTargetMac).toBe(0); // a broadcast request names none
  });

  it('cut ARP is malformed, non-Ethernet/IPv4 ARP unsupported', () => {
    expect(decode(ether(0x0806, arp(1).subarray(0, 20))).malformedReason).toBe('arp-cut');
    expect(decode(ether(0x0806, arp(1).subarray(0, 6))).malformedReason).toBe('arp-header-cut');
    const other = arp(1);
    other[1] = 6; // IEEE 802 hardware type
    expect(decode(ether(0x0806, other)).status).toBe(DecodeStatus.Unsupported);
  });
});
