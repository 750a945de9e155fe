import { describe, expect, it } from 'vitest';
import { macToString, parseMac } from '../../src/decode/addr.js';
import { DecodedPacket, DecodeStatus, decodeFrame, L3 } from '../../src/decode/index.js';
import { LinkPktType } from '../../src/decode/packet.js';
import { bytes, decode, ether, frames, ipv4, ipv6, tcp, u16, udp } from './helpers.js';

const TCP_V4 = ipv4(6, tcp(40000, 443));

describe('Ethernet II', () => {
  it('reads both MACs and the EtherType', () => {
    const p = decode(ether(0x0800, TCP_V4));
    expect(p.status).toBe(DecodeStatus.Ok);
    expect(p.hasMacs).toBe(true);
    expect(macToString(p.dstMac)).toBe('a0:b1:c2:d3:e4:f5');
    expect(macToString(p.srcMac)).toBe('02:11:22:33:44:55');
    expect(p.etherType).toBe(0x0800);
    expect(p.vlan).toBe(-1);
    expect(p.l3).toBe(L3.IPv4);
  });

  it('calls a cut header malformed', () => {
    const p = decode(ether(0x0800, TCP_V4).subarray(0, 13));
    expect(p.status).toBe(DecodeStatus.Malformed);
    expect(p.malformedReason).toBe('ethernet-header-cut');
  });

  it('treats 802.3 length frames (LLC, STP) and unknown EtherTypes as unsupported', () => {
    const llc = decode(ether(0x0026, bytes([0x42, 0x42, 0x03], Buffer.alloc(40))));
    expect(llc.status).toBe(DecodeStatus.Unsupported);
    expect(llc.malformedReason).toBe('');
    const lldp = decode(ether(0x88cc, Buffer.alloc(40)));
    expect(lldp.status).toBe(DecodeStatus.Unsupported);
    expect(lldp.etherType).toBe(0x88cc);
    expect(lldp.hasMacs).toBe(true);
  });

  it('walks 802.1Q, 802.1ad and old QinQ tags and keeps the outer VLAN id', () => {
    const one = decode(ether(0x8100, bytes(u16(0x2000 | 77), u16(0x0800), TCP_V4)));
    expect([one.status, one.vlan, one.vlanDepth, one.etherType]).toEqual([0, 77, 1, 0x0800]);
    expect(one.dport).toBe(443);
    const qinq = decode(
      ether(0x88a8, bytes(u16(100), u16(0x8100), u16(200), u16(0x86dd), ipv6(17, udp(1, 2, 'x')))),
    );
    expect([qinq.status, qinq.vlan, qinq.vlanDepth, qinq.l3, qinq.dport]).toEqual([
      0, 100, 2, 6, 2,
    ]);
    const old = decode(ether(0x9100, bytes(u16(4095), u16(0x0800), TCP_V4)));
    expect([old.vlan, old.vlanDepth, old.sport]).toEqual([4095, 1, 40000]);
  });

  it('bounds the VLAN walk and calls cut tags malformed', () => {
    let inner = bytes(u16(0x0800), TCP_V4);
    for (let i = 0; i < 6; i++)
      inner = bytes(u16(i + 1), i === 0 ? inner : bytes(u16(0x8100), inner));
    const deep = decode(ether(0x8100, inner));
    expect(deep.status).toBe(DecodeStatus.Malformed);
    expect(deep.malformedReason).toBe('vlan-too-deep');
    const cut = decode(ether(0x8100, bytes(u16(5))));
    expect(cut.malformedReason).toBe('vlan-tag-cut');
    expect(cut.hasMacs).toBe(true);
  });

  it('reads VLAN 77 from a real 802.1Q capture (ndpi bot.pcap) and QinQ from zeek', () => {
    const bot = frames('ndpi-tests/pcap/bot.pcap');
    const p = decode(bot[0].data);
    expect(p.vlan).toBe(77);
    expect(p.vlanDepth).toBe(1);
    expect(p.l3).toBe(L3.IPv4);
    const q = decode(frames('zeek-traces/http-qinq-0.pcap')[0].data);
    expect(q.vlanDepth).toBe(2);
    expect(q.dport).toBe(80);
  });
});

