import { describe, expect, it } from 'vitest';
import { DecodedPacket, L3, TcpFlag } from '../../src/decode/packet.js';
import { ExpireReason, Outcome, type Flow } from '../../src/flows/flow.js';
import { FlowTable } from '../../src/flows/table.js';

const A = 0xc0a80105; // 192.168.1.5
const B = 0xcb007109; // 203.0.113.9

function tcp(
  src: number,
  dst: number,
  sport: number,
  dport: number,
  flags: number,
  len = 60,
): DecodedPacket {
  const p = new DecodedPacket();
  p.l3 = L3.IPv4;
  p.src4 = src;
  p.dst4 = dst;
  p.ipProto = 6;
  p.sport = sport;
  p.dport = dport;
  p.tcpFlags = flags;
  p.wireLen = len;
  return p;
}

function udp(src: number, dst: number, sport: number, dport: number, len = 80): DecodedPacket {
  const p = tcp(src, dst, sport, dport, 0, len);
  p.ipProto = 17;
  return p;
}

function v6(src: number[], dst: number[], sport: number, dport: number): DecodedPacket {
  const p = new DecodedPacket();
  p.l3 = L3.IPv6;
  p.src6.set(src);
  p.dst6.set(dst);
  p.ipProto = 17;
  p.sport = sport;
  p.dport = dport;
  p.wireLen = 100;
  return p;
}

function collect(): { expired: [Flow, ExpireReason][]; table: (o?: object) => FlowTable } {
  const expired: [Flow, ExpireReason][] = [];
  return {
    expired,
    table: (o = {}) => new FlowTable({ ...o, onExpire: (f, r) => expired.push([f, r]) }),
  };
}

