/**
 * Replay benchmark: homewatch's replay against tcpdump, nfpcapd and capinfos on the same
 * synthetic 2 M packet home capture, then the same tools on a capture with ~100k concurrent
 * flows across 1,000 devices, and homewatch's peak memory on that one. Run with `npm run bench` (see README.md).
 *
 *   node --import tsx bench/replay.ts [--runs N] [--only homewatch,tcpdump,...] [--no-memory]
 *     [--no-flows] [--packets N] [--regenerate]
 * @module
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULTS, generate } from '../datasets/generator/generate.js';
import { machine, median, run, toolVersion, warmCache, which } from './measure.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT_DIR = join(REPO, 'bench/out');
const CLI = join(REPO, 'dist/cli/main.js');
const MB = 1024 * 1024;
/** Goals from the issue. */
const GOAL_VS_TCPDUMP = 1;
const GOAL_VS_NFPCAPD = 4;
const GOAL_RSS_MB = 300;

interface Tool {
  name: string;
  /** Why it cannot run here, or null. */
  missing: string | null;
  cmd: string;
  args: (file: string, scratch: string) => string[];
  version: () => string;
}

const TOOLS: Tool[] = [
  {
    name: 'homewatch',
    missing: existsSync(CLI) ? null : `${CLI} not found (run 'npm run build' first)`,
    cmd: process.execPath,
    args: (file) => [CLI, 'replay', file, '--out', '/dev/null'],
    version: () => 'dist/cli/main.js',
  },
  {
    name: 'homewatch --no-detect',
    missing: existsSync(CLI) ? null : `${CLI} not found (run 'npm run build' first)`,
    cmd: process.execPath,
    args: (file) => [CLI, 'replay', file, '--out', '/dev/null', '--no-detect'],
    version: () => 'dist/cli/main.js',
  },
  {
    name: 'tcpdump',
    missing: which('tcpdump') === null ? 'tcpdump not installed' : null,
    cmd: 'tcpdump',
    args: (file) => ['-r', file, '-w', '/dev/null'],
    version: () => toolVersion('tcpdump', ['--version'], /tcpdump version (\S+)/),
  },
  {
    name: 'nfpcapd',
    missing: which('nfpcapd') === null ? 'nfpcapd not installed (apt-get install nfdump)' : null,
    cmd: 'nfpcapd',
    // nfdump 1.7 names the flow directory -w (older releases: -l).
    args: (file, scratch) => ['-r', file, '-w', scratch],
    version: () => toolVersion('nfpcapd', ['-V'], /Version:\s*(\S+)/),
  },
  {
    name: 'capinfos -c',
    missing: which('capinfos') === null ? 'capinfos not installed (tshark package)' : null,
    cmd: 'capinfos',
    args: (file) => ['-c', file],
    version: () => toolVersion('capinfos', ['-v'], /Capinfos \(Wireshark\) (\S+)/),
  },
];

interface Row {
  tool: Tool;
  times: number[];
  peakRssBytes: number;
  error: string | null;
}

function ensureCapture(
  file: string,
  label: string,
  o: { packets: number; devices: number; concurrentFlows: number },
  regenerate: boolean,
): void {
  if (existsSync(file) && !regenerate) {
    console.log(`using ${file} (delete it or pass --regenerate to make it again)`);
    return;
  }
  console.log(`generating ${label} → ${file} ...`);
  const r = generate({ ...DEFAULTS, ...o, out: file });
  console.log(
    `  ${r.packets} packets, ${(r.frameBytes / 1e6).toFixed(0)} MB, ${r.durationS.toFixed(0)} s of ` +
      `traffic, written in ${r.wallSeconds.toFixed(1)} s (${Math.round(r.packets / r.wallSeconds)} packets/s)`,
  );
}

