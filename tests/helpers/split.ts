/**
 * A gzipped capture cut in two at a packet time, for restart tests: `[whole, before, after]`
 * as plain pcap files in `dir` (editcap -B / -A, times in UTC).
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
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
