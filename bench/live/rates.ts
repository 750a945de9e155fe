/**
 * Live-capture bench: the highest tcpreplay rate at which `homewatch capture` loses nothing, for
 * both libpcap bindings at the same rates, over N packets of generated home-like traffic; then
 * the agent's memory over a long run.
 *
 *   node --import tsx bench/live/rates.ts [--packets 500000] [--rates 50000,100000,...,top]
 *     [--bindings pcap,cap] [--memory-minutes 1] [--memory-pps 20000] [--file FILE.pcap]
 *
 * A rate `top` is tcpreplay --topspeed. `--rates none` skips the sweep, `--memory-minutes 0` the
 * memory run. The rate that counts is the one achieved: packets the agent saw divided by the span
 * of their timestamps (see bench/live/README.md).
 *
 * Needs root, iproute2 (ip netns) and tcpreplay; runs the built CLI (npm run build). Traffic stays
 * in two private network namespaces joined by a veth pair. `--memory-minutes 10` is the issue's
 * 10-minute run; the default is a quick look.
 * @module
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, chmodSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  createLab,
  labUnavailable,
  replayInto,
  waitForListen,
  type Lab,
} from '../../tests/capture/live/netns.js';

const REPO = resolve(import.meta.dirname, '../..');
const CLI = resolve(REPO, 'dist/cli/main.js');

const { values } = parseArgs({
  options: {
    packets: { type: 'string', default: '500000' },
    rates: { type: 'string', default: '50000,100000,125000,150000,175000,200000,top' },
    bindings: { type: 'string', default: 'pcap,cap' },
    'memory-minutes': { type: 'string', default: '1' },
    'memory-pps': { type: 'string', default: '20000' },
    file: { type: 'string' },
  },
});

interface Summary {
  packets: number;
  dropped: number;
  firstTs: number;
  lastTs: number;
}

function load(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join('/');
}

interface Agent {
  pid: number;
  done: Promise<{ code: number | null; stderr: string }>;
  stop(): void;
}

let port = 31000 + Math.floor(Math.random() * 1000);

async function startAgent(lab: Lab, binding: string, out: string): Promise<Agent> {
  const p = port++;
  const [cmd, ...args] = lab.inCapture([
    process.execPath,
    CLI,
    'capture',
    '--interface',
    lab.ifCapture,
    '--binding',
    binding,
    '--health',
    String(p),
    '--out',
    out,
  ]);
  // One core for the agent (the goal is per core), the other for tcpreplay.
  const child = spawn('taskset', ['-c', '0', cmd, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const done = new Promise<{ code: number | null; stderr: string }>((res) =>
    child.on('close', (code) => res({ code, stderr })),
  );
  await waitForListen(lab, p);
  return { pid: child.pid ?? -1, done, stop: () => child.kill('SIGTERM') };
}

function lastOf(out: string, type: string): Record<string, number> {
  const lines = readFileSync(out, 'utf8').trim().split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const r = JSON.parse(lines[i]) as Record<string, number> & { type: string };
    if (r.type === type) return r;
  }
  throw new Error(`no ${type} record in ${out}`);
}

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

async function main(): Promise<void> {
  const why = labUnavailable();
  if (why) throw new Error(`bench/live: ${why}`);
  if (!existsSync(CLI)) throw new Error(`${CLI} missing: run npm run build`);
  const packets = Number(values.packets);
  const dir = mkdtempSync(join(tmpdir(), 'hw-bench-live-'));
  chmodSync(dir, 0o755); // the agent drops root to nobody
  const lab = createLab();
  try {
    let file = values.file;
    if (!file) {
      file = join(dir, 'home.pcap');
      const g = spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          'datasets/generator/generate.ts',
          '--out',
          file,
          '--packets',
          String(packets),
        ],
        { cwd: REPO, encoding: 'utf8' },
      );
      if (g.status !== 0) throw new Error(`generator failed: ${g.stderr}`);
    }
    console.log(`file: ${file} (${packets} packets)`);
    console.log(
      'binding  requested_pps  tcpreplay_pps  seen_pps  sent  captured  kernel_dropped  lost  agent_rss_MiB  load_1/5/15',
    );
    const best: Record<string, number> = {};
    const rates = values.rates === 'none' ? [] : values.rates.split(',');
    for (const binding of values.bindings.split(',')) {
      best[binding] = 0;
      let clean = true;
      for (const rate of rates) {
        const out = join(dir, `${binding}-${rate}.jsonl`);
        const agent = await startAgent(lab, binding, out);
        const speed = rate === 'top' ? ['--topspeed'] : [`--pps=${rate}`];
        const loadBefore = load();
        const rep = await replayInto(
          lab,
          file,
          0,
          [...speed, '--preload-pcap'],
          ['taskset', '-c', '1'],
        );
        await new Promise((r) => setTimeout(r, 1000)); // the ring drains
        const rss = rssMiB(agent.pid);
        agent.stop();
        const r = await agent.done;
        if (r.code !== 0) throw new Error(`capture exited ${r.code}: ${r.stderr}`);
        const s = lastOf(out, 'summary') as unknown as Summary;
        const sender = /([\d.]+) pps/.exec(rep.output)?.[1] ?? '?';
        // Achieved rate as the agent saw it: its packets over the span of their timestamps
        // (libpcap's arrival stamps for pcap; the wall clock at delivery for cap).
        const seen = s.lastTs > s.firstTs ? s.packets / (s.lastTs - s.firstTs) : 0;
        const lost = rep.sent - s.packets;
        console.log(
          [
            binding,
            rate,
            sender,
            seen.toFixed(0),
            rep.sent,
            s.packets,
            s.dropped,
            lost,
            rss.toFixed(0),
            loadBefore,
          ].join('  '),
        );
        if (lost === 0 && s.dropped === 0 && clean) best[binding] = Math.max(best[binding], seen);
        else clean = false;
        rmSync(out, { force: true });
      }
    }
    for (const [b, rate] of Object.entries(best))
      console.log(
        `highest achieved rate without loss, ${b}: ${rate > 0 ? `${Math.round(rate)} packets/s` : 'none'}`,
      );

    const minutes = Number(values['memory-minutes']);
    if (minutes > 0) {
      const pps = Number(values['memory-pps']);
      const binding = values.bindings.split(',')[0];
      const out = join(dir, 'memory.jsonl');
      console.log(
        `memory: ${binding}, ${minutes} min at ${pps} packets/s (looping the file), load ${load()}`,
      );
      const agent = await startAgent(lab, binding, out);
      const loops = Math.ceil((minutes * 60 * pps) / packets) + 1;
      const replay = replayInto(
        lab,
        file,
        pps,
        [`--loop=${loops}`, `--duration=${minutes * 60}`, '--preload-pcap'],
        ['taskset', '-c', '1'],
      );
      const t0 = Date.now();
      const samples: number[] = [];
      while (Date.now() - t0 < minutes * 60_000) {
        await new Promise((r) => setTimeout(r, Math.min(30_000, minutes * 6000)));
        samples.push(rssMiB(agent.pid));
        console.log(
          `  t=${((Date.now() - t0) / 1000).toFixed(0)} s  rss=${samples.at(-1)?.toFixed(1)} MiB  load ${load()}`,
        );
      }
      const rep = await replay;
      agent.stop();
      await agent.done;
      const s = lastOf(out, 'summary');
      console.log(
        `memory: sent ${rep.sent}, captured ${s.packets}, dropped ${s.dropped}; rss first ${samples[0]?.toFixed(1)} MiB, ` +
          `max ${Math.max(...samples).toFixed(1)} MiB, last ${samples.at(-1)?.toFixed(1)} MiB`,
      );
    }
  } finally {
    lab.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
