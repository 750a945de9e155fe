/**
 * `homewatch train [--out DIR] [--seed N] [--datasets DIR]`: rebuilds a model from the repo's
 * labelled scenarios and the real benign captures (src/model/train), with a progress bar on a
 * terminal, and prints where it stands.
 * @module
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { HomewatchError, type ErrorCode } from '../util/errors.js';
import { usage } from './options.js';

export const TRAIN_HELP = `Usage: homewatch train [--out DIR] [--seed N] [--datasets DIR]

Rebuilds a model from the labelled scenarios of datasets/generator (generated into a
temporary folder and deleted) and the real benign captures, seeded and deterministic:
the same seed gives the same model. Writes DIR/model.json, DIR/weights.bin and the model
card DIR/MODEL.md (data, calibration, evaluation and the ablation of alert policies).

Options:
  --out DIR        where to write the model (default: models/default of this install)
  --seed N         training seed, a non-negative integer (default 1)
  --datasets DIR   the real captures (default ../shared/datasets beside the install, when
                   present); 'none' trains on generated homes only
  -h, --help       show this help

HOMEWATCH_BACKEND=tensorflow|wasm|cpu forces a TensorFlow.js backend (default: the best
that loads: tfjs-node, then wasm, then cpu).
`;

/** The install's root: the folder holding package.json above this file. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    dir = dirname(dir);
  }
  return process.cwd();
}

type TrainModule = typeof import('../model/train/index.js');

/**
 * The training module, loaded only now. The specifier is not a literal so that the bundler
 * leaves it alone: dist/cli/main.js loads dist/model/train/index.js (its own bundle, with the
 * scenario generator), the sources load src/model/train/index.ts.
 */
async function loadTraining(): Promise<TrainModule> {
  const spec = '../model/train/index.js';
  return (await import(spec)) as TrainModule;
}

/** The training bundle has its own copy of HomewatchError: keep its code and message. */
async function rethrow<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (err) {
    const e = err as { name?: string; code?: ErrorCode; message?: string };
    if (e?.name === 'HomewatchError' && e.code !== undefined && !(err instanceof HomewatchError))
      throw new HomewatchError(e.code, e.message ?? 'training failed');
    throw err;
  }
}

export async function trainCommand(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        out: { type: 'string' },
        seed: { type: 'string' },
        datasets: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
  } catch (err) {
    throw usage(`train: ${(err as Error).message.split('\n')[0]}`);
  }
  const v = parsed.values;
  if (v.help) {
    process.stdout.write(TRAIN_HELP);
    return 0;
  }
  const seed = v.seed === undefined ? 1 : Number(v.seed);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
    throw usage(`--seed: expected an integer from 0 to 4294967295, got '${v.seed}'`);
  const root = packageRoot();
  const out = resolve(v.out ?? join(root, 'models', 'default'));
  let datasets: string | null = resolve(root, '..', 'shared', 'datasets');
  if (v.datasets === 'none') datasets = null;
  else if (v.datasets !== undefined) {
    datasets = resolve(v.datasets);
    if (!existsSync(datasets)) throw usage(`--datasets ${v.datasets}: no such folder`);
  } else if (!existsSync(datasets)) datasets = null;
  const command = [
    'homewatch train',
    v.out ? `--out ${v.out}` : '',
    `--seed ${seed}`,
    v.datasets ? `--datasets ${v.datasets}` : '',
  ]
    .filter((s) => s !== '')
    .join(' ');

  const lib = await loadTraining();
  const started = Date.now();
  // The backend, said once, before the work (and why the ones before it did not load).
  const tf = await rethrow(() => lib.loadTf(lib.requestedBackend()));
  process.stderr.write(
    `homewatch: train: ${tf.line}${tf.fallback !== '' ? ` (not used: ${tf.fallback})` : ''}\n`,
  );
  const tty = process.stderr.isTTY === true;
  let lastStage = '';
  let lastDraw = 0;
  const draw = (p: { stage: string; done: number; total: number; note: string }): void => {
    if (!tty) {
      if (p.stage !== lastStage) process.stderr.write(`homewatch: train: ${p.stage}\n`);
      lastStage = p.stage;
      return;
    }
    const now = Date.now();
    if (now - lastDraw < 150 && p.done !== p.total) return;
    lastDraw = now;
    const width = 24;
    const frac = p.total > 0 ? Math.min(1, p.done / p.total) : 0;
    const full = Math.round(frac * width);
    const secs = ((now - started) / 1000).toFixed(0);
    const line = `[${'#'.repeat(full)}${'.'.repeat(width - full)}] ${p.stage} ${p.done}/${p.total} ${p.note} (${secs} s)`;
    process.stderr.write(`\r\x1b[K${line.slice(0, (process.stderr.columns ?? 100) - 1)}`);
  };
  if (datasets === null)
    process.stderr.write(
      `homewatch: train: no real captures (${v.datasets === 'none' ? '--datasets none' : '../shared/datasets not found'}): generated homes only\n`,
    );
  // Scenarios are generated here and deleted as they are collected; an interrupted run
  // removes what is left.
  const work = mkdtempSync(join(tmpdir(), 'homewatch-train-'));
  const clean = (): void => rmSync(work, { recursive: true, force: true });
  const onSignal = (signal: NodeJS.Signals): void => {
    clean();
    if (tty) process.stderr.write('\r\x1b[K');
    process.stderr.write(
      `homewatch: train: stopped (${signal}); ${out} unchanged unless it was being written\n`,
    );
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.once('SIGHUP', onSignal);
  let result;
  try {
    result = await rethrow(() =>
      lib.train({ out, seed, datasets, command, onProgress: draw, workDir: work }),
    );
  } finally {
    if (tty) process.stderr.write('\r\x1b[K');
    clean();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
  }
  const secs = (Date.now() - started) / 1000;
  const c = result.card;
  const best = c.policies.find((p) => p.policy === c.best);
  process.stdout.write(
    [
      `model written to ${out} (model.json, weights.bin, MODEL.md) in ${secs.toFixed(0)} s`,
      `windows: ${c.splits.map((s) => `${s.split} ${s.windows.toLocaleString('en-US')}`).join(', ')}`,
      `shipped policy: ${c.best} (${best?.overall.detected ?? 0}/${best?.overall.events ?? 0} held-out events, ${best?.falsePerDeviceWeek.toFixed(2) ?? '-'} false alerts per device-week)`,
      '',
    ].join('\n'),
  );
  return 0;
}
