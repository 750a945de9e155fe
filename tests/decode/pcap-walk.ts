/**
 * Test-only capture walker: reads a whole classic pcap (either byte order, µs or ns) or pcapng
 * file and returns its frames as copies. Stops quietly at the first damaged record. The real
 * reader lives in src/capture/file/; this one exists so decoder tests do not depend on it.
 */
import { readFileSync } from 'node:fs';

export interface Frame {
  /** 1-based record number, as tshark counts. */
  no: number;
  data: Buffer;
  wireLen: number;
  linkType: number;
  ts: number;
}

function pcap(file: Buffer): Frame[] {
  const magic = file.readUInt32LE(0);
  const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  const nano = magic === 0xa1b23c4d || magic === 0x4d3cb2a1;
  const u32 = (o: number): number => (le ? file.readUInt32LE(o) : file.readUInt32BE(o));
  const linkType = u32(20) & 0x0fffffff;
  const frames: Frame[] = [];
  for (let pos = 24; pos + 16 <= file.length;) {
    const capLen = u32(pos + 8);
    if (capLen > 0x40000 || pos + 16 + capLen > file.length) break;
    const ts = u32(pos) + u32(pos + 4) / (nano ? 1e9 : 1e6);
    frames.push({
      no: frames.length + 1,
      data: Buffer.from(file.subarray(pos + 16, pos + 16 + capLen)),
      wireLen: u32(pos + 12),
      linkType,
      ts,
    });
    pos += 16 + capLen;
  }
  return frames;
}

function pcapng(file: Buffer): Frame[] {
  const frames: Frame[] = [];
  let le = true;
  let links: number[] = [];
  for (let pos = 0; pos + 12 <= file.length;) {
    if (file.readUInt32LE(pos) === 0x0a0d0d0a) {
      le = file.readUInt32LE(pos + 8) === 0x1a2b3c4d;
      links = [];
    }
    const u32 = (o: number): number => (le ? file.readUInt32LE(o) : file.readUInt32BE(o));
    const type = u32(pos);
    const len = u32(pos + 4);
    if (len < 12 || len % 4 !== 0 || pos + len > file.length) break;
    if (type === 1) {
      links.push(le ? file.readUInt16LE(pos + 8) : file.readUInt16BE(pos + 8));
    } else if (type === 6 || type === 3) {
      const enhanced = type === 6;
      const iface = enhanced ? u32(pos + 8) : 0;
      const capLen = enhanced ? u32(pos + 20) : Math.min(u32(pos + 8), len - 16);
      const wireLen = enhanced ? u32(pos + 24) : u32(pos + 8);
      const dataAt = pos + (enhanced ? 28 : 12);
      if (dataAt + capLen > pos + len) break;
      const ts = enhanced ? (u32(pos + 12) * 2 ** 32 + u32(pos + 16)) / 1e6 : 0;
      frames.push({
        no: frames.length + 1,
        data: Buffer.from(file.subarray(dataAt, dataAt + capLen)),
        wireLen,
        linkType: links[iface] ?? -1,
        ts,
      });
    }
    pos += len;
  }
  return frames;
}

/** All frames of the capture at `path` (an empty list for files that are not captures). */
export function readFrames(path: string): Frame[] {
  const file = readFileSync(path);
  if (file.length < 24) return [];
  const magic = file.readUInt32LE(0);
  if (magic === 0x0a0d0d0a) return pcapng(file);
  if ([0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1].includes(magic)) return pcap(file);
  return [];
}
