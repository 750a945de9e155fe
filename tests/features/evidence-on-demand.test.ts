/**
 * Evidence is gathered only when something reads it: a pipeline without window listeners (a
 * replay with --no-detect) keeps no peer tallies and builds no evidence, and writes the same
 * records as one whose listeners read every window's evidence.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ClosedWindow } from '../../src/features/windows.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import { MemorySink } from '../../src/sinks/memory.js';
import type { OutputRecord } from '../../src/sinks/records.js';
import { readFrames } from '../decode/pcap-walk.js';
import { SHARED } from '../helpers/cli.js';

function replay(
  paths: string[],
  listen: boolean,
): { records: OutputRecord[]; windows: ClosedWindow[] } {
  const sink = new MemorySink();
  const p = new Pipeline({ windowS: 60 }, sink);
  const windows: ClosedWindow[] = [];
  if (listen) p.windowListeners.push((closed) => void windows.push(...closed));
  for (const path of paths)
    for (const f of readFrames(path))
      p.onFrame(f.data, 0, f.data.length, f.wireLen, f.ts, f.linkType);
  p.finish();
  return { records: sink.records, windows };
}

const captures = [
  join(SHARED, 'moniotr-blink-hub/2019-04-25_idle.pcap'),
  join(SHARED, 'ndpi-tests/pcap/synscan.pcap'),
  join(SHARED, 'ndpi-tests/pcap/mining.pcapng'),
];

describe.runIf(captures.every((c) => existsSync(c)))('evidence on demand', () => {
  for (const c of captures) {
    it(`${c.split('/').pop()}: the same records with and without a reader of the evidence`, () => {
      const read = replay([c], true);
      const unread = replay([c], false);
      expect(unread.records).toEqual(read.records);
      // The reader did get evidence: peers the devices started flows to.
      expect(read.windows.some((w) => w.evidence.peers.length > 0)).toBe(true);
    });
  }
});
