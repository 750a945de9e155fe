/**
 * A capture cut in two at a packet time, for restart tests: a gzipped one as `[whole, before,
 * after]` plain pcap files in `dir` (editcap -B / -A, times in UTC); a plain one at a second.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';

export function splitCapture(gz: string, cut: string, dir: string): [string, string, string] {
  const whole = join(dir, 'whole.pcap');
  writeFileSync(whole, spawnSync('gunzip', ['-c', gz], { maxBuffer: 64 << 20 }).stdout);
  const part1 = join(dir, 'part1.pcap');
  const part2 = join(dir, 'part2.pcap');
  const env = { ...process.env, TZ: 'UTC' };
  for (const [flag, out] of [
    ['-B', part1],
    ['-A', part2],
  ] as const) {
    const r = spawnSync('editcap', [flag, cut, whole, out], { env });
    expect(r.status, String(r.stderr)).toBe(0);
  }
  return [whole, part1, part2];
}

/**
 * Splits a pcap (little-endian, as the generator writes) into the packets before `cutS` and
 * those from it on: `path.part1.pcap` and `path.part2.pcap`.
 */
export function splitPcap(path: string, cutS: number): [string, string] {
  const buf = readFileSync(path);
  let off = 24;
  while (off + 16 <= buf.length && buf.readUInt32LE(off) < cutS)
    off += 16 + buf.readUInt32LE(off + 8);
  const part1 = path.replace(/\.pcap$/, '.part1.pcap');
  const part2 = path.replace(/\.pcap$/, '.part2.pcap');
  writeFileSync(part1, buf.subarray(0, off));
  writeFileSync(part2, Buffer.concat([buf.subarray(0, 24), buf.subarray(off)]));
  return [part1, part2];
}
