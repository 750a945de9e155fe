/**
 * Robustness over hostile captures: every capture under libpcap-tests, tcpdump-tests and
 * zeek-traces, and the fuzz and malformed ones in ndpi-tests, ends on its own within seconds with
 * exit 0 (read, damage counted) or 2 (cannot be read at all), at most one line on stderr, and
 * never a stack trace.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHARED, records, runCliAsync } from '../helpers/cli.js';

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (/\.(pcap|pcapng|cap)$/.test(name)) out.push(p);
  }
  return out;
}

const FILES = [
  ...walk(join(SHARED, 'libpcap-tests')),
  ...walk(join(SHARED, 'tcpdump-tests')),
  ...walk(join(SHARED, 'zeek-traces')),
  ...walk(join(SHARED, 'ndpi-tests/pcap')).filter((f) =>
    /fuzz|malformed|badpackets|garbage/.test(f),
  ),
];

interface Outcome {
  file: string;
  code: number | null;
  stderrLines: string[];
  packets?: number;
}

async function runAll(files: string[], parallel: number): Promise<Outcome[]> {
  const results: Outcome[] = new Array<Outcome>(files.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const i = next++;
      const file = files[i];
      // A generous guard, not a speed assertion: a run that hangs is killed and fails below.
      const r = await runCliAsync(['replay', file, '--out', '-'], { timeoutMs: 30_000 });
      const summary =
        r.code === 0 ? records(r.stdout).find((x) => x.type === 'summary') : undefined;
      results[i] = {
        file: relative(SHARED, file),
        code: r.code,
        stderrLines: r.stderr.split('\n').filter((l) => l !== ''),
        packets: summary?.packets as number | undefined,
      };
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return results;
}

describe('hostile and unusual captures', () => {
  it(`${FILES.length} files end with exit 0 or 2 and at most one line on stderr`, async () => {
    expect(FILES.length).toBeGreaterThan(400);
    const outcomes = await runAll(FILES, 3);
    const bad = outcomes.filter(
      (o) =>
        (o.code !== 0 && o.code !== 2) ||
        o.stderrLines.length > 1 ||
        o.stderrLines.some((l) => /^\s+at /.test(l) || /internal error/.test(l)) ||
        (o.code === 2 && !o.stderrLines[0]?.includes(o.file.split('/').pop() as string)) ||
        (o.code === 0 && o.packets === undefined),
    );
    expect(bad).toEqual([]);
    // Most of them are readable: the decoder, not the reader, has to cope with their damage.
    expect(outcomes.filter((o) => o.code === 0).length).toBeGreaterThan(300);
  }, 600_000);
});
