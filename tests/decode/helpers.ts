/**
 * Shared helpers for the decoder tests: dataset paths, tshark field extraction, hand-built
 * frames, and a plain snapshot of a DecodedPacket for deep comparisons.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AppInfo } from '../../src/decode/app/types.js';
import { DecodedPacket, decodeFrame } from '../../src/decode/index.js';
import { readFrames, type Frame } from './pcap-walk.js';

/** `../shared/datasets` resolved from the repo root (CI clones shared/ beside the repo). */
export const DATASETS = resolve(process.cwd(), '../shared/datasets');

export function dataset(rel: string): string {
  return join(DATASETS, rel);
}

export function frames(rel: string): Frame[] {
  return readFrames(dataset(rel));
}

/** Every capture file under a dataset folder, recursively. */
export function captureFiles(rel: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(pcap|pcapng|cap|dmp)$/i.test(name)) out.push(p);
    }
  };
  walk(dataset(rel));
  return out;
}

let tsharkChecked: boolean | undefined;
export function hasTshark(): boolean {
  if (tsharkChecked === undefined) {
    try {
      execFileSync('tshark', ['--version'], { stdio: 'ignore' });
      tsharkChecked = true;
    } catch {
      tsharkChecked = false;
    }
  }
  return tsharkChecked;
}

/**
 * tshark's per-frame values of `fields` (frame number first), without TCP reassembly so that
 * each frame is judged on its own bytes like our peeks. Map: frame number → field values.
 */
export function tsharkFields(
  path: string,
  fields: string[],
  filter?: string,
): Map<number, string[]> {
  const args = ['-n', '-r', path, '-o', 'tcp.desegment_tcp_streams:FALSE', '-T', 'fields'];
  args.push('-E', 'separator=\t', '-E', 'occurrence=f', '-e', 'frame.number');
  for (const f of fields) args.push('-e', f);
  if (filter !== undefined) args.push('-Y', filter);
  const text = execFileSync('tshark', args, { encoding: 'utf8', maxBuffer: 256 << 20 });
  const rows = new Map<number, string[]>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const cols = line.split('\t');
    rows.set(Number(cols[0]), cols.slice(1));
  }
  return rows;
}

/** App peek results of a capture, by frame number. */
export function appsOf(path: string): Map<number, AppInfo> {
  const out = new DecodedPacket();
  const m = new Map<number, AppInfo>();
  for (const f of readFrames(path)) {
    decodeFrame(f.data, 0, f.data.length, f.wireLen, f.linkType, f.ts, out);
    if (out.app !== null) m.set(f.no, out.app);
  }
  return m;
}

/** Decodes one frame into a fresh packet. */
export function decode(data: Uint8Array | Buffer, linkType = 1, wireLen?: number): DecodedPacket {
  const buf = Buffer.isBuffer(data) ? data : Buffer.from(data);
  const out = new DecodedPacket();
  decodeFrame(buf, 0, buf.length, wireLen ?? buf.length, linkType, 0, out);
  return out;
}

/** All fields of `p` as plain data; `payloadOffset` made relative to the frame start. */
export function snapshot(p: DecodedPacket, frameOffset: number): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(p)) {
    o[k] = v instanceof Uint32Array ? Array.from(v) : v;
  }
  o.payloadOffset = p.payloadOffset === 0 ? 0 : p.payloadOffset - frameOffset;
  o.app = p.app === null ? null : JSON.parse(JSON.stringify(p.app));
  return o;
}

export function exists(rel: string): boolean {
  return existsSync(dataset(rel));
}

// ---- hand-built frames -------------------------------------------------------------------

export function bytes(...parts: (number[] | Uint8Array | string)[]): Buffer {
  const chunks = parts.map((p) =>
    typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p as number[]),
  );
  return Buffer.concat(chunks);
}

export function u16(v: number): number[] {
  return [(v >>> 8) & 0xff, v & 0xff];
}

export function u32(v: number): number[] {
  return [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
}

export const MAC_A = [0x02, 0x11, 0x22, 0x33, 0x44, 0x55];
export const MAC_B = [0xa0, 0xb1, 0xc2, 0xd3, 0xe4, 0xf5];

export function ether(type: number, payload: Buffer, dst = MAC_B, src = MAC_A): Buffer {
  return bytes(dst, src, u16(type), payload);
}

export function ipv4(
  proto: number,
  payload: Buffer,
  opts: {
    src?: number[];
    dst?: number[];
    frag?: number;
    totalLen?: number;
    ihl?: number;
    ttl?: number;
  } = {},
): Buffer {
  const ihl = opts.ihl ?? 5;
  const options = Buffer.alloc(Math.max(0, ihl - 5) * 4);
  const total = opts.totalLen ?? 20 + options.length + payload.length;
  return bytes(
    [0x40 | ihl, 0],
    u16(total),
    u16(0x1234),
    u16(opts.frag ?? 0),
    [opts.ttl ?? 64, proto],
    u16(0),
    opts.src ?? [192, 168, 1, 10],
    opts.dst ?? [8, 8, 8, 8],
    options,
    payload,
  );
}

export const V6_SRC = [
  0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x02, 0x11, 0x22, 0xff, 0xfe, 0x33, 0x44, 0x55,
];
export const V6_DST = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];

export function ipv6(next: number, payload: Buffer, payloadLen?: number): Buffer {
  return bytes(
    [0x60, 0, 0, 0],
    u16(payloadLen ?? payload.length),
    [next, 64],
    V6_SRC,
    V6_DST,
    payload,
  );
}

export function tcp(
  sport: number,
  dport: number,
  payload: Buffer | string = Buffer.alloc(0),
  opts: { flags?: number; seq?: number; ack?: number; offset?: number } = {},
): Buffer {
  const offset = opts.offset ?? 5;
  const options = Buffer.alloc(Math.max(0, offset - 5) * 4);
  return bytes(
    u16(sport),
    u16(dport),
    u32(opts.seq ?? 1000),
    u32(opts.ack ?? 2000),
    [offset << 4, opts.flags ?? 0x18],
    u16(65535),
    u16(0),
    u16(0),
    options,
    typeof payload === 'string' ? Buffer.from(payload, 'latin1') : payload,
  );
}

export function udp(
  sport: number,
  dport: number,
  payload: Buffer | string,
  length?: number,
): Buffer {
  const data = typeof payload === 'string' ? Buffer.from(payload, 'latin1') : payload;
  return bytes(u16(sport), u16(dport), u16(length ?? 8 + data.length), u16(0), data);
}

/** Ethernet + IPv4 + UDP. */
export function udpFrame(sport: number, dport: number, payload: Buffer | string): Buffer {
  const u = udp(sport, dport, payload);
  return ether(0x0800, ipv4(17, u));
}

/** Ethernet + IPv4 + TCP. */
export function tcpFrame(sport: number, dport: number, payload: Buffer | string): Buffer {
  return ether(0x0800, ipv4(6, tcp(sport, dport, payload)));
}