describe('FlowTable', () => {
  it('joins both directions into one flow, oriented by the initiator', () => {
    const t = new FlowTable();
    const f1 = t.update(tcp(A, B, 40000, 443, TcpFlag.SYN), 1);
    expect(t.created).toBe(true);
    expect(t.forward).toBe(true);
    const f2 = t.update(tcp(B, A, 443, 40000, TcpFlag.SYN | TcpFlag.ACK), 1.01);
    expect(f2).toBe(f1);
    expect(t.created).toBe(false);
    expect(t.forward).toBe(false);
    t.update(tcp(A, B, 40000, 443, TcpFlag.ACK, 1500), 1.02);
    expect(f1).not.toBeNull();
    const f = f1 as Flow;
    expect([f.initIp4 >>> 0, f.respIp4 >>> 0, f.initPort, f.respPort]).toEqual([A, B, 40000, 443]);
    expect([f.fwdPackets, f.revPackets, f.fwdBytes, f.revBytes]).toEqual([2, 1, 1560, 60]);
    expect(f.outcome).toBe(Outcome.Answered);
    expect(t.size).toBe(1);
  });

  it('orients a flow first seen at its SYN-ACK towards the receiver of the SYN-ACK', () => {
    const t = new FlowTable();
    const f = t.update(tcp(B, A, 443, 40000, TcpFlag.SYN | TcpFlag.ACK), 1) as Flow;
    expect(t.forward).toBe(false);
    expect([f.initIp4 >>> 0, f.initPort, f.respIp4 >>> 0, f.respPort]).toEqual([A, 40000, B, 443]);
  });

  it('tells refused and unanswered attempts apart', () => {
    const { expired, table } = collect();
    const t = table();
    t.update(tcp(A, B, 1, 23, TcpFlag.SYN), 0);
    t.update(tcp(B, A, 23, 1, TcpFlag.RST | TcpFlag.ACK), 0.1);
    t.update(tcp(A, B, 2, 23, TcpFlag.SYN), 0);
    t.advance(100);
    const byPort = new Map(expired.map(([f]) => [f.initPort, f.outcome]));
    expect(byPort.get(1)).toBe(Outcome.Refused);
    expect(byPort.get(2)).toBe(Outcome.Unanswered);
  });

  it('expires by class: attempts and closed connections before open flows', () => {
    const { expired, table } = collect();
    const t = table({ idleTimeoutS: 120, attemptTimeoutS: 20, closedTimeoutS: 10 });
    t.update(tcp(A, B, 1, 80, TcpFlag.SYN), 0); // attempt
    t.update(udp(A, B, 5, 53), 0); // open
    t.update(tcp(A, B, 3, 80, TcpFlag.SYN), 0);
    t.update(tcp(B, A, 80, 3, TcpFlag.SYN | TcpFlag.ACK), 0);
    t.update(tcp(A, B, 3, 80, TcpFlag.FIN | TcpFlag.ACK), 0);
    t.update(tcp(B, A, 80, 3, TcpFlag.FIN | TcpFlag.ACK), 0); // closed
    t.advance(15);
    expect(expired.map(([f, r]) => [f.initPort, r])).toEqual([[3, ExpireReason.Closed]]);
    t.advance(25);
    expect(expired.map(([f]) => f.initPort)).toEqual([3, 1]);
    t.advance(119);
    expect(t.size).toBe(1);
    t.advance(121);
    expect(t.size).toBe(0);
    expect(t.stats.expired).toBe(3);
  });

  it('keeps a flow alive while packets come, and splits it at the active timeout', () => {
    const { expired, table } = collect();
    const t = table({ idleTimeoutS: 10, activeTimeoutS: 100 });
    let first: Flow | null = null;
    for (let ts = 0; ts <= 150; ts += 5) {
      const f = t.update(udp(A, B, 5000, 123), ts);
      first ??= f;
      t.advance(ts);
    }
    expect(expired.length).toBe(1);
    expect(expired[0][1]).toBe(ExpireReason.Active);
    expect(expired[0][0]).toBe(first);
    expect(t.size).toBe(1);
  });

  it('evicts the least recently active flow at its maximum size and counts it', () => {
    const { expired, table } = collect();
    const t = table({ maxFlows: 16 });
    for (let i = 0; i < 20; i++) t.update(udp(A, B, 1000 + i, 53), i);
    expect(t.size).toBe(16);
    expect(t.stats.evicted).toBe(4);
    expect(expired.map(([f, r]) => [f.initPort, r])).toEqual([
      [1000, ExpireReason.Evicted],
      [1001, ExpireReason.Evicted],
      [1002, ExpireReason.Evicted],
      [1003, ExpireReason.Evicted],
    ]);
    // Every remaining flow is still found (deletion kept the probe chains intact).
    for (let i = 4; i < 20; i++) {
      t.update(udp(B, A, 53, 1000 + i), 30);
      expect(t.created).toBe(false);
    }
  });

  it('finds every flow after heavy churn (backward-shift deletion)', () => {
    const t = new FlowTable({ maxFlows: 64, idleTimeoutS: 5 });
    const live = new Map<number, Flow>();
    let seed = 7;
    const rnd = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (let step = 0; step < 5000; step++) {
      const port = 1 + Math.floor(rnd() * 200);
      const f = t.update(udp(A, B, port, 53), step / 10);
      t.advance(step / 10);
      if (t.created) live.set(port, f as Flow);
      else expect(live.get(port)).toBe(f);
      for (const [p, fl] of live) if (t.flows().indexOf(fl) < 0) live.delete(p);
    }
    expect(t.size).toBeLessThanOrEqual(64);
  });

  it('grows from a small start up to maxFlows, finding every flow on the way', () => {
    const t = new FlowTable({ maxFlows: 5000 });
    const made: Flow[] = [];
    for (let i = 0; i < 5000; i++) {
      made.push(t.update(udp(A + (i >> 8), B, 1 + (i & 0xff), 53), i / 1000) as Flow);
      expect(t.created).toBe(true);
    }
    for (let i = 0; i < 5000; i++) {
      expect(t.update(udp(B, A + (i >> 8), 53, 1 + (i & 0xff)), 6)).toBe(made[i]);
    }
    expect(t.size).toBe(5000);
    expect(t.stats.evicted).toBe(0);
    t.update(udp(A, B, 9999, 53), 7);
    expect(t.stats.evicted).toBe(1);
  });

  it('handles IPv6 flows in both directions', () => {
    const t = new FlowTable();
    const a = [0xfe800000, 0, 0x02112233, 0x44556677];
    const b = [0x20010db8, 0, 0, 1];
    const f = t.update(v6(a, b, 5353, 443), 0);
    expect(t.update(v6(b, a, 443, 5353), 0.5)).toBe(f);
    expect(t.forward).toBe(false);
    expect(t.update(v6(b, a, 443, 5354), 0.5)).not.toBe(f);
    expect(t.size).toBe(2);
  });

  it('ignores packets without a flow', () => {
    const t = new FlowTable();
    const p = new DecodedPacket();
    p.l3 = L3.ARP;
    expect(t.update(p, 0)).toBeNull();
    const frag = udp(A, B, 0, 0);
    frag.laterFragment = true;
    expect(t.update(frag, 0)).toBeNull();
  });

  it('flushAll expires everything', () => {
    const { expired, table } = collect();
    const t = table();
    for (let i = 0; i < 10; i++) t.update(udp(A, B, i + 1, 53), i);
    t.flushAll();
    expect(t.size).toBe(0);
    expect(expired.length).toBe(10);
    expect(expired.every(([, r]) => r === ExpireReason.Flush)).toBe(true);
  });
});
