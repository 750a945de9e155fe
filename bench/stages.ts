/**
 * Stage-by-stage throughput of the replay path on one capture: each stage adds one step to the
 * per-packet handler (read → decode → devices → flows → the whole pipeline), so the difference
 * between two rows is what that step costs. Beside them, `tcpdump -r FILE -w /dev/null` on the
 * same file in the same run, when tcpdump is installed. Prints the best of N runs; not a test.
 *
 *   node --import tsx bench/stages.ts FILE [--runs N] [--stages read,decode,devices,flows,all] [--each]
 *     [--chunk-kib N]
 *
 * "main cpu" is the CPU time of the JavaScript thread alone (Linux: /proc/self/task/PID/stat);
 * "cpu" adds libuv's thread pool, which does the file reads.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { FrameHandler } from '../src/capture/types.js';
import { openCaptureFiles } from '../src/capture/file/index.js';
import { decodeFrame } from '../src/decode/index.js';
import { DecodedPacket, DecodeStatus } from '../src/decode/packet.js';
import { LanMatcher } from '../src/devices/lan.js';
import { DeviceRegistry } from '../src/devices/registry.js';
import { FlowTable } from '../src/flows/table.js';
import { Pipeline } from '../src/pipeline/pipeline.js';
import type { RecordSink } from '../src/sinks/records.js';

const STAGES = ['read', 'decode', 'devices', 'flows', 'all'] as const;
type Stage = (typeof STAGES)[number];

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

/** CPU seconds of the main (JavaScript) thread, or NaN where /proc is missing. */
function mainThreadCpuS(): number {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of stat (utime, stime), counted after the ")" that ends field 2.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

const nullSink: RecordSink = {
  backlogged: false,
  write() {},
  async flush() {},
  async close() {},
};

function handlerFor(stage: Stage): FrameHandler {
  const p = new DecodedPacket();
  const reg = new DeviceRegistry({ lan: new LanMatcher([]) });
  const flows = new FlowTable();
  switch (stage) {
    case 'read':
      return () => {};
    case 'decode':
      return (buf, off, capLen, wireLen, ts, lt) => {
        decodeFrame(buf, off, capLen, wireLen, lt, ts, p);
      };
    case 'devices':
      return (buf, off, capLen, wireLen, ts, lt) => {
        decodeFrame(buf, off, capLen, wireLen, lt, ts, p);
        reg.observe(p);
      };
    case 'flows':
      return (buf, off, capLen, wireLen, ts, lt) => {
        if (decodeFrame(buf, off, capLen, wireLen, lt, ts, p) === DecodeStatus.Ok) {
          reg.observe(p);
          flows.update(p, ts);
        } else reg.observe(p);
        flows.advance(ts);
      };
    case 'all': {
      const pipe = new Pipeline({}, nullSink);
      return pipe.onFrame;
    }
  }
}

interface Run {
  wallS: number;
  mainCpuS: number;
  cpuS: number;
  packets: number;
}

async function runStage(file: string, stage: Stage): Promise<Run> {
  const source = await openCaptureFiles([file], { chunkBytes });
  const handler = handlerFor(stage);
  const c0 = process.cpuUsage();
  const m0 = mainThreadCpuS();
  const t0 = process.hrtime.bigint();
  const stats = await source.run(handler);
  const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
  const c = process.cpuUsage(c0);
  return {
    wallS,
    mainCpuS: mainThreadCpuS() - m0,
    cpuS: (c.user + c.system) / 1e6,
    packets: stats.packets,
  };
}

function tcpdump(file: string): Run | null {
  try {
    execFileSync('tcpdump', ['--version'], { stdio: 'ignore' });
  } catch {
    return null;
  }
  const t0 = process.hrtime.bigint();
  const r = spawnSync('sh', ['-c', 'tcpdump -r "$1" -w /dev/null 2>/dev/null; times', 'sh', file], {
    encoding: 'utf8',
  });
  const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
  // `times` prints the shell's then its children's user and system time, e.g. "0m0.301s 0m0.352s".
  const lines = r.stdout.trim().split('\n');
  const secs = (lines[lines.length - 1] ?? '').split(/\s+/).map((t) => {
    const m = /^(\d+)m([\d.]+)s$/.exec(t);
    return m === null ? NaN : Number(m[1]) * 60 + Number(m[2]);
  });
  const cpuS = secs[0] + secs[1];
  return { wallS, mainCpuS: cpuS, cpuS, packets: NaN };
}

function best(runs: Run[]): Run {
  return runs.reduce((a, b) => (b.wallS < a.wallS ? b : a));
}

function row(name: string, r: Run, packets: number): string {
  const rate = (s: number): string => (packets / s / 1e6).toFixed(2).padStart(6);
  return (
    `${name.padEnd(8)} wall ${r.wallS.toFixed(3)} s ${rate(r.wallS)} M pkt/s` +
    `   main cpu ${r.mainCpuS.toFixed(2)} s ${rate(r.mainCpuS)} M pkt/s` +
    `   cpu ${r.cpuS.toFixed(2)} s`
  );
}

const file = process.argv[2];
if (file === undefined || file.startsWith('--')) {
  console.error('usage: node --import tsx bench/stages.ts FILE [--runs N] [--stages a,b,...]');
  process.exit(2);
}
const runs = Math.max(1, Number(option('--runs', '3')));
const chunkKiB = option('--chunk-kib', '');
const chunkBytes = chunkKiB === '' ? undefined : Number(chunkKiB) * 1024;
const wanted = option('--stages', STAGES.join(',')).split(',') as Stage[];
const results = new Map<string, Run[]>();
for (let i = 0; i < runs; i++) {
  // Interleaved, so that a noisy neighbour hits every stage alike.
  const t = tcpdump(file);
  if (t !== null) results.set('tcpdump', [...(results.get('tcpdump') ?? []), t]);
  for (const s of wanted) {
    const r = await runStage(file, s);
    results.set(s, [...(results.get(s) ?? []), r]);
    if (process.argv.includes('--each')) console.log(row(`${s}#${i + 1}`, r, r.packets));
  }
}
const packets = best(results.get(wanted[0]) ?? []).packets;
console.log(`${file}: ${packets} packets, best of ${runs} (wall)`);
for (const [name, rs] of results) console.log(row(name, best(rs), packets));
