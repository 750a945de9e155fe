/**
 * Oracle: on every classic (microsecond) pcap under ../shared/datasets, our reader yields exactly
 * the records pcap-parser (an independent JS reader) yields: same count, times, lengths and bytes.
 * pcap-parser does not read nanosecond pcap or pcapng, and does not check record lengths, so:
 * - files it rejects are skipped (counted, must stay few);
 * - files whose header we reject (e.g. version 1.4, which its version check lets through) are
 *   skipped;
 * - where we stop at an impossible record length, pcap-parser waits for bytes that never come and
 *   yields nothing more either, so the counts still agree.
 * Records claiming fewer bytes on the wire than captured are reported by us with wireLen = capLen.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ParseState } from '../../../src/capture/file/index.js';
import { DATASETS, parseFile } from './util.js';

interface PcapParserPacket {
  header: {
    timestampSeconds: number;
    timestampMicroseconds: number;
    capturedLength: number;
    originalLength: number;
  };
  data: Buffer;
}
interface PcapParserEmitter {
  on(ev: 'packet', f: (p: PcapParserPacket) => void): PcapParserEmitter;
  on(ev: 'end', f: () => void): PcapParserEmitter;
  on(ev: 'error', f: (e: Error) => void): PcapParserEmitter;
}
const pcapParser = createRequire(import.meta.url)('pcap-parser') as {
  parse(path: string): PcapParserEmitter;
};

interface Flat {
  sec: number;
  usec: number;
  capLen: number;
  wireLen: number;
  hex: string;
}

function viaPcapParser(path: string): Promise<Flat[] | null> {
  return new Promise((resolve) => {
    const out: Flat[] = [];
    let failed = false;
    pcapParser
      .parse(path)
      .on('packet', (p) => {
        const h = p.header;
        out.push({
          sec: h.timestampSeconds,
          usec: h.timestampMicroseconds,
          capLen: h.capturedLength,
          wireLen: Math.max(h.originalLength, h.capturedLength),
          hex: p.data.toString('hex'),
        });
      })
      .on('error', () => {
        failed = true;
      })
      .on('end', () => resolve(failed ? null : out));
  });
}

function classicMicrosecondPcaps(dir: string, acc: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) classicMicrosecondPcaps(p, acc);
    else if (st.size >= 24) {
      const m = readFileSync(p).subarray(0, 4).toString('hex');
      if (m === 'd4c3b2a1' || m === 'a1b2c3d4') acc.push(p);
    }
  }
  return acc;
}

describe('oracle: pcap-parser', () => {
  it('yields the same records as ours on every classic pcap in the datasets', async () => {
    const files = classicMicrosecondPcaps(DATASETS);
    expect(files.length).toBeGreaterThan(900);
    let compared = 0;
    let records = 0;
    const skipped: string[] = [];
    const wrong: string[] = [];
    for (const path of files) {
      const ours = await parseFile(path, 64 * 1024);
      if (ours === null || ours.parser.state === ParseState.BadHeader) {
        skipped.push(path);
        continue;
      }
      const theirs = await viaPcapParser(path);
      if (theirs === null) {
        skipped.push(path);
        continue;
      }
      compared++;
      records += theirs.length;
      if (ours.records.length !== theirs.length) {
        wrong.push(`${path}: ${ours.records.length} records, pcap-parser ${theirs.length}`);
        continue;
      }
      for (let i = 0; i < theirs.length; i++) {
        const a = ours.records[i];
        const b = theirs[i];
        // Fuzzed files have fractions >= 1 s (timestamp_invalid_micro.pcap): they carry into seconds.
        const tsOk = Math.abs(a.ts - (b.sec + b.usec / 1e6)) <= 1e-6;
        if (!tsOk || a.capLen !== b.capLen || a.wireLen !== b.wireLen || a.hex !== b.hex) {
          wrong.push(`${path}: record ${i + 1} differs`);
          break;
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(skipped.length).toBeLessThan(5);
    expect(compared).toBeGreaterThan(900);
    expect(records).toBeGreaterThan(100_000);
  });
});