describe('Linux cooked capture', () => {
  it('SLL: source MAC for ARPHRD_ETHER, protocol field as EtherType', () => {
    const hdr = bytes(u16(4), u16(1), u16(6), [2, 0x11, 0x22, 0x33, 0x44, 0x55, 0, 0], u16(0x0800));
    const p = decode(bytes(hdr, TCP_V4), 113);
    expect(p.status).toBe(DecodeStatus.Ok);
    expect(macToString(p.srcMac)).toBe('02:11:22:33:44:55');
    expect(p.dstMac).toBe(0);
    expect(p.linkPktType).toBe(LinkPktType.Outgoing); // type 4: sent by the capturing host
    expect(p.dport).toBe(443);
    const loopback = bytes(u16(0), u16(772), u16(0), Buffer.alloc(8), u16(0x0800));
    const q = decode(bytes(loopback, TCP_V4), 113);
    expect([q.status, q.hasMacs, q.srcMac, q.l3]).toEqual([0, false, 0, L3.IPv4]);
    expect(decode(hdr.subarray(0, 15), 113).malformedReason).toBe('sll-header-cut');
    const llc = bytes(u16(0), u16(1), u16(6), Buffer.alloc(8), u16(0x0004), Buffer.alloc(20));
    expect(decode(llc, 113).status).toBe(DecodeStatus.Unsupported);
  });

  it('SLL2: protocol first, address after the ARPHRD and length bytes', () => {
    const hdr = bytes(u16(0x86dd), u16(0), [0, 0, 0, 3], u16(1), [0, 6], MAC(), [0, 0]);
    const p = decode(bytes(hdr, ipv6(6, tcp(1234, 80))), 276);
    expect(p.status).toBe(DecodeStatus.Ok);
    expect(macToString(p.srcMac)).toBe('0a:0b:0c:0d:0e:0f');
    expect(p.linkPktType).toBe(LinkPktType.Host); // the byte after the ARPHRD
    expect([p.l3, p.sport, p.dport]).toEqual([L3.IPv6, 1234, 80]);
    const out = decode(bytes(hdr.subarray(0, 10), [4], hdr.subarray(11), TCP_V4), 276);
    expect(out.linkPktType).toBe(LinkPktType.Outgoing);
    // Other links have none, and a reused packet forgets it.
    const reused = new DecodedPacket();
    const cooked = bytes(hdr, TCP_V4);
    decodeFrame(cooked, 0, cooked.length, cooked.length, 276, 0, reused);
    const eth = bytes(MAC(), MAC(), u16(0x0800), TCP_V4);
    decodeFrame(eth, 0, eth.length, eth.length, 1, 0, reused);
    expect(reused.linkPktType).toBe(-1);
    expect(decode(hdr.subarray(0, 19), 276).malformedReason).toBe('sll2-header-cut');
  });

  it('real SLL (zeek linuxsll-arp.pcap) and SLL2 (zeek linux_dlt_sll2.pcap) frames', () => {
    const arpFrames = frames('zeek-traces/linuxsll-arp.pcap').map((f) =>
      decode(f.data, f.linkType),
    );
    expect(arpFrames.every((p) => p.status === DecodeStatus.Ok)).toBe(true);
    expect(arpFrames.some((p) => p.l3 === L3.ARP && p.arpOp === 1)).toBe(true);
    const sll2 = frames('zeek-traces/linux_dlt_sll2.pcap');
    expect(sll2[0].linkType).toBe(276);
    const decoded = sll2.map((f) => decode(f.data, f.linkType));
    // ICMP, ICMP, ICMPv6, ICMPv6 on loopback, an ARP request, then RARP (not decoded).
    expect(decoded.map((p) => [p.status, p.l3])).toEqual([
      [DecodeStatus.Ok, L3.IPv4],
      [DecodeStatus.Ok, L3.IPv4],
      [DecodeStatus.Ok, L3.IPv6],
      [DecodeStatus.Ok, L3.IPv6],
      [DecodeStatus.Ok, L3.ARP],
      [DecodeStatus.Unsupported, L3.None],
    ]);
    expect(macToString(decoded[4].srcMac)).toBe('8e:36:06:44:ac:af');
    expect(decoded[4].arpTargetIp).toBe(0xc0000202);
  });
});

