/**
 * Test helper: replays capture files through the pipeline (as `homewatch replay` does, frames
 * in file order) and returns every closed window with its record and evidence.
 */
import type { ClosedWindow } from '../../src/features/windows.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import { MemorySink } from '../../src/sinks/memory.js';
import { readFrames } from '../decode/pcap-walk.js';

export function replayWindows(
  paths: string[],
  opts: { lanCidrs?: string[]; windowS?: number } = {},
): ClosedWindow[] {
  const sink = new MemorySink();
  const p = new Pipeline({ windowS: opts.windowS ?? 60, lanCidrs: opts.lanCidrs ?? [] }, sink);
  const out: ClosedWindow[] = [];
  p.windowListeners.push((closed) => {
    out.push(...closed);
  });
  for (const path of paths) {
    for (const f of readFrames(path))
      p.onFrame(f.data, 0, f.data.length, f.wireLen, f.ts, f.linkType);
  }
  p.finish();
  return out;
}

/** Sum of a feature over the windows of one device (all devices when `mac` is undefined). */
export function total(windows: ClosedWindow[], feature: string, mac?: string): number {
  let n = 0;
  for (const w of windows)
    if (mac === undefined || w.record.mac === mac) n += w.record.features[feature];
  return n;
}
