/**
 * Timing and memory measurement of external commands for the benchmarks.
 * @module
 */
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { delimiter, join } from 'node:path';

export interface RunResult {
  seconds: number;
  code: number | null;
  stderr: string;
  /** Peak resident set size in bytes (0 when it could not be measured). */
  peakRssBytes: number;
}

/** Full path of an executable on PATH, or null. */
export function which(cmd: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const p = join(dir, cmd);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return null;
}

/** VmHWM (peak RSS) of a live process from /proc, in bytes; 0 if unreadable. */
function vmHwm(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m === null ? 0 : Number(m[1]) * 1024;
  } catch {
    return 0;
  }
}

/**
 * Run a command to completion, timing it with a monotonic clock. Peak RSS is VmHWM read
 * from /proc every `pollMs` while it runs: the high-water mark only grows, so the last
 * reading before exit is the peak up to that moment (Linux only; 0 elsewhere).
 */
export function run(cmd: string, args: string[], pollMs = 20): Promise<RunResult> {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let peak = 0;
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      if (stderr.length < 64 << 10) stderr += d;
    });
    const poll = (): void => {
      if (child.pid !== undefined) peak = Math.max(peak, vmHwm(child.pid));
    };
    const timer = setInterval(poll, pollMs);
    // The process has exited (but is not reaped yet) when 'exit' fires; read once more.
    child.on('exit', () => poll());
    child.on('close', (code) => {
      clearInterval(timer);
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      resolve({ seconds, code, stderr, peakRssBytes: peak });
    });
  });
}

/** Read a file once so every tool starts with it in the page cache. */
export function warmCache(file: string): void {
  spawnSync('cat', [file], { stdio: ['ignore', 'ignore', 'ignore'] });
}

/** Version line of a tool, for the report. */
export function toolVersion(cmd: string, args: string[], pattern: RegExp): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  const m = pattern.exec(`${r.stdout ?? ''}\n${r.stderr ?? ''}`);
  return m === null ? '?' : m[1];
}

export function machine(): string {
  const c = cpus();
  const mem = (totalmem() / 2 ** 30).toFixed(0);
  return `${c[0]?.model ?? 'unknown CPU'}, ${c.length} cores, ${mem} GiB RAM, node ${process.version}, ${process.platform}`;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}
