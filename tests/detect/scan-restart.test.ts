/**
 * A port scan held back one window (src/detect/scan.ts: it could be the start of a SYN flood to
 * random ports, which the next window tells) across a restart with `--state`: the capture cut
 * right after the held window, replayed in two runs with the same state. The held window is
 * saved and the next run tells it as one replay of the whole does: a port scan named once, with
 * the same facts; a flood's first half-window not named a scan.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Frames } from '../../datasets/generator/frames.js';
import { records, runCli } from '../helpers/cli.js';
import { splitPcap } from '../helpers/split.js';
import { CAMERA, cameraPortScan, CAMERA_MAC, demoWith, synFlood } from './flood-capture.js';

const VACUUM = 'b0:4a:39:57:c5:d4';

type Rec = Record<string, unknown>;

/** The opened alerts of devices other than the demo's vacuum, as `behaviour@mac`. */
const opened = (recs: Rec[]): Rec[] =>
  recs.filter((r) => r.type === 'alert' && r.state === 'open' && r.mac !== VACUUM);
const named = (recs: Rec[]): string[] =>
  opened(recs).map((r) => `${r.behaviour as string}@${r.mac as string}`);

describe('a restart with --state right after a port scan held back one window', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hw-scan-restart-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The whole capture in one run, and cut at `cutS` in two runs sharing `state`. */
  function runs(name: string, build: (f: Frames, t0: number) => void, cut: (t0: number) => number) {
    let t0 = 0;
    const whole = demoWith(dir, name, (f, t) => {
      t0 = t;
      build(f, t);
    });
    const [part1, part2] = splitPcap(whole, cut(t0));
    const state = join(dir, `${name}-state`);
    const once = records(runCli(['replay', whole, '--out', '-']).stdout);
    const first = runCli(['replay', part1, '--state', state, '--out', '-']);
    const saved = JSON.parse(readFileSync(join(state, 'state.json'), 'utf8')) as {
      detectors: { scan: Record<string, unknown> };
    };
    // The state after the first run, kept to replay the second from an older state file.
    const older = join(dir, `${name}-older`);
    cpSync(state, older, { recursive: true });
    const second = runCli(['replay', part2, '--state', state, '--out', '-']);
    expect(first.stderr).toBe('');
    expect(second.stderr).toBe('');
    return {
      once,
      first: records(first.stdout),
      second: records(second.stdout),
      saved,
      older,
      part2,
    };
  }

  it('a camera’s fast port scan: held at the cut, named once after it, as in one run', () => {
    const start = { at: 0 };
    const r = runs(
      'cam-portscan',
      (f, t0) => {
        start.at = cameraPortScan(f, t0);
      },
      // The end of the scan's window: the first run ends holding it.
      () => Math.floor(start.at / 60e6) * 60 + 60,
    );
    expect(named(r.once)).toEqual([`scan@${CAMERA_MAC}`]);
    expect(named(r.first)).toEqual([]);
    const held = r.saved.detectors.scan.held as { $map: [string, { host: string }][] };
    expect(held.$map.map(([mac, h]) => [mac, h.host])).toEqual([[CAMERA_MAC, '203.0.113.50']]);
    expect(named(r.second)).toEqual([`scan@${CAMERA_MAC}`]);
    const pick = (a: Rec) => [a.ts, a.summary, a.evidence, a.severity];
    expect(pick(opened(r.second)[0])).toEqual(pick(opened(r.once)[0]));
    // An older state file (before held scans were saved) still loads: the scan is lost then,
    // as before, and nothing else changes.
    const file = join(r.older, 'state.json');
    const older = JSON.parse(readFileSync(file, 'utf8')) as {
      detectors: { scan: Record<string, unknown> };
    };
    delete older.detectors.scan.held;
    delete older.detectors.scan.flooded;
    writeFileSync(file, JSON.stringify(older));
    const fromOlder = runCli(['replay', r.part2, '--state', r.older, '--out', '-']);
    expect(fromOlder.stderr).toBe('');
    expect(named(records(fromOlder.stdout))).toEqual([]);
  });

  it('a SYN flood starting mid-window, cut after its first half-window: one flood, no scan', () => {
    const flood = { from: CAMERA, to: '203.0.113.50', port: 0, pps: 300, seconds: 120 };
    const start = { at: 0 };
    const r = runs(
      'syn-late',
      (f, t0) => {
        start.at = Math.ceil(t0 / 60e6) * 60e6 + 30e6;
        synFlood(f, start.at, flood);
      },
      () => Math.floor(start.at / 60e6) * 60 + 60,
    );
    expect(named(r.once)).toEqual([`abnormal_upload@${CAMERA_MAC}`]);
    // Today's names over both runs: the flood, once; its first half-window was no port scan.
    expect([...named(r.first), ...named(r.second)]).toEqual([`abnormal_upload@${CAMERA_MAC}`]);
  });
});
