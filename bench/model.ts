/**
 * Model benchmark (issue "The model", speed): how fast windows are scored on each engine, what
 * the model costs a replay, and what it costs at start-up.
 *
 *   node --import tsx bench/model.ts [--model DIR] [--windows N] [--runs N] [--no-replay]
 *
 * 1. Windows/s through the network: the plain forward pass one window a call (what replay
 *    does), and batched on every TensorFlow.js backend that loads (batches of 4,096).
 * 2. Windows/s through the whole scorer (encoding against a learned baseline, forward pass,
 *    calibration, behaviours).
 * 3. The bench's home capture (bench/out/home-2m.pcap, made by bench/replay.ts or here)
 *    replayed with the model, without it, and copied by tcpdump; best of --runs.
 * 4. Start-up: a replay of a small real capture with and without the model, best of --runs.
 * @module
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { learningPolicy } from '../src/baseline/baselines.js';
import { DeviceBaseline } from '../src/baseline/device-baseline.js';
import { parseIpv4 } from '../src/decode/addr.js';
import { Device } from '../src/devices/device.js';
import { emptyEvidence } from '../src/features/evidence.js';
import { FEATURE_NAMES } from '../src/features/schema.js';
import type { ClosedWindow } from '../src/features/windows.js';
import { loadTf, TF_BACKENDS } from '../src/model/backend.js';
import { defaultModelDir, loadModel } from '../src/model/load.js';
import { Rng } from '../src/model/train/fit.js';
import { DEFAULTS, generate } from '../datasets/generator/generate.js';
import { machine, run, warmCache, which } from './measure.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(REPO, 'dist/cli/main.js');
const HOME = join(REPO, 'bench/out/home-2m.pcap');
const SMALL = join(REPO, 'datasets/nku-home/xiaodu_plug.pcap.gz');
/** Goal: at least this many windows/s batched on wasm. */
const GOAL_WASM = 50_000;

const { values: opts } = parseArgs({
  options: {
    model: { type: 'string' },
    windows: { type: 'string' },
    runs: { type: 'string' },
    'no-replay': { type: 'boolean' },
  },
});
const dir = opts.model ?? defaultModelDir();
if (dir === null) {
  console.error('no model: train one (homewatch train) or name one with --model DIR');
  process.exit(2);
}
const N = Number(opts.windows ?? 200_000);
const RUNS = Number(opts.runs ?? 3);

function rate(n: number, seconds: number): string {
  return `${Math.round(n / seconds).toLocaleString('en-US')} windows/s`;
}

