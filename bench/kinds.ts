/**
 * How well Homewatch tells what a device is, on real devices (README, "Device kinds"): replays
 * the captures of tests/golden/kind-truth.ts and prints, per capture set, how many devices got
 * the right kind, stayed `unknown`, or got a wrong one (and how many of those with confidence
 * ≥ 0.8), then the devices one by one. Not a test; the golden test checks the same cases.
 *
 *   node --import tsx bench/kinds.ts [--per-capture] [--datasets DIR]
 *
 * `--per-capture` also scores each IoT Sentinel setup capture on its own (550 short captures:
 * what a user sees after one setup, not after all of them).
 */
import { basename, resolve } from 'node:path';
import {
  CONFIDENT,
  type KindCase,
  kindCases,
  replayRegistry,
  resultOf,
  unlabelledFiles,
  type Verdict,
  verdictOf,
} from '../tests/golden/kind-truth.js';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const datasets = resolve(
  option('--datasets', resolve(import.meta.dirname, '../../shared/datasets')),
);

interface Tally {
  right: number;
  unknown: number;
  wrong: number;
  confidentlyWrong: number;
}

const empty = (): Tally => ({ right: 0, unknown: 0, wrong: 0, confidentlyWrong: 0 });

function count(t: Tally, v: Verdict, confidence: number): void {
  t[v]++;
  if (v === 'wrong' && confidence >= CONFIDENT) t.confidentlyWrong++;
}

function pct(n: number, of: number): string {
  return of === 0 ? '-' : `${((100 * n) / of).toFixed(0)} %`;
}

function table(rows: [string, Tally][]): string {
  const head = ['set', 'devices', 'right', 'unknown', 'wrong', 'confidently wrong', 'accuracy'];
  const body = rows.map(([set, t]) => {
    const n = t.right + t.unknown + t.wrong;
    return [set, n, t.right, t.unknown, t.wrong, t.confidentlyWrong, pct(t.right, n)].map(String);
  });
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cells: string[]): string =>
    `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

async function main(): Promise<void> {
  const cases: KindCase[] = kindCases(datasets);
  const bySet = new Map<string, Tally>();
  const total = empty();
  const lines: string[] = [];
  for (const c of cases) {
    const r = resultOf(await replayRegistry(c.files), c.mac);
    const v = verdictOf(c.truth, r);
    const t = bySet.get(c.set) ?? empty();
    bySet.set(c.set, t);
    count(t, v, r.confidence);
    count(total, v, r.confidence);
    const said = r.kind === 'unknown' ? 'unknown' : `${r.kind} ${r.confidence.toFixed(2)}`;
    lines.push(
      `${v.padEnd(7)} ${c.set.padEnd(13)} ${c.device.padEnd(24)} truth ${c.truth.padEnd(9)} ` +
        `said ${said.padEnd(15)} ${r.evidence.join('; ')}${r.found ? '' : ' (device not found)'}`,
    );
  }
  console.log(table([...bySet, ['all', total]]));
  console.log('');
  console.log(lines.join('\n'));

  if (process.argv.includes('--per-capture')) {
    const t = empty();
    for (const c of cases.filter((x) => x.set === 'iot-sentinel')) {
      for (const f of c.files) {
        const r = resultOf(await replayRegistry([f]), c.mac);
        count(t, verdictOf(c.truth, r), r.confidence);
      }
    }
    console.log('');
    console.log(table([['iot-sentinel, each capture alone', t]]));
  }

  console.log('');
  console.log('Devices the data sets do not identify (not scored):');
  for (const f of unlabelledFiles(datasets)) {
    const reg = await replayRegistry([f]);
    const given = reg.devices().filter((d) => d.kind !== 'unknown');
    const what = given.map((d) => `${d.macStr} ${d.kind} ${d.kindConfidence.toFixed(2)}`);
    console.log(
      `  ${basename(f)}: ${reg.size} devices, ${given.length} given a kind${what.length ? `: ${what.join(', ')}` : ''}`,
    );
  }
}

await main();
