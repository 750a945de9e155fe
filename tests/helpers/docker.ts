/**
 * A real Docker engine for tests: Debian's `dockerd` started by the test, as root, with what this
 * kind of machine allows (no iptables, no bridge: containers use the host network; overlay2
 * storage where the kernel lets a container mount overlayfs, else vfs, which copies every layer
 * in full and is several times slower to build and to remove), its data and socket in a
 * temporary folder, stopped and removed afterwards. Nothing of the machine's own Docker (if any)
 * is touched.
 *
 * Set HOMEWATCH_SKIP_DOCKER=1 to skip these tests (they build images: several minutes).
 * @module
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export interface Engine {
  /** DOCKER_HOST for the docker CLI and docker-compose. */
  host: string;
  /** The storage driver in use. */
  driver: string;
  env: NodeJS.ProcessEnv;
  /** Runs a command against this engine; throws with its output when it fails. */
  run(cmd: string[], opts?: { timeoutMs?: number; input?: string }): string;
  /** Same, without waiting (long builds): resolves with the output, rejects on failure. */
  runAsync(cmd: string[], timeoutMs: number): Promise<string>;
  stop(): Promise<void>;
}

function missing(cmd: string, args: string[]): boolean {
  return spawnSync(cmd, args, { encoding: 'utf8' }).error !== undefined;
}

/** Why a Docker engine cannot be started here, or null when it can. */
export function dockerUnavailable(): string | null {
  if (process.env.HOMEWATCH_SKIP_DOCKER === '1') return 'HOMEWATCH_SKIP_DOCKER=1';
  if (process.getuid?.() !== 0) return 'needs root (dockerd, network namespaces)';
  if (missing('dockerd', ['--version']))
    return 'dockerd is not installed (Debian package docker.io)';
  if (missing('docker-compose', ['version']))
    return 'docker-compose is not installed (Debian package docker-compose)';
  if (missing('debootstrap', ['--version']) && !existsSync('/usr/sbin/debootstrap'))
    return 'debootstrap is not installed (Debian package debootstrap)';
  return null;
}

/** Starts dockerd (overlay2, else vfs); resolves once it answers, or with why it could not. */
export async function startEngine(): Promise<Engine | string> {
  const first = await startWith('overlay2');
  return typeof first === 'string' ? startWith('vfs') : first;
}

async function startWith(driver: 'overlay2' | 'vfs'): Promise<Engine | string> {
  const dir = mkdtempSync('/var/tmp/hw-docker-');
  const host = `unix://${dir}/docker.sock`;
  const env = {
    ...process.env,
    DOCKER_HOST: host,
    DOCKER_BUILDKIT: '0',
    COMPOSE_DOCKER_CLI_BUILD: '0',
  };
  const child: ChildProcess = spawn(
    'dockerd',
    [
      '--storage-driver',
      driver,
      '--iptables=false',
      '--ip6tables=false',
      '--bridge=none',
      '--data-root',
      `${dir}/data`,
      '--exec-root',
      `${dir}/exec`,
      '--pidfile',
      `${dir}/dockerd.pid`,
      '--host',
      host,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  const keep = (d: Buffer): void => {
    log = (log + d.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = false;
  child.on('exit', () => (exited = true));

  const run = (cmd: string[], opts: { timeoutMs?: number; input?: string } = {}): string => {
    const r = spawnSync(cmd[0], cmd.slice(1), {
      env,
      encoding: 'utf8',
      timeout: opts.timeoutMs ?? 120_000,
      input: opts.input,
      maxBuffer: 64 << 20,
    });
    if (r.error || r.status !== 0)
      throw new Error(
        `${cmd.join(' ')} failed (${r.status}): ${r.error?.message ?? ''}${r.stdout}${r.stderr}`.slice(
          -4000,
        ),
      );
    return r.stdout;
  };
  const runAsync = (cmd: string[], timeoutMs: number): Promise<string> =>
    new Promise((resolve, reject) => {
      const c = spawn(cmd[0], cmd.slice(1), { env });
      let out = '';
      c.stdout.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20000)));
      c.stderr.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20000)));
      const timer = setTimeout(() => c.kill('SIGKILL'), timeoutMs);
      c.on('close', (code) => {
        clearTimeout(timer);
        if (code === 0) resolve(out);
        else reject(new Error(`${cmd.join(' ')} failed (${code}): ${out.slice(-4000)}`));
      });
    });
  const stop = async (): Promise<void> => {
    if (!exited) {
      const done = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const guard = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await done;
      clearTimeout(guard);
    }
    // Overlay mounts of containers that failed to stop would make rm fail: unmount first.
    spawnSync('sh', [
      '-c',
      `grep -o " ${dir}[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l`,
    ]);
    spawnSync('rm', ['-rf', dir]);
  };

  const until = Date.now() + 60_000;
  for (;;) {
    if (exited) {
      rmSync(dir, { recursive: true, force: true });
      return `dockerd could not start: ${log.trim().split('\n').slice(-3).join(' | ')}`;
    }
    const r = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], {
      env,
      encoding: 'utf8',
    });
    if (r.status === 0) break;
    if (Date.now() > until) {
      await stop();
      return `dockerd did not answer in 60 s: ${log.trim().split('\n').slice(-3).join(' | ')}`;
    }
    await new Promise((r2) => setTimeout(r2, 250));
  }
  return { host, driver, env, run, runAsync, stop };
}

/**
 * PEM text of the CA certificates this machine added to its trust store (a proxy that re-signs
 * TLS, as on this sandbox), for a build that fetches from the npm registry; '' when there is none.
 */
export function localCaCertificates(): string {
  const dir = '/usr/local/share/ca-certificates';
  if (!existsSync(dir)) return '';
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.crt'))
    .map((f) => readFileSync(join(dir, f), 'utf8').trim())
    .join('\n');
}
