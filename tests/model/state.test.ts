/**
 * The model's memory across a restart: the held context inputs (and the last explaining
 * finding) of every device are saved with the agent's state (`model` part) and restored, so a
 * device does not start with no context after a restart.
 *
 * In process, the shipped model on the demo home: a scorer restored at 14:02 from the JSON of
 * another's snapshot scores every later window as the uninterrupted one (within 1e-6), where a
 * fresh one does not. Through the CLI: `replay --state` writes the part and reads it back; a
 * damaged part is one warning line (the run goes on with a fresh memory), and a state written
 * before the part existed loads without one.
 *
 * (Not compared here: the whole replay against the two halves through the CLI. The halves
 * differ for a reason outside the model — the beacon contact history is not saved — so their
 * windows' features differ.)
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DetectContext, Finding } from '../../src/detect/types.js';
import { defaultModelDir, loadModel } from '../../src/model/load.js';
import type { ModelScorer } from '../../src/model/scorer.js';
import type { ModelVerdict, WindowScorer } from '../../src/model/types.js';
import { REPO, runCli } from '../helpers/cli.js';
import { splitCapture } from '../helpers/split.js';
import { replayFiles } from '../helpers/replay.js';

const DEMO = join(REPO, 'datasets/demo-home/vacuum.pcap.gz');
const VACUUM = 'b0:4a:39:57:c5:d4';
/** 2024-06-01 14:02:00 UTC: just before the vacuum's beacon starts (the CLI's cut). */
const CUT_CLI = '2024-06-01 14:02:00';
/** 2024-06-01 14:17:00 UTC: a quarter-hour into it (the vacuum has something new to hold). */
const CUT = 1_717_251_420;
const dir = mkdtempSync(join(tmpdir(), 'hw-model-state-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function scorer(): Promise<ModelScorer> {
  const d = defaultModelDir();
  if (d === null) throw new Error('models/default is missing: homewatch train rebuilds it');
  return (await loadModel(d, { windowS: 60, engine: 'js' })).scorer;
}

interface Pair {
  mac: string;
  start: number;
  whole: ModelVerdict;
  other: ModelVerdict;
  context: number;
}

/**
 * Scores every window with `whole`; before CUT also with `first`; from CUT on with `second`,
 * which starts from `first`'s snapshot (through JSON, as the state file holds it) when
 * `restore`, fresh otherwise.
 */
class Restarted implements WindowScorer {
  readonly pairs: Pair[] = [];
  #restored = false;

  constructor(
    readonly whole: ModelScorer,
    readonly first: ModelScorer,
    readonly second: ModelScorer,
    readonly restoreAtCut: boolean,
  ) {}

  get description(): string {
    return this.whole.description;
  }

  get anomalyDetector() {
    return this.whole.anomalyDetector;
  }

  score(ctx: DetectContext, findings: readonly Finding[]): ModelVerdict {
    const whole = this.whole.score(ctx, findings);
    const start = ctx.w.record.start;
    if (start < CUT) {
      this.first.score(ctx, findings);
      return whole;
    }
    if (!this.#restored && this.restoreAtCut)
      this.second.restore(JSON.parse(JSON.stringify(this.first.snapshot())) as unknown);
    this.#restored = true;
    const other = this.second.score(ctx, findings);
    let context = 0;
    const a = this.whole.encoder.context;
    const b = this.second.encoder.context;
    for (let i = 0; i < a.length; i++) context = Math.max(context, Math.abs(a[i] - b[i]));
    this.pairs.push({ mac: ctx.w.device.macStr, start, whole, other, context });
    return whole;
  }
}

async function replayDemo(restore: boolean): Promise<Pair[]> {
  const r = new Restarted(await scorer(), await scorer(), await scorer(), restore);
  await replayFiles([DEMO], { scorer: r });
  return r.pairs;
}

function largestDifference(pairs: Pair[]): number {
  let d = 0;
  for (const p of pairs) {
    d = Math.max(d, Math.abs(p.whole.score - p.other.score));
    for (const [b, v] of Object.entries(p.whole.behaviours))
      d = Math.max(d, Math.abs(v - p.other.behaviours[b]));
  }
  return d;
}

describe("the model's memory across a restart", () => {
  it('restored from its snapshot, the model scores the rest as if never stopped', async () => {
    const restored = await replayDemo(true);
    expect(restored.length).toBeGreaterThan(80);
    expect(new Set(restored.map((p) => p.mac)).size).toBeGreaterThan(4);
    expect(Math.max(...restored.map((p) => p.context))).toBeLessThanOrEqual(1e-9);
    expect(largestDifference(restored)).toBeLessThanOrEqual(1e-6);
    // The memory matters: started fresh at the cut, contexts and scores differ.
    const fresh = await replayDemo(false);
    // (Measured: 0.16 octave of context, 0.19 of score or probability.)
    expect(Math.max(...fresh.map((p) => p.context))).toBeGreaterThan(0.1);
    expect(largestDifference(fresh)).toBeGreaterThan(0.05);
  }, 60_000);

  it('replay --state saves it and reads it back; a damaged part is one line', () => {
    const [, part1, part2] = splitCapture(DEMO, CUT_CLI, dir);
    const state = join(dir, 'state');
    const file = join(state, 'state.json');
    expect(runCli(['replay', part1, '--state', state, '--out', '/dev/null']).code).toBe(0);
    const saved = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown> & {
      model: {
        version: number;
        context: { inputs: string[]; devices: { mac: string; values: number[] }[] };
      };
    };
    expect(saved.model.version).toBe(1);
    const vac = saved.model.context.devices.find((d) => d.mac === VACUUM);
    expect(vac?.values).toHaveLength(saved.model.context.inputs.length);
    expect(Math.max(...(vac?.values ?? []))).toBeGreaterThan(0);

    const second = (state: unknown): { code: number | null; lines: string[] } => {
      writeFileSync(file, JSON.stringify(state));
      const r = runCli(['replay', part2, '--state', join(dir, 'state'), '--out', '/dev/null']);
      return { code: r.code, lines: r.stderr.split('\n').filter((l) => l !== '') };
    };
    expect(second(saved)).toEqual({ code: 0, lines: [] });
    // A state written before the model's part existed: it loads, the memory starts empty.
    const { model: _omitted, ...older } = saved;
    expect(second(older)).toEqual({ code: 0, lines: [] });
    for (const model of [
      { ...saved.model, version: 99 },
      { ...saved.model, context: { ...saved.model.context, devices: [{ mac: VACUUM }] } },
      { ...saved.model, context: { ...saved.model.context, inputs: ['other'] } },
    ]) {
      const r = second({ ...saved, model });
      expect(r.code).toBe(0);
      expect(r.lines).toHaveLength(1);
      expect(r.lines[0]).toMatch(
        /^homewatch: warning: state: model.*; the model's memory starts afresh$/,
      );
      // The run went on and saved a good memory again.
      const after = JSON.parse(readFileSync(file, 'utf8')) as typeof saved;
      expect(after.model.version).toBe(1);
      expect(after.model.context.devices.length).toBeGreaterThan(0);
    }
  }, 60_000);
});
