/**
 * Built frames for the feature and evidence tests: a small home (a device, a second device, the
 * router) talking IPv4 over Ethernet, fed to the pipeline as a capture source would.
 */
import type { ClosedWindow } from '../../src/features/windows.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import { MemorySink } from '../../src/sinks/memory.js';
import { bytes, ether, ipv4, tcp, u16, u32, udp } from '../decode/helpers.js';

export const DEV = [0x02, 0x11, 0x22, 0x33, 0x44, 0x55];
export const DEV2 = [0x02, 0x11, 0x22, 0x33, 0x44, 0x66];
export const ROUTER = [0xa0, 0xb1, 0xc2, 0xd3, 0xe4, 0xf5];
export const DEV_IP = [192, 168, 1, 10];
export const DEV2_IP = [192, 168, 1, 11];
export const ROUTER_IP = [192, 168, 1, 1];
export const BROADCAST = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff];

export const SYN = 0x02;
export const SYN_ACK = 0x12;
export const ACK = 0x10;
export const PSH_ACK = 0x18;
export const FIN_ACK = 0x11;
export const RST = 0x04;

/** A window boundary. */
export const T0 = 1_700_000_000 - (1_700_000_000 % 60);

export type Timed = [number, Buffer];

/** Feeds (time, frame) pairs in order; returns every closed window with its evidence. */
export function run(frames: Timed[], windowS = 60): ClosedWindow[] {
  const sink = new MemorySink();
  const p = new Pipeline({ windowS }, sink);
  const out: ClosedWindow[] = [];
  p.windowListeners.push((closed) => {
    out.push(...closed);
  });
  for (const [ts, f] of frames) p.onFrame(f, 0, f.length, f.length, ts, 1);
  p.finish();
  return out;
}

/** The windows of the device with MAC `mac` (DEV by default). */
export function of(windows: ClosedWindow[], mac = DEV): ClosedWindow[] {
  const text = mac.map((b) => b.toString(16).padStart(2, '0')).join(':');
  return windows.filter((w) => w.record.mac === text);
}

export interface Ends {
  mac?: number[];
  ip?: number[];
  peerMac?: number[];
}

/** TCP from the device (`from`, default DEV) to `ip`:`port`. */
export function tcpOut(
  ip: number[],
  port: number,
  flags: number,
  payload: Buffer | string = '',
  sport = 40000,
  from: Ends = {},
): Buffer {
  return ether(
    0x0800,
    ipv4(6, tcp(sport, port, payload, { flags }), { src: from.ip ?? DEV_IP, dst: ip }),
    from.peerMac ?? ROUTER,
    from.mac ?? DEV,
  );
}

/** TCP from `ip`:`port` back to the device. */
export function tcpIn(
  ip: number[],
  port: number,
  flags: number,
  payload: Buffer | string = '',
  sport = 40000,
  to: Ends = {},
): Buffer {
  return ether(
    0x0800,
    ipv4(6, tcp(port, sport, payload, { flags }), { src: ip, dst: to.ip ?? DEV_IP }),
    to.mac ?? DEV,
    to.peerMac ?? ROUTER,
  );
}

export function udpOut(ip: number[], port: number, payload: Buffer, sport = 50000): Buffer {
  return ether(0x0800, ipv4(17, udp(sport, port, payload), { src: DEV_IP, dst: ip }), ROUTER, DEV);
}

export function udpIn(ip: number[], port: number, payload: Buffer, sport = 50000): Buffer {
  return ether(0x0800, ipv4(17, udp(port, sport, payload), { src: ip, dst: DEV_IP }), DEV, ROUTER);
}

/** A complete short TCP connection: handshake, `up` and `down` payload, FIN both ways. */
export function session(
  t: number,
  ip: number[],
  port: number,
  sport: number,
  up: string,
  down: string,
  durationS = 1,
): Timed[] {
  return [
    [t, tcpOut(ip, port, SYN, '', sport)],
    [t + 0.01, tcpIn(ip, port, SYN_ACK, '', sport)],
    [t + 0.02, tcpIn(ip, port, PSH_ACK, down, sport)],
    [t + 0.03, tcpOut(ip, port, PSH_ACK, up, sport)],
    [t + durationS - 0.01, tcpIn(ip, port, FIN_ACK, '', sport)],
    [t + durationS, tcpOut(ip, port, FIN_ACK, '', sport)],
  ];
}

/** An ARP message (RFC 826) from `mac` for `senderIp`, to `targetIp`. */
export function arp(op: number, mac: number[], senderIp: number[], targetIp: number[]): Buffer {
  const body = bytes(
    u16(1),
    u16(0x0800),
    [6, 4],
    u16(op),
    mac,
    senderIp,
    op === 2 ? ROUTER : [0, 0, 0, 0, 0, 0],
    targetIp,
  );
  return ether(0x0806, body, op === 2 ? ROUTER : BROADCAST, mac);
}

/** A DNS name in wire form. */
function qname(name: string): Buffer {
  return bytes(...name.split('.').map((l) => bytes([l.length], Buffer.from(l, 'latin1'))), [0]);
}

/** A DNS query for `name` of type `qtype`. */
export function dnsQuery(name: string, qtype = 1, id = 1): Buffer {
  return bytes(
    u16(id),
    u16(0x0100),
    u16(1),
    u16(0),
    u16(0),
    u16(0),
    qname(name),
    u16(qtype),
    u16(1),
  );
}

/** A DNS response: `name` → IPv4 `addr` (none: NXDOMAIN). */
export function dnsAnswer(name: string, addr?: number[], id = 1): Buffer {
  const nx = addr === undefined;
  const head = bytes(u16(id), u16(nx ? 0x8183 : 0x8180), u16(1), u16(nx ? 0 : 1), u16(0), u16(0));
  const q = bytes(qname(name), u16(1), u16(1));
  if (nx) return bytes(head, q);
  return bytes(head, q, u16(0xc00c), u16(1), u16(1), u32(300), u16(4), addr);
}
