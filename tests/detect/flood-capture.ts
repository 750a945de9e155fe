/**
 * The demo home (datasets/demo-home/vacuum.pcap.gz) with traffic appended after its last packet,
 * built with the generator's frame builders (datasets/generator/frames.ts): the floods of
 * tests/detect/flood.test.ts and their traps.
 */
import { gunzipSync } from 'node:zlib';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseIpv4 } from '../../src/decode/addr.js';
import {
  type Conn,
  emptyConn,
  Frames,
  IPPROTO_GRE,
  IPPROTO_ICMP,
  IPPROTO_UDP,
  TCP_ACK,
  TCP_FIN,
  TCP_PSH,
  TCP_RST,
  TCP_SYN,
} from '../../datasets/generator/frames.js';
import { PcapWriter } from '../../datasets/generator/pcap-writer.js';
import { REPO } from '../helpers/cli.js';

/** Devices of the demo home. */
export const GATEWAY_MAC = 0x581122431e37;
export const CAMERA = { mac: 0xa41162969a67, ip: parseIpv4('192.168.1.2') };
export const TOY = { mac: 0x0022ae4ae323, ip: parseIpv4('192.168.1.7') };
export const PHONE = { mac: 0xf0d1a9b8ab7f, ip: parseIpv4('192.168.1.4') };
export const CAMERA_MAC = 'a4:11:62:96:9a:67';

/** Packet time (µs) just after the demo capture's last packet. */
function demoEnd(demo: Buffer): number {
  let last = 0;
  for (let off = 24; off + 16 <= demo.length; off += 16 + demo.readUInt32LE(off + 8))
    last = demo.readUInt32LE(off) * 1e6 + demo.readUInt32LE(off + 4);
  return last;
}

/**
 * Writes the demo capture followed by what `build` writes (starting 5 s after the demo's last
 * packet, `t0Us`) to `dir/name.pcap` and returns its path.
 */
export function demoWith(dir: string, name: string, build: (f: Frames, t0Us: number) => void) {
  const demo = gunzipSync(readFileSync(join(REPO, 'datasets/demo-home/vacuum.pcap.gz')));
  const tail = join(dir, `${name}.tail.pcap`);
  const w = new PcapWriter(tail);
  build(new Frames(w), demoEnd(demo) + 5e6);
  w.close();
  const out = join(dir, `${name}.pcap`);
  writeFileSync(out, Buffer.concat([demo, readFileSync(tail).subarray(24)]));
  rmSync(tail);
  return out;
}

/** A conversation of a LAN device (`from`) with `to` (an internet host via the gateway, or `toMac`). */
export function conn(
  from: { mac: number; ip: number },
  to: string,
  portA: number,
  portB: number,
  toMac = GATEWAY_MAC,
): Conn {
  const c = emptyConn();
  c.macA = from.mac;
  c.ip4A = from.ip;
  c.macB = toMac;
  c.ip4B = parseIpv4(to);
  c.portA = portA;
  c.portB = portB;
  return c;
}

