/**
 * A real InfluxDB 1.x for tests: Debian's `influxd` on a free loopback port, its meta, data and
 * WAL in a temporary folder (a config file written for it), optionally with authentication on and
 * an admin user. Tests read back through the `influx` npm package (node-influx), a client
 * independent of the sink under test, so a bug in the sink's own HTTP code cannot hide itself.
 *
 * Every influxd started is remembered: call stopAllInfluxd() in afterAll.
 * @module
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InfluxDB } from 'influx';

/** Why influxd tests cannot run here, or null when they can. */
export function influxdUnavailable(): string | null {
  const r = spawnSync('influxd', ['version'], { encoding: 'utf8' });
  if (r.error) return 'influxd is not installed (Debian package influxdb; .ci/run installs it)';
  return null;
}

/** A TCP port nothing listens on right now (the kernel picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export interface InfluxdOptions {
  /** Turn authentication on and create this admin user before returning. */
  admin?: { user: string; password: string };
  /** Use this port (a restart on the same address); default: a free one. */
  port?: number;
}

const running = new Set<ChildProcess>();

export class Influxd {
  readonly port: number;
  readonly dir: string;
  readonly #admin: InfluxdOptions['admin'];
  #child: ChildProcess | null = null;
  #log = '';

  private constructor(port: number, rpc: number, dir: string, admin: InfluxdOptions['admin']) {
    this.port = port;
    this.dir = dir;
    this.#admin = admin;
    writeFileSync(
      join(dir, 'influxdb.conf'),
      `reporting-disabled = true
bind-address = "127.0.0.1:${rpc}"
[meta]
  dir = "${dir}/meta"
[data]
  dir = "${dir}/data"
  wal-dir = "${dir}/wal"
  query-log-enabled = false
[http]
  bind-address = "127.0.0.1:${port}"
  auth-enabled = ${admin !== undefined}
  log-enabled = false
[monitor]
  store-enabled = false
[continuous_queries]
  enabled = false
[subscriber]
  enabled = false
`,
    );
  }

  /** A new influxd in a new temporary folder; started unless `started` is false. */
  static async create(opts: InfluxdOptions = {}, started = true): Promise<Influxd> {
    // Both ports from the kernel: tests start influxd in parallel, and a port next to a free
    // one is often the next test's (influxd then exits: address in use). Another test may
    // still take a port between our choice and influxd's bind: then start over on new ports.
    for (let attempt = 1; ; attempt++) {
      const port = opts.port ?? (await freePort());
      let rpc = await freePort();
      while (rpc === port) rpc = await freePort();
      const dir = mkdtempSync(join(tmpdir(), 'hw-influxd-'));
      const d = new Influxd(port, rpc, dir, opts.admin);
      if (!started) return d;
      try {
        await d.start();
        return d;
      } catch (err) {
        rmSync(dir, { recursive: true, force: true });
        if (attempt >= 3 || !/address already in use/.test(String(err))) throw err;
      }
    }
  }

  /** `http://127.0.0.1:PORT`. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.#child !== null;
  }

  /** Starts influxd and resolves once /ping answers (and the admin user exists). */
  async start(): Promise<void> {
    if (this.#child) return;
    const child = spawn('influxd', ['run', '-config', join(this.dir, 'influxdb.conf')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child = child;
    running.add(child);
    const keep = (d: Buffer): void => {
      this.#log = (this.#log + d.toString()).slice(-4000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('exit', () => {
      running.delete(child);
      if (this.#child === child) this.#child = null;
    });
    const until = Date.now() + 30_000;
    for (;;) {
      if (this.#child === null) throw new Error(`influxd exited at start: ${this.#log}`);
      try {
        const r = await fetch(`${this.url}/ping`);
        if (r.status === 204) break;
      } catch {
        /* not listening yet */
      }
      if (Date.now() > until) throw new Error(`influxd did not answer /ping in 30 s: ${this.#log}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    if (this.#admin) {
      // InfluxDB lets the first admin be created without credentials; later starts have it.
      const q = `CREATE USER "${this.#admin.user}" WITH PASSWORD '${this.#admin.password}' WITH ALL PRIVILEGES`;
      await fetch(`${this.url}/query`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Authorization: `Basic ${Buffer.from(`${this.#admin.user}:${this.#admin.password}`).toString('base64')}`,
        },
        body: `q=${encodeURIComponent(q)}`,
      });
    }
  }

  /** SIGTERM (or `signal`) and wait for the exit. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.#child;
    if (!child) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill(signal);
    const guard = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(guard);
    this.#child = null;
  }

  /** Stops it and removes its folder. */
  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** A node-influx client for `database` (with the admin's credentials when auth is on). */
  client(database: string): InfluxDB {
    return new InfluxDB({
      host: '127.0.0.1',
      port: this.port,
      database,
      username: this.#admin?.user ?? 'root',
      password: this.#admin?.password ?? 'root',
    });
  }

  /** Rows of one InfluxQL query, as InfluxDB's JSON gives them (time as epoch nanoseconds). */
  async rows(database: string, q: string): Promise<Record<string, unknown>[]> {
    const raw = (await this.client(database).queryRaw(q, { precision: 'n' })) as RawResults;
    const out: Record<string, unknown>[] = [];
    for (const res of raw.results) {
      if (res.error) throw new Error(`${q}: ${res.error}`);
      for (const s of res.series ?? []) {
        for (const v of s.values) {
          const row: Record<string, unknown> = { ...(s.tags ?? {}) };
          s.columns.forEach((c, i) => (row[c] = v[i]));
          out.push(row);
        }
      }
    }
    return out;
  }

  /** Points of `measurement` (optionally with a WHERE clause) in `database`. */
  async count(database: string, measurement: string, where = ''): Promise<number> {
    const rows = await this.rows(
      database,
      `SELECT count(*) FROM "${measurement}"${where ? ` WHERE ${where}` : ''}`,
    );
    if (rows.length === 0) return 0;
    // count(*) gives one count per field; a point has at least its first field.
    return Math.max(
      ...Object.entries(rows[0])
        .filter(([k]) => k.startsWith('count_'))
        .map(([, v]) => Number(v)),
    );
  }
}

export interface RawResults {
  results: {
    error?: string;
    series?: {
      name: string;
      tags?: Record<string, string>;
      columns: string[];
      values: unknown[][];
    }[];
  }[];
}

/** Kills every influxd a test started and did not stop. */
export function stopAllInfluxd(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}