function MAC(): number[] {
  return [0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f];
}

describe('raw IP, NULL and LOOP', () => {
  it('LINKTYPE_RAW (101, 12, 14) chooses by version nibble; 228/229 are fixed', () => {
    for (const lt of [101, 12, 14]) {
      expect(decode(TCP_V4, lt).l3).toBe(L3.IPv4);
      expect(decode(ipv6(17, udp(5, 6, 'a')), lt).l3).toBe(L3.IPv6);
      expect(decode(bytes([0x50], Buffer.alloc(30)), lt).malformedReason).toBe('raw-bad-version');
      expect(decode(Buffer.alloc(0), lt).malformedReason).toBe('raw-empty');
    }
    const v4 = decode(TCP_V4, 228);
    expect([v4.status, v4.hasMacs, v4.etherType, v4.dport]).toEqual([0, false, 0, 443]);
    expect(decode(ipv6(17, udp(5, 6, 'a')), 229).dport).toBe(6);
    expect(decode(TCP_V4, 229).malformedReason).toBe('ipv6-bad-version');
    expect(decode(TCP_V4.subarray(0, 39), 229).malformedReason).toBe('ipv6-header-cut');
  });

  it('NULL reads the family in either byte order; LOOP in network order', () => {
    expect(decode(bytes([2, 0, 0, 0], TCP_V4), 0).l3).toBe(L3.IPv4);
    expect(decode(bytes([0, 0, 0, 2], TCP_V4), 0).l3).toBe(L3.IPv4);
    for (const af of [24, 28, 30]) {
      expect(decode(bytes([af, 0, 0, 0], ipv6(6, tcp(1, 2))), 0).l3).toBe(L3.IPv6);
      expect(decode(bytes([0, 0, 0, af], ipv6(6, tcp(1, 2))), 0).l3).toBe(L3.IPv6);
      expect(decode(bytes([0, 0, 0, af], ipv6(6, tcp(1, 2))), 108).l3).toBe(L3.IPv6);
    }
    expect(decode(bytes([0, 0, 0, 2], TCP_V4), 108).dport).toBe(443);
    expect(decode(bytes([2, 0, 0, 0], TCP_V4), 108).status).toBe(DecodeStatus.Unsupported);
    expect(decode(bytes([7, 0, 0, 0], TCP_V4), 0).status).toBe(DecodeStatus.Unsupported);
    expect(decode(bytes([2, 0, 0]), 0).malformedReason).toBe('null-header-cut');
    expect(decode(bytes([0, 0]), 108).malformedReason).toBe('loop-header-cut');
  });

  it('real raw and NULL captures from tcpdump-tests', () => {
    for (const [file, l3] of [
      ['tcpdump-tests/linktypes-protocols/LINKTYPE_IPV4.pcap', L3.IPv4],
      ['tcpdump-tests/linktypes-protocols/LINKTYPE_IPV6.pcap', L3.IPv6],
      ['tcpdump-tests/linktypes-protocols/LINKTYPE_RAW_ipv4.pcap', L3.IPv4],
      ['tcpdump-tests/linktypes-protocols/LINKTYPE_RAW_ipv6.pcap', L3.IPv6],
      ['tcpdump-tests/malformed/dns-badcookie.pcap', L3.IPv4],
    ] as const) {
      const f = frames(file)[0];
      const p = decode(f.data, f.linkType);
      expect(p.l3, file).toBe(l3);
    }
  });

  it('unknown link types are unsupported', () => {
    for (const lt of [105, 127, 9999, -1, 1.5, Number.NaN]) {
      const p = decode(TCP_V4, lt);
      expect(p.status).toBe(DecodeStatus.Unsupported);
      expect(p.linkType).toBe(lt);
    }
  });
});

describe('frame window', () => {
  it('records ts, lengths, link type and rejects impossible windows without throwing', () => {
    const p = decode(ether(0x0800, TCP_V4), 1, 1514);
    expect([p.capLen, p.wireLen, p.linkType]).toEqual([54, 1514, 1]);
    expect(parseMac('02:11:22:33:44:55')).toBe(p.srcMac);
  });
});