/** Deterministic pseudo-random 32-bit numbers (xorshift32), for forged addresses and ports. */
export function xorshift(seed: number): () => number {
  let x = seed | 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

const S = 1e6;
type Host = { mac: number; ip: number };

/** Packets a second for `seconds` from t0: calls `one(i, tsUs)` for each. */
export function paced(
  t0: number,
  pps: number,
  seconds: number,
  one: (i: number, ts: number) => void,
) {
  for (let i = 0; i < pps * seconds; i++) one(i, t0 + (i * S) / pps);
}

/**
 * UDP datagrams of `size` bytes from `from` to `to`:`port`. `forge` draws each packet's source
 * address (Mirai's `source=` left random, or from the LAN's /24); `toMac` for a LAN target.
 */
export function udpFlood(
  f: Frames,
  t0: number,
  o: { from: Host; to: string; port: number; pps: number; seconds: number; size: number },
  forge: ((i: number) => number) | null = null,
  toMac = GATEWAY_MAC,
): void {
  const c = conn(o.from, o.to, 40_000, o.port, toMac);
  const r = xorshift(17);
  paced(t0, o.pps, o.seconds, (i, ts) => {
    if (forge !== null) {
      c.ip4A = forge(i);
      c.portA = 1024 + (r() % 60_000);
    }
    f.beginUdp(false);
    f.endUdp(ts, c, true, 0, o.size);
  });
}

/** TCP SYNs without options (a raw socket's), from random source ports; `port` 0: random too. */
export function synFlood(
  f: Frames,
  t0: number,
  o: { from: Host; to: string; port: number; pps: number; seconds: number },
  toMac = GATEWAY_MAC,
): void {
  const r = xorshift(23);
  const c = conn(o.from, o.to, 0, o.port, toMac);
  paced(t0, o.pps, o.seconds, (_i, ts) => {
    c.portA = 1024 + (r() % 60_000);
    if (o.port === 0) c.portB = 1 + (r() % 65_535);
    f.beginTcp(false, true, false);
    f.endTcp(ts, c, true, TCP_SYN, r(), 0, 0, 0);
  });
}

/**
 * The camera probes 7,500 ports of one host in 30 s, refused, from 10 s into the minute after
 * `t0` (at half a flood's rate: held back one window, it could have been a flood's start), then
 * falls silent while the toy talks to its cloud for three minutes (windows close meanwhile).
 * Returns the scan's first packet time (µs).
 */
export function cameraPortScan(f: Frames, t0: number): number {
  const at = Math.ceil(t0 / 60e6) * 60e6 + 10e6;
  const c = conn(CAMERA, '203.0.113.50', 51_234, 0);
  paced(at, 250, 30, (i, ts) => {
    c.portB = 1 + ((i * 7_919) % 65_535);
    f.beginTcp(false, true, false);
    f.endTcp(ts, c, true, TCP_SYN, 1000, 0, 0, 0);
    f.beginTcp(false, false);
    f.endTcp(ts + 20_000, c, false, TCP_RST | TCP_ACK, 0, 1001, 0, 0);
  });
  const t = conn(TOY, '52.1.2.3', 40_000, 443);
  paced(at + 40e6, 1, 180, (_i, ts) => {
    f.beginUdp(false);
    f.endUdp(ts, t, true, 0, 100);
  });
  return at;
}

/** GRE (RFC 2784) carrying IPv4 + UDP with `size` bytes, as Mirai's `greip`; `answered`: both ways. */
export function greStream(
  f: Frames,
  t0: number,
  o: { from: Host; to: string; pps: number; seconds: number; size: number },
  answered: boolean,
): void {
  const c = conn(o.from, o.to, 0, 0);
  const inner = parseIpv4(o.to);
  const r = xorshift(29);
  paced(t0, o.pps, o.seconds, (_i, ts) => {
    for (const fromA of answered ? [true, false] : [true]) {
      const at = f.beginIp(false);
      const b = f.buf;
      b.writeUInt32BE(0x0800, at); // no flags, version 0, IPv4 inside
      b[at + 4] = 0x45;
      b.writeUInt16BE(28 + o.size, at + 6);
      b[at + 12] = 64;
      b[at + 13] = IPPROTO_UDP;
      b.writeUInt32BE(r(), at + 16);
      b.writeUInt32BE(inner >>> 0, at + 20);
      f.endIp(ts + (fromA ? 0 : 15_000), c, fromA, IPPROTO_GRE, 24, 4 + 28 + o.size);
    }
  });
}

/** ICMP echo requests (RFC 792) of 64 bytes, one identifier; `answered`: each gets its reply. */
export function pings(
  f: Frames,
  t0: number,
  o: { from: Host; to: string; pps: number; seconds: number; toMac?: number },
  answered: boolean,
): void {
  const c = conn(o.from, o.to, 0, 0, o.toMac);
  paced(t0, o.pps, o.seconds, (i, ts) => {
    for (const fromA of answered ? [true, false] : [true]) {
      const at = f.beginIp(false);
      f.buf[at] = fromA ? 8 : 0;
      f.buf[at + 1] = 0;
      f.buf.writeUInt16BE(0x4d2, at + 4);
      f.buf.writeUInt16BE(i & 0xffff, at + 6);
      f.endIp(ts + (fromA ? 0 : 2_000), c, fromA, IPPROTO_ICMP, 8, 64);
    }
  });
}

/**
 * An HTTP flood: `cps` connections a second, each a handshake, one GET, a 300-byte answer and
 * a close (7 packets).
 */
export function httpFlood(
  f: Frames,
  t0: number,
  o: { from: Host; to: string; cps: number; seconds: number },
): void {
  const req = Buffer.from(`GET / HTTP/1.1\r\nHost: ${o.to}\r\nUser-Agent: Mozilla/5.0\r\n\r\n`);
  const rtt = 20_000;
  paced(t0, o.cps, o.seconds, (i, t) => {
    const c = conn(o.from, o.to, 10_000 + (i % 50_000), 80);
    const n = req.length;
    f.beginTcp(false, true);
    f.endTcp(t, c, true, TCP_SYN, 1000, 0, 0, 0);
    f.beginTcp(false, true);
    f.endTcp(t + rtt, c, false, TCP_SYN | TCP_ACK, 5000, 1001, 0, 0);
    f.beginTcp(false, false);
    f.endTcp(t + rtt + 100, c, true, TCP_ACK, 1001, 5001, 0, 0);
    req.copy(f.buf, f.beginTcp(false, false));
    f.endTcp(t + rtt + 200, c, true, TCP_ACK | TCP_PSH, 1001, 5001, n, n);
    f.beginTcp(false, false);
    f.endTcp(t + 2 * rtt, c, false, TCP_ACK | TCP_PSH, 5001, 1001 + n, 0, 300);
    f.beginTcp(false, false);
    f.endTcp(t + 2 * rtt + 100, c, true, TCP_ACK | TCP_FIN, 1001 + n, 5301, 0, 0);
    f.beginTcp(false, false);
    f.endTcp(t + 3 * rtt, c, false, TCP_ACK | TCP_FIN, 5301, 1002 + n, 0, 0);
  });
}
