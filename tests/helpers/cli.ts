/**
 * Runs the built CLI (dist/cli/main.js, made by `npm run build`, which `npm test` runs first) as a
 * user would, and reads what it wrote.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Evaluation } from '../../src/evaluate/score.js';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SHARED = resolve(REPO, '../shared/datasets');
export const CLI = resolve(REPO, 'dist/cli/main.js');

if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run 'npm run build' (npm test does)`);

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], opts: { timeoutMs?: number; cwd?: string } = {}): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 60_000,
    cwd: opts.cwd ?? REPO,
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function runCliAsync(args: string[], opts: { timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: REPO });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

/** Parses JSON lines. */
export function records(jsonl: string): Record<string, unknown>[] {
  return jsonl
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** tshark/capinfos are Debian packages the tests rely on (.ci/run installs them). */
export function tool(name: string, args: string[]): string {
  const r = spawnSync(name, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.error) throw new Error(`${name} is not installed (Debian package: see .ci/run)`);
  if (r.status !== 0) throw new Error(`${name} ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/**
 * `homewatch evaluate` of a labelled capture (its `--json` report, written in `dir`) and the
 * records of its replay: what the scenario tests read.
 */
export function evaluateAndReplay(
  pcap: string,
  labels: string,
  dir: string,
): { evaluation: Evaluation; records: Record<string, unknown>[] } {
  const json = join(dir, 'eval.json');
  const r = runCli(['evaluate', pcap, '--labels', labels, '--json', json], { timeoutMs: 120_000 });
  if (r.code !== 0) throw new Error(`evaluate ${pcap}: ${r.stderr}`);
  const evaluation = JSON.parse(readFileSync(json, 'utf8')) as Evaluation;
  const replay = runCli(['replay', pcap, '--out', '-'], { timeoutMs: 120_000 });
  return { evaluation, records: records(replay.stdout) };
}