async function time(f: () => void | Promise<void>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await f();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

console.log(machine());
const js = await loadModel(dir, { windowS: 60, engine: 'js' });
console.log(`model ${dir}: ${js.meta.description}, ${FEATURE_NAMES.length} features\n`);
const A = js.scorer.encoder.aeInputs;
const H = js.scorer.encoder.headInputs;
/** Reconstructed inputs: features, then context inputs. */
const F = js.scorer.encoder.outputs;
const B = js.meta.behaviours.length;
const rng = new Rng(1);
const x = Float32Array.from({ length: N * A }, () => (rng.next() - 0.5) * 2);
const xh = Float32Array.from({ length: N * H }, () => (rng.next() - 0.5) * 2);
const recon = new Float32Array(N * F);
const probs = new Float32Array(N * B);

// 1. The network.
console.log('1. network, windows/s');
{
  const e = js.scorer.engine;
  const one = new Float32Array(F);
  const p = new Float32Array(B);
  for (let i = 0; i < 2000; i++)
    e.run(x.subarray(i * A, (i + 1) * A), xh.subarray(i * H, (i + 1) * H), 1, one, p);
  const s = await time(() => {
    for (let i = 0; i < N; i++)
      e.run(x.subarray(i * A, (i + 1) * A), xh.subarray(i * H, (i + 1) * H), 1, one, p);
  });
  console.log(`   js, one window a call (replay):   ${rate(N, s)}`);
}
for (const name of TF_BACKENDS) {
  try {
    await loadTf(name);
  } catch (err) {
    console.log(`   ${name}: ${(err as Error).message}`);
    continue;
  }
  const m = await loadModel(dir, { windowS: 60, engine: name });
  m.scorer.engine.run(x.subarray(0, 4096 * A), xh.subarray(0, 4096 * H), 4096, recon, probs);
  const s = await time(() => m.scorer.engine.run(x, xh, N, recon, probs));
  const goal =
    name === 'wasm'
      ? ` (goal ≥ ${GOAL_WASM.toLocaleString('en-US')}: ${N / s >= GOAL_WASM ? 'met' : 'missed'})`
      : '';
  console.log(
    `   ${name}, batches of 4,096:${' '.repeat(Math.max(1, 13 - name.length))}${rate(N, s)}${goal}`,
  );
}

// 2. The whole scorer on windows against a learned baseline.
{
  const d = new Device({ id: 0, mac: 0x020000000001, vendor: 'bench', firstSeen: 0, maxIps: 4 });
  d.addIp4(parseIpv4('192.168.1.2'));
  const b = new DeviceBaseline(d.macStr, 0, FEATURE_NAMES);
  const policy = learningPolicy(3600, 60);
  const windows: ClosedWindow[] = [];
  for (let i = 0; i < 1000; i++) {
    const features: Record<string, number> = {};
    for (const n of FEATURE_NAMES) features[n] = Math.floor(10 ** (rng.next() * 4));
    const w: ClosedWindow = {
      device: d,
      record: {
        type: 'window',
        mac: d.macStr,
        start: i * 60,
        end: i * 60 + 60,
        features,
        score: 0,
        behaviours: {},
      },
      evidence: emptyEvidence(),
    };
    windows.push(w);
    if (i < 120) b.observe(w, true, policy);
  }
  const home = { firstTs: 0, learnS: 3600, gatewayIps: [], kindOf: () => 'unknown' };
  const n = 100_000;
  const s = await time(() => {
    for (let i = 0; i < n; i++) {
      const w = windows[i % windows.length];
      js.scorer.score({ w, baseline: b, judged: true, home, kind: 'plug' }, []);
    }
  });
  console.log(
    `\n2. whole scorer (encode against the baseline, forward pass, calibration): ${rate(n, s)}`,
  );
}

if (opts['no-replay'] === true) process.exit(0);
if (!existsSync(CLI)) {
  console.log(`\n(skipping replays: ${CLI} missing, run npm run build)`);
  process.exit(0);
}

// 3. Replay of the bench's home capture.
if (!existsSync(HOME)) {
  mkdirSync(dirname(HOME), { recursive: true });
  console.log(`\ngenerating ${HOME} (2 M packets, 20 devices, seed 1)…`);
  generate({ ...DEFAULTS, out: HOME });
}
warmCache(HOME);
const best = async (cmd: string, args: string[]): Promise<number> => {
  let b = Infinity;
  for (let i = 0; i < RUNS; i++) {
    const r = await run(cmd, args);
    if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.code}: ${r.stderr}`);
    b = Math.min(b, r.seconds);
  }
  return b;
};
console.log(`\n3. replay of ${HOME}, best of ${RUNS}`);
const replay = (model: string): Promise<number> =>
  best(process.execPath, [CLI, 'replay', HOME, '--out', '/dev/null', '--model', model]);
const off = await replay('none');
const on = await replay(dir);
console.log(`   homewatch, detectors, no model:   ${off.toFixed(2)} s`);
console.log(
  `   homewatch, detectors + model:     ${on.toFixed(2)} s (${((on / off - 1) * 100).toFixed(0)} % more)`,
);
if (which('tcpdump') !== null) {
  const tcp = await best('tcpdump', ['-r', HOME, '-w', '/dev/null']);
  console.log(
    `   tcpdump -r -w /dev/null:          ${tcp.toFixed(2)} s (homewatch with the model: ${(on / tcp).toFixed(2)}× tcpdump; goal < 1)`,
  );
}

// 4. Start-up.
console.log(`\n4. start-up: replay of ${SMALL}, best of ${RUNS * 2}`);
const r2 = RUNS * 2;
let a = Infinity;
let m = Infinity;
for (let i = 0; i < r2; i++) {
  a = Math.min(
    a,
    (await run(process.execPath, [CLI, 'replay', SMALL, '--out', '/dev/null', '--model', 'none']))
      .seconds,
  );
  m = Math.min(
    m,
    (await run(process.execPath, [CLI, 'replay', SMALL, '--out', '/dev/null', '--model', dir]))
      .seconds,
  );
}
console.log(
  `   without a model: ${(a * 1000).toFixed(0)} ms; with it: ${(m * 1000).toFixed(0)} ms`,
);
