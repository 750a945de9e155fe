import { describe, expect, it } from 'vitest';
import { DecodeStatus, TcpFlag } from '../../src/decode/index.js';
import { bytes, decode, ether, ipv4, ipv6, tcp, udp } from './helpers.js';

describe('TCP', () => {
  it('reads ports, seq/ack, flags and the payload window', () => {
    const seg = tcp(51000, 443, 'hello', {
      flags: TcpFlag.PSH | TcpFlag.ACK,
      seq: 0xfffffff0,
      ack: 7,
      offset: 8,
    });
    const frame = ether(0x0800, ipv4(6, seg));
    const p = decode(frame);
    expect(p.status).toBe(DecodeStatus.Ok);
    expect([p.sport, p.dport, p.tcpSeq, p.tcpAck, p.tcpFlags]).toEqual([
      51000, 443, 0xfffffff0, 7, 0x18,
    ]);
    expect([p.payloadOffset, p.payloadLen, p.payloadCapLen]).toEqual([14 + 20 + 32, 5, 5]);
    expect(frame.toString('latin1', p.payloadOffset, p.payloadOffset + 5)).toBe('hello');
  });

  it('a data offset below 5 or beyond the segment is tcp-bad-offset; a cut header is tcp-header-cut', () => {
    const low = decode(ether(0x0800, ipv4(6, tcp(1, 2, '', { offset: 4 }))));
    expect(low.malformedReason).toBe('tcp-bad-offset');
    expect([low.sport, low.dport]).toEqual([1, 2]);
    const beyond = decode(ether(0x0800, ipv4(6, tcp(1, 2, '', { offset: 15 }).subarray(0, 40))));
    expect(beyond.malformedReason).toBe('tcp-bad-offset');
    const cut = ether(0x0800, ipv4(6, tcp(1, 2, '', { offset: 10 })));
    expect(decode(cut.subarray(0, cut.length - 4), 1, cut.length).malformedReason).toBe(
      'tcp-header-cut',
    );
    expect(decode(ether(0x0800, ipv4(6, Buffer.alloc(12)))).malformedReason).toBe('tcp-header-cut');
  });

  it('over IPv6', () => {
    const p = decode(ether(0x86dd, ipv6(6, tcp(22, 60000, 'SSH-2.0'))));
    expect([p.status, p.sport, p.dport, p.payloadLen]).toEqual([0, 22, 60000, 7]);
  });
});

describe('UDP', () => {
  it('payload length comes from the UDP length field, bounded by the IP payload', () => {
    const p = decode(ether(0x0800, ipv4(17, udp(1000, 2000, 'abcdef', 10))));
    expect([p.status, p.payloadLen, p.payloadCapLen]).toEqual([0, 2, 2]);
    const over = decode(ether(0x0800, ipv4(17, udp(1000, 2000, 'abcdef', 400))));
    expect([over.status, over.payloadLen]).toEqual([0, 6]);
  });

  it('length below 8 is malformed; a cut header is udp-header-cut', () => {
    expect(decode(ether(0x0800, ipv4(17, udp(1, 2, 'x', 7)))).malformedReason).toBe(
      'udp-bad-length',
    );
    expect(decode(ether(0x0800, ipv4(17, Buffer.alloc(6)))).malformedReason).toBe('udp-header-cut');
  });
});

describe('ICMP and ICMPv6', () => {
  it('type and code', () => {
    const echo = decode(ether(0x0800, ipv4(1, bytes([8, 0, 0, 0, 0, 1, 0, 1], 'ping'))));
    expect([echo.status, echo.icmpType, echo.icmpCode, echo.payloadLen]).toEqual([0, 8, 0, 4]);
    const unreachable = decode(ether(0x0800, ipv4(1, bytes([3, 3, 0, 0]))));
    expect([unreachable.status, unreachable.icmpType, unreachable.icmpCode]).toEqual([0, 3, 3]);
    const ns = decode(ether(0x86dd, ipv6(58, bytes([135, 0, 0, 0], Buffer.alloc(20)))));
    expect([ns.status, ns.icmpType, ns.icmpCode]).toEqual([0, 135, 0]);
  });

  it('cut headers are malformed and leave type/code at -1', () => {
    const p = decode(ether(0x0800, ipv4(1, bytes([8]))));
    expect([p.malformedReason, p.icmpType, p.icmpCode]).toEqual(['icmp-header-cut', -1, -1]);
    expect(decode(ether(0x86dd, ipv6(58, bytes([1, 2])))).malformedReason).toBe(
      'icmpv6-header-cut',
    );
  });
});
