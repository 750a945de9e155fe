/**
 * The score recorder of `homewatch evaluate`: it keeps every judged window's score for the AUC
 * report, so over a long capture (a week of a home is ~175,000 windows) what it holds a window
 * is its memory: a few bytes a window, not an object with boxed numbers.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { DetectContext, Detector } from '../../src/detect/types.js';
import type { LabelEvent } from '../../src/evaluate/labels.js';
import type { ModelVerdict, WindowScorer } from '../../src/model/types.js';
import { ScoreRecorder, scoreAucByBehaviour } from '../../src/model/window-scores.js';

/** A scorer that scores a window by a fixed function of its start. */
function scorer(score: (start: number) => number): WindowScorer {
  return {
    description: 'test',
    anomalyDetector: {} as Detector,
    score: (ctx) => ({ score: score(ctx.w.record.start) }) as ModelVerdict,
  };
}

/** The context `score` reads: device, window bounds, judged. */
function ctx(mac: string, start: number, judged = true): DetectContext {
  return {
    judged,
    w: { device: { macStr: mac }, record: { start, end: start + 60 } },
  } as unknown as DetectContext;
}

const T0 = 1_717_243_200;

describe('ScoreRecorder', () => {
  it('keeps the judged windows, in order, and scores the AUC from them', () => {
    const rec = new ScoreRecorder(scorer((start) => (start >= T0 + 600 ? 0.9 : 0.1)));
    for (let i = 0; i < 20; i++) {
      rec.score(ctx('aa:aa:aa:aa:aa:01', T0 + i * 60), []);
      rec.score(ctx('aa:aa:aa:aa:aa:02', T0 + i * 60), []);
    }
    rec.score(ctx('aa:aa:aa:aa:aa:03', T0, false), []);
    expect(rec.size).toBe(40);
    expect(rec.windows.slice(0, 3)).toEqual([
      { mac: 'aa:aa:aa:aa:aa:01', start: T0, end: T0 + 60, score: 0.1 },
      { mac: 'aa:aa:aa:aa:aa:02', start: T0, end: T0 + 60, score: 0.1 },
      { mac: 'aa:aa:aa:aa:aa:01', start: T0 + 60, end: T0 + 120, score: 0.1 },
    ]);
    // Device 01 beacons from 10 min in: its windows then are the positives; device 02's
    // windows far from any event of its own are negatives, whatever they score.
    const events: LabelEvent[] = [
      {
        mac: 'aa:aa:aa:aa:aa:01',
        behaviours: ['beaconing'],
        also: [],
        start: T0 + 600,
        end: T0 + 1200,
      },
    ];
    const [row] = scoreAucByBehaviour(events, rec);
    expect(row.behaviour).toBe('beaconing');
    expect(row.positives).toBe(10);
    // Device 01's first windows (outside the 60 s before the event) and all of device 02's.
    expect(row.negatives).toBe(9 + 20);
    // Positives at 0.9 against 19 negatives at 0.1 (device 01's first nine, device 02's first
    // ten) and ties with 10 at 0.9 (device 02's later windows).
    expect(row.auc).toBeCloseTo((10 * 19 + 0.5 * 10 * 10) / (10 * 29), 10);
  });

  it('holds a window in a few bytes (a week of a home is ~175,000 windows)', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const rows = 200_000;
    const macs = Array.from(
      { length: 20 },
      (_, i) => `aa:aa:aa:aa:aa:${String(i).padStart(2, '0')}`,
    );
    const contexts = Array.from({ length: 1000 }, (_, i) => ctx(macs[i % 20], T0 + i * 60));
    const rec = new ScoreRecorder(scorer((start) => ((start - T0) % 997) / 997 + 0.0001));
    gc();
    const before = process.memoryUsage();
    for (let i = 0; i < rows; i++) rec.score(contexts[i % 1000], []);
    gc();
    const after = process.memoryUsage();
    const heap = (after.heapUsed - before.heapUsed) / rows;
    const buffers = (after.arrayBuffers - before.arrayBuffers) / rows;
    expect(rec.size).toBe(rows);
    // An object a window with three boxed numbers (start, end, score) took ~84 bytes of heap,
    // its slot in the list included. Columns take 28 bytes a row off the heap: up to twice that
    // just after they doubled, and up to twice again while the smaller ones they replaced wait
    // for V8 to free them (it frees array buffers after the collection, not in it).
    expect(heap).toBeLessThan(8);
    expect(buffers).toBeLessThan(4 * 28);
  });
});