async function measure(tool: Tool, file: string, runs: number): Promise<Row> {
  const row: Row = { tool, times: [], peakRssBytes: 0, error: tool.missing };
  if (tool.missing !== null) return row;
  for (let i = 0; i < runs; i++) {
    const scratch = mkdtempSync(join(tmpdir(), 'hw-bench-'));
    try {
      const r = await run(tool.cmd, tool.args(file, scratch));
      if (r.code !== 0) {
        row.error = `exit ${r.code}: ${r.stderr.trim().split('\n').slice(-2).join(' / ')}`;
        return row;
      }
      row.times.push(r.seconds);
      row.peakRssBytes = Math.max(row.peakRssBytes, r.peakRssBytes);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  return row;
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

function lpad(s: string, n: number): string {
  return s.length >= n ? s : ' '.repeat(n - s.length) + s;
}

function printTable(rows: Row[], packets: number): void {
  console.log(
    `\n${pad('tool', 22)}${lpad('best s', 9)}${lpad('median s', 10)}${lpad('packets/s', 13)}` +
      `${lpad('peak RSS', 10)}  version`,
  );
  for (const r of rows) {
    if (r.times.length === 0) {
      console.log(`${pad(r.tool.name, 22)}  skipped: ${r.error ?? 'no run'}`);
      continue;
    }
    const best = Math.min(...r.times);
    console.log(
      `${pad(r.tool.name, 22)}${lpad(best.toFixed(3), 9)}${lpad(median(r.times).toFixed(3), 10)}` +
        `${lpad(Math.round(packets / best).toLocaleString('en-US'), 13)}` +
        `${lpad(`${Math.round(r.peakRssBytes / MB)} MB`, 10)}  ${r.tool.version()}`,
    );
  }
}

function pps(rows: Row[], name: string, packets: number): number | null {
  const r = rows.find((x) => x.tool.name === name);
  return r === undefined || r.times.length === 0 ? null : packets / Math.min(...r.times);
}

/** homewatch's speed over each peer's, against the issue's goals (null: just the ratio). */
function printRatios(rows: Row[], packets: number, goals: boolean): void {
  const hw = pps(rows, 'homewatch', packets);
  console.log('');
  const bare = pps(rows, 'homewatch --no-detect', packets);
  if (hw !== null && bare !== null)
    console.log(
      `detection costs ${((bare / hw - 1) * 100).toFixed(1)} % (homewatch/--no-detect = ${(hw / bare).toFixed(2)})`,
    );
  for (const [peer, goal] of [
    ['tcpdump', GOAL_VS_TCPDUMP],
    ['nfpcapd', GOAL_VS_NFPCAPD],
  ] as const) {
    const p = pps(rows, peer, packets);
    const what = `homewatch/${peer}`;
    if (hw === null || p === null) {
      console.log(`${what}: n/a (${hw === null ? 'homewatch' : peer} did not run)`);
      continue;
    }
    const ratio = hw / p;
    if (!goals) {
      console.log(`${what} = ${ratio.toFixed(2)}`);
      continue;
    }
    const verdict = goal === 1 ? `goal > 1 (faster than ${peer})` : `goal >= ${goal}`;
    console.log(
      `${what} = ${ratio.toFixed(2)}  (${verdict}: ${ratio >= goal ? 'met' : 'NOT met'})`,
    );
  }
}

/** Times every selected tool on `file`, prints the table and the ratios. */
async function compare(
  file: string,
  packets: number,
  runs: number,
  only: string[] | undefined,
  goals: boolean,
): Promise<void> {
  warmCache(file);
  console.log(`\nreplay of ${file} (${packets.toLocaleString('en-US')} packets), best of ${runs}:`);
  const rows: Row[] = [];
  for (const t of TOOLS) {
    if (only !== undefined && !only.some((o) => t.name === o || t.name.startsWith(`${o} `)))
      continue;
    process.stdout.write(`  ${t.name} ...`);
    const row = await measure(t, file, runs);
    rows.push(row);
    console.log(
      row.times.length > 0 ? ` ${row.times.map((s) => s.toFixed(2)).join(' ')} s` : ` skipped`,
    );
  }
  printTable(rows, packets);
  printRatios(rows, packets, goals);
}

async function memoryBench(file: string): Promise<void> {
  const hw = TOOLS[0];
  console.log(`\npeak memory: homewatch replay of ${file}`);
  if (hw.missing !== null) {
    console.log(`  skipped: ${hw.missing}`);
    return;
  }
  const time = '/usr/bin/time';
  const gnuTime = existsSync(time) && toolVersion(time, ['--version'], /(GNU) Time/i) === 'GNU';
  let peak: number;
  let seconds: number;
  if (gnuTime) {
    // GNU time prints max RSS in KiB on stderr (last line).
    const r = await run(time, ['-f', '%M', hw.cmd, ...hw.args(file, '')]);
    if (r.code !== 0) {
      console.log(`  failed: exit ${r.code}: ${r.stderr.trim().split('\n').slice(-3).join(' / ')}`);
      return;
    }
    const lines = r.stderr.trim().split('\n');
    peak = Number(lines[lines.length - 1]) * 1024;
    seconds = r.seconds;
  } else {
    const r = await run(hw.cmd, hw.args(file, ''), 10);
    if (r.code !== 0) {
      console.log(`  failed: exit ${r.code}: ${r.stderr.trim().split('\n').slice(-3).join(' / ')}`);
      return;
    }
    peak = r.peakRssBytes;
    seconds = r.seconds;
  }
  console.log(
    `  measured with ${gnuTime ? 'GNU time (%M)' : 'VmHWM polled from /proc every 10 ms'}`,
  );
  const mb = Math.round(peak / MB);
  console.log(`  ${seconds.toFixed(2)} s`);
  console.log(
    `peak RSS ${mb} MB (goal < ${GOAL_RSS_MB} MB: ${mb < GOAL_RSS_MB ? 'met' : 'NOT met'})`,
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '3' },
      only: { type: 'string' },
      packets: { type: 'string', default: String(DEFAULTS.packets) },
      'no-memory': { type: 'boolean', default: false },
      'no-flows': { type: 'boolean', default: false },
      regenerate: { type: 'boolean', default: false },
    },
  });
  const runs = Number(values.runs);
  const packets = Number(values.packets);
  if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(packets) || packets < 1) {
    console.error('--runs and --packets take positive integers');
    process.exit(2);
  }
  const only = values.only?.split(',').map((s) => s.trim());
  mkdirSync(OUT_DIR, { recursive: true });
  console.log(`machine: ${machine()}`);

  const suffix = packets === DEFAULTS.packets ? '2m' : String(packets);
  const home = join(OUT_DIR, `home-${suffix}.pcap`);
  ensureCapture(
    home,
    'home capture (20 devices)',
    { packets, devices: 20, concurrentFlows: 0 },
    values.regenerate,
  );
  await compare(home, packets, runs, only, true);

  // The same tools where flows, not packets, dominate: 1,000 devices and ~100k flows open at
  // once (a scan or a crawler looks like this). No goal; nfpcapd's cost grows with flows.
  const flows = join(OUT_DIR, 'flows-100k.pcap');
  const flowPackets = 2_000_000;
  ensureCapture(
    flows,
    '100k concurrent flows, 1000 devices',
    { packets: flowPackets, devices: 1000, concurrentFlows: 100_000 },
    values.regenerate,
  );
  if (!values['no-flows']) await compare(flows, flowPackets, runs, only, false);
  if (!values['no-memory']) {
    warmCache(flows);
    await memoryBench(flows);
  }
}

await main();
