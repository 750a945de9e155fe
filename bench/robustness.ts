/**
 * Robustness sweep: each behaviour injected with parameters outside the ranges the
 * generator's injectors draw (datasets/generator/inject/*.ts), but within what real malware
 * does: slow scans, scans on other ports, a LAN sweep alone, slow brute force, slow or
 * jittery beacons on other ports, small leaks, slow DGA and tunnels, miners on odd ports.
 * One home per variant and seed (one event in it, so every other alert is a false one),
 * generated into a temp folder and judged by `homewatch evaluate` (`npm run build` first).
 *
 *   node --import tsx bench/robustness.ts [--seeds s1,s2] [--only NAME,...] [--jobs N]
 *     [--json FILE]
 * @module
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULTS, generate } from '../datasets/generator/generate.js';
import { seedFromString } from '../datasets/generator/prng.js';
import type { InjectRequest } from '../datasets/generator/mix.js';
import type { Evaluation } from '../src/evaluate/score.js';
import { SWEEP, type SweepPoint } from './robustness-points.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(REPO, 'dist/cli/main.js');

interface Row {
  name: string;
  seed: string;
  what: string;
  detected: boolean;
  by: string | null;
  delayS: number | null;
  falseAlerts: number;
  falseBehaviours: string[];
}

function cli(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: REPO });
    let stderr = '';
    child.stdout.resume();
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('close', (code) => done({ code, stderr }));
  });
}

async function runPoint(dir: string, pt: SweepPoint, seed: string): Promise<Row> {
  const base = join(dir, `${pt.name}-${seed}`);
  const req: InjectRequest = {
    behaviour: pt.behaviour,
    variant: pt.variant,
    kind: pt.kind ?? null,
    tune: pt.tune,
  };
  const g = generate({
    ...DEFAULTS,
    devices: 16,
    packets: 1e9,
    out: `${base}.pcap`,
    labels: `${base}.labels.json`,
    hours: pt.hours,
    seed: seedFromString(`robust-${seed}-${pt.name}`),
    inject: [req],
  });
  const detail = JSON.stringify(g.injected[0]?.detail ?? {});
  const r = await cli([
    'evaluate',
    `${base}.pcap`,
    '--labels',
    `${base}.labels.json`,
    '--json',
    `${base}.eval.json`,
  ]);
  if (r.code !== 0) throw new Error(`evaluate ${pt.name} ${seed}: ${r.stderr.trim()}`);
  const ev = JSON.parse(readFileSync(`${base}.eval.json`, 'utf8')) as Evaluation;
  rmSync(`${base}.pcap`);
  const e = ev.events.find((x) => x.behaviours.includes(pt.behaviour));
  if (e === undefined) throw new Error(`${pt.name}: no ${pt.behaviour} event in the labels`);
  return {
    name: pt.name,
    seed,
    what: detail,
    detected: e.detected,
    by: e.by,
    delayS: e.delayS,
    falseAlerts: ev.falseAlerts.length,
    falseBehaviours: ev.falseAlerts.map((f) => f.behaviour),
  };
}

function delay(s: number | null): string {
  if (s === null) return '–';
  return s < 120 ? `${Math.round(s)} s` : `${(s / 60).toFixed(1)} min`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seeds: { type: 'string', default: 'a' },
      only: { type: 'string' },
      jobs: { type: 'string', default: '2' },
      json: { type: 'string' },
    },
  });
  const seeds = values.seeds.split(',');
  const only = values.only?.split(',');
  const points = SWEEP.filter((p) => only === undefined || only.includes(p.name));
  if (points.length === 0) throw new Error(`--only: no sweep point named ${values.only ?? ''}`);
  const jobs = Math.max(1, Number(values.jobs));
  const dir = mkdtempSync(join(tmpdir(), 'hw-robust-'));
  const todo = points.flatMap((pt) => seeds.map((seed) => ({ pt, seed })));
  const rows: Row[] = new Array<Row>(todo.length);
  try {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < todo.length) {
        const i = next++;
        rows[i] = await runPoint(dir, todo[i].pt, todo[i].seed);
      }
    };
    await Promise.all(Array.from({ length: jobs }, worker));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log('| variant | seed | what | named | by | delay | false alerts |');
  console.log('| --- | --- | --- | --- | --- | ---: | ---: |');
  for (const [i, r] of rows.entries()) {
    const pt = todo[i].pt;
    const fa = r.falseAlerts === 0 ? '0' : `${r.falseAlerts} (${r.falseBehaviours.join(', ')})`;
    console.log(
      `| ${r.name} | ${r.seed} | ${pt.what} | ${r.detected ? 'yes' : '**no**'} | ${r.by ?? '–'} | ${delay(r.delayS)} | ${fa} |`,
    );
  }
  const named = rows.filter((r) => r.detected).length;
  const falseN = rows.reduce((n, r) => n + r.falseAlerts, 0);
  console.log(`\n${named} / ${rows.length} named, ${falseN} false alerts`);
  if (values.json !== undefined) writeFileSync(values.json, JSON.stringify(rows, null, 2));
}

main().catch((e: unknown) => {
  console.error(`robustness: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
