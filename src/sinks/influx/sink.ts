/**
 * The InfluxDB sink: records become points (encode.ts) in a bounded in-memory queue, and one
 * delivery loop sends them in batches (by size, or after `flushIntervalMs`) with retry and
 * backoff while InfluxDB is down or restarting.
 *
 * Two modes, because the two commands want different things when InfluxDB cannot keep up:
 *   replay  the queue pushes back (`backlogged`), so the replay waits; `flush()` and `close()`
 *           wait for delivery, giving up when InfluxDB has accepted nothing for
 *           `config.timeoutS` while points wait.
 *   live    the capture must never wait (the kernel would drop packets): points beyond
 *           `maxMemoryPoints` spill to the spool in --state DIR (spool.ts) and are sent once
 *           InfluxDB is back; with no spool, or when even the spool is full, window points give
 *           way before alerts and agent points. `close()` delivers what it can within
 *           `closeBudgetMs` and spools the rest.
 *
 * Every point dropped is counted and reported in the `agent` points (`points_dropped`), beside
 * `points_written` and `spooled`. Wrong credentials, a user without the right to write, or a
 * URL that is not InfluxDB are fatal: the next `flush()` or `close()` throws one line (ERR_INFLUX).
 * @module
 */
import { HomewatchError } from '../../util/errors.js';
import type { OutputRecord, RecordSink } from '../records.js';
import { InfluxClient, InfluxRequestError } from './client.js';
import { describeTarget, type InfluxConfig } from './config.js';
import { type DeliveryFigures, type Lane, RecordEncoder } from './encode.js';
import { Spool } from './spool.js';

export type InfluxMode = 'replay' | 'live';

export interface InfluxSinkOptions {
  config: InfluxConfig;
  mode: InfluxMode;
  /** --state DIR: undelivered points spool in DIR/influx-spool. */
  stateDir: string | null;
  /** `agent` tags: the machine, and the interface or 'file'. */
  host: string;
  source: string;
  /** The pipeline's count of undecodable packets, for `agent` points. */
  malformed?: () => number;
  /** A line for a person (live mode: an outage began or ended). */
  warn?: (line: string) => void;
  batchPoints?: number;
  batchBytes?: number;
  flushIntervalMs?: number;
  maxMemoryPoints?: number;
  closeBudgetMs?: number;
  requestTimeoutMs?: number;
  backoffInitialMs?: number;
  backoffMaxMs?: number;
}

/** What became of the points, for the CLI's last line. */
export interface DeliveryReport {
  delivered: number;
  dropped: number;
  /** Points left in the spool (delivered by the next run with the same --state DIR). */
  spooled: number;
  /** Points neither delivered nor spooled at close (no --state DIR). */
  lost: number;
  spoolDir: string | null;
  /** The last refusal or failure InfluxDB gave, if any. */
  lastError: string | null;
  wallSeconds: number;
}

const DEFAULTS = {
  batchPoints: 5000,
  batchBytes: 4 << 20,
  flushIntervalMs: 1000,
  maxMemoryPoints: 20_000,
  closeBudgetMs: 2000,
  requestTimeoutMs: 10_000,
  backoffInitialMs: 250,
  backoffMaxMs: 5000,
};

/** A batch on its way: from memory (retried as is) or a spool segment. */
interface Work {
  text: string;
  points: number;
  /** Called once InfluxDB has the batch (or refused it for good). */
  done(): Promise<void>;
}

export class InfluxSink implements RecordSink {
  readonly #o: InfluxSinkOptions & typeof DEFAULTS;
  readonly #client: InfluxClient;
  readonly #encoder: RecordEncoder;
  readonly #spool: Spool | null;
  readonly #target: string;
  readonly #lanes: Record<Lane, string[]> = { priority: [], window: [] };
  /** A batch taken from memory, kept until InfluxDB has it. */
  #inflight: Record<Lane, string[]> | null = null;
  #oldestAt = 0;
  #delivered = 0;
  /** Refused by InfluxDB for good (bad points, beyond the retention policy). */
  #refused = 0;
  /** Given way in memory for want of room (no spool, or live queue overflow). */
  readonly #memDropped: Record<Lane, number> = { priority: 0, window: 0 };
  #ready = false;
  /** The first contact has ended, in success or failure. */
  #contacted = false;
  #online = true;
  #flushRequested = false;
  #stopped = false;
  #ended = false;
  #fatal: HomewatchError | null = null;
  #lastError: string | null = null;
  #lastProgressAt = Date.now();
  readonly #startedAt = Date.now();
  #wakePump: (() => void) | null = null;
  #waiters: (() => void)[] = [];
  readonly #pump: Promise<void>;

  constructor(options: InfluxSinkOptions) {
    this.#o = { ...DEFAULTS, ...stripUndefined(options) } as InfluxSinkOptions & typeof DEFAULTS;
    const c = options.config;
    this.#target = describeTarget(c);
    this.#client = new InfluxClient(c, { requestTimeoutMs: this.#o.requestTimeoutMs });
    this.#spool = options.stateDir === null ? null : new Spool(options.stateDir, c.spoolBytes);
    this.#encoder = new RecordEncoder({
      run: c.run,
      host: options.host,
      source: options.source,
      summaryAsAgent: options.mode === 'replay',
      figures: () => this.figures(),
      malformed: options.malformed,
    });
    this.#pump = this.#run();
  }

  write(record: OutputRecord): void {
    const p = this.#encoder.encode(record);
    if (p === null) return;
    const lanes = this.#lanes;
    if (lanes.priority.length + lanes.window.length === 0) this.#oldestAt = Date.now();
    lanes[p.lane].push(p.line);
    const queued = this.#queued();
    if (queued >= this.#o.batchPoints) this.#wake();
    if (this.#o.mode === 'live' && queued > 2 * this.#o.maxMemoryPoints) this.#shed(queued);
  }

  /** Replay: points wait for InfluxDB, so the replay should wait too. Any mode: a fatal error. */
  get backlogged(): boolean {
    if (this.#fatal !== null) return true;
    return this.#o.mode === 'replay' && this.#queued() >= this.#o.maxMemoryPoints;
  }

  /**
   * Waits (up to `ms`) for the end of the first contact: resolves true when the database is set
   * up, false while InfluxDB cannot be reached (points wait meanwhile); throws a fatal error
   * (wrong credentials, not InfluxDB), so that it is reported before anything else starts.
   */
  async check(ms: number): Promise<boolean> {
    const until = Date.now() + ms;
    while (!this.#contacted && this.#fatal === null && Date.now() < until) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(100, Math.max(1, until - Date.now())));
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    if (this.#fatal) throw await this.#end();
    return this.#ready;
  }

  /**
   * Replay: resolves once InfluxDB has every point written so far. Live: sends what is queued
   * without waiting (the capture must not stall). Throws the fatal error, if any.
   */
  async flush(): Promise<void> {
    this.#flushRequested = true;
    this.#wake();
    if (this.#o.mode === 'replay') await this.#drain(this.#o.config.timeoutS * 1000, true);
    if (this.#fatal || (this.#o.mode === 'replay' && this.#undelivered() > 0)) {
      throw (await this.#end()) as HomewatchError;
    }
  }

  async close(): Promise<void> {
    this.#flushRequested = true;
    this.#wake();
    if (this.#o.mode === 'replay') await this.#drain(this.#o.config.timeoutS * 1000, true);
    else await this.#drain(this.#o.closeBudgetMs, false);
    const err = await this.#end();
    if (err) throw err;
  }

  /**
   * Stops the delivery loop (once), keeps what InfluxDB does not have in the spool, and returns
   * the error to report: the fatal one, or (replay) that not everything was delivered.
   */
  async #end(): Promise<HomewatchError | null> {
    if (!this.#ended) {
      this.#ended = true;
      this.#stopped = true;
      this.#wake();
      this.#client.close();
      await this.#pump;
      await this.#keepUndelivered();
    }
    if (this.#fatal) return this.#fatal;
    if (this.#o.mode === 'replay' && this.#undelivered() > 0) this.#fatal = this.#timeoutError();
    return this.#fatal;
  }

  /** Delivery so far: the figures every `agent` point carries. */
  figures(): DeliveryFigures {
    const s = this.#spool;
    return {
      pointsWritten: this.#delivered,
      pointsDropped:
        this.#refused +
        this.#memDropped.priority +
        this.#memDropped.window +
        (s ? s.dropped.priority + s.dropped.window : 0),
      spooled: s?.points ?? 0,
    };
  }

  report(): DeliveryReport {
    const f = this.figures();
    return {
      delivered: f.pointsWritten,
      dropped: f.pointsDropped,
      spooled: f.spooled,
      lost: this.#queued() + this.#inflightPoints(),
      spoolDir: this.#spool?.dir ?? null,
      lastError: this.#lastError,
      wallSeconds: (Date.now() - this.#startedAt) / 1000,
    };
  }

  /** `http://host:port/db`, for messages. */
  get target(): string {
    return this.#target;
  }

  // ---- the delivery loop ----------------------------------------------------------------------

  async #run(): Promise<void> {
    let backoff = this.#o.backoffInitialMs;
    /** No attempt before this time (ms): the pause after a failure. */
    let retryAt = 0;
    while (!this.#stopped && this.#fatal === null) {
      let work: Work | null = null;
      try {
        await this.#spill();
        const wait = retryAt - Date.now();
        if (wait > 0) {
          // Woken early (new points): spilled above; the pause goes on.
          await this.#sleep(wait);
          continue;
        }
        if (!this.#ready) {
          await this.#setup();
          this.#ready = true;
          this.#contacted = true;
          this.#notify();
        }
        work = await this.#next();
        if (work === null) {
          await this.#sleep(this.#idleMs());
          continue;
        }
        await this.#client.write(work.text);
        this.#delivered += work.points;
        await work.done();
        this.#progress();
        backoff = this.#o.backoffInitialMs;
      } catch (err) {
        if (!(err instanceof InfluxRequestError)) {
          this.#fail(`${this.#target}: ${(err as Error).message}`);
          break;
        }
        if (this.#stopped) break;
        const retry = await this.#failed(err, work);
        this.#contacted = true;
        this.#notify();
        if (retry) {
          retryAt = Date.now() + jitter(backoff);
          backoff = Math.min(backoff * 2, this.#o.backoffMaxMs);
        }
      }
    }
    this.#notify();
  }

  /** Creates the database and its retention policy (idempotent; InfluxDB 1.x). */
  async #setup(): Promise<void> {
    const c = this.#o.config;
    await this.#client.ping();
    const db = identifier(c.database);
    try {
      await this.#client.exec(`CREATE DATABASE ${db}`);
    } catch (err) {
      // A user with WRITE but not admin: the database must exist already; writes will tell.
      if (!(err instanceof InfluxRequestError) || err.kind !== 'forbidden') throw err;
      return;
    }
    const rp = `"homewatch" ON ${db} DURATION ${c.retention}`;
    try {
      await this.#client.exec(`CREATE RETENTION POLICY ${rp} REPLICATION 1 DEFAULT`);
    } catch (err) {
      // It exists with another duration: change it only when the user asked for one.
      if (!(err instanceof InfluxRequestError) || err.kind !== 'rejected') throw err;
      if (c.retentionExplicit) await this.#client.exec(`ALTER RETENTION POLICY ${rp} DEFAULT`);
    }
  }

  /** Decides what a failure means; true when the same work should be retried after a pause. */
  async #failed(err: InfluxRequestError, work: Work | null): Promise<boolean> {
    this.#lastError = err.message;
    const who = this.#o.config.user === null ? 'no user' : `user '${this.#o.config.user}'`;
    switch (err.kind) {
      case 'auth':
        this.#fail(`${this.#target}: InfluxDB refused the credentials (${who}): ${err.message}`);
        return false;
      case 'forbidden':
        this.#fail(`${this.#target}: ${who} may not do this: ${err.message}`);
        return false;
      case 'no-database':
        this.#ready = false;
        return true;
      case 'rejected':
        if (work === null) {
          // /ping or a statement refused: not InfluxDB 1.x, or a setting it cannot take.
          this.#fail(`${this.#target}: does not answer as InfluxDB 1.x: ${err.message}`);
          return false;
        }
        // Bad points: resending cannot help. A partial write says how many it refused.
        const refused = Math.min(work.points, err.droppedPoints ?? work.points);
        this.#refused += refused;
        this.#delivered += work.points - refused;
        await work.done();
        this.#progress();
        this.#o.warn?.(`InfluxDB ${this.#target} refused points: ${err.message}`);
        return false;
      case 'unavailable':
        if (this.#online) {
          this.#online = false;
          if (this.#o.mode === 'live')
            this.#o.warn?.(
              `InfluxDB ${this.#target} unavailable (${err.message}); retrying` +
                (this.#spool ? `, points wait in ${this.#spool.dir}` : ''),
            );
        }
        // Live: a batch that failed waits in the spool, so memory holds only new points.
        if (this.#o.mode === 'live' && this.#spool && this.#inflight) await this.#spillInflight();
        return true;
    }
  }

  /** The next batch: a batch being retried, the spool's oldest segment, or a new batch. */
  async #next(): Promise<Work | null> {
    if (this.#inflight !== null) return this.#memoryWork();
    const spool = this.#spool;
    if (spool && !spool.empty) {
      const s = await spool.oldest();
      if (s !== null)
        return { text: s.lines, points: s.segment.points, done: () => spool.remove(s.segment) };
    }
    const queued = this.#queued();
    if (queued === 0) return null;
    const due =
      queued >= this.#o.batchPoints ||
      this.#flushRequested ||
      Date.now() - this.#oldestAt >= this.#o.flushIntervalMs;
    if (!due) return null;
    this.#inflight = this.#take(this.#o.batchPoints, this.#o.batchBytes);
    if (this.#queued() === 0) this.#flushRequested = false;
    return this.#memoryWork();
  }

  #memoryWork(): Work {
    const b = this.#inflight as Record<Lane, string[]>;
    const points = b.priority.length + b.window.length;
    const text = `${b.priority.concat(b.window).join('\n')}\n`;
    return {
      text,
      points,
      done: async () => {
        this.#inflight = null;
      },
    };
  }

  /** Takes up to `maxPoints` (and about `maxBytes`) from memory, alerts and agent points first. */
  #take(maxPoints: number, maxBytes: number): Record<Lane, string[]> {
    const out: Record<Lane, string[]> = { priority: [], window: [] };
    let bytes = 0;
    let n = 0;
    for (const lane of ['priority', 'window'] as const) {
      const src = this.#lanes[lane];
      let i = 0;
      while (i < src.length && n < maxPoints && (bytes < maxBytes || n === 0)) {
        bytes += src[i].length + 1;
        i++;
        n++;
      }
      out[lane] = src.splice(0, i);
    }
    this.#oldestAt = Date.now();
    return out;
  }

  /** Live mode with a spool: memory beyond `maxMemoryPoints` moves to disk, oldest first. */
  async #spill(): Promise<void> {
    const spool = this.#spool;
    if (this.#o.mode !== 'live' || spool === null) return;
    while (this.#queued() > this.#o.maxMemoryPoints) {
      const b = this.#take(this.#o.batchPoints, this.#o.batchBytes);
      await spool.append('priority', b.priority);
      await spool.append('window', b.window);
    }
  }

  async #spillInflight(): Promise<void> {
    const b = this.#inflight;
    const spool = this.#spool;
    if (b === null || spool === null) return;
    this.#inflight = null;
    await spool.append('priority', b.priority);
    await spool.append('window', b.window);
  }

  /**
   * Memory is full and nothing drains it fast enough (live mode, the spool not keeping up or
   * absent): the oldest window points give way, then the oldest of the others.
   */
  #shed(queued: number): void {
    if (this.#spool !== null && queued <= 4 * this.#o.maxMemoryPoints) return;
    let excess = queued - this.#o.maxMemoryPoints;
    for (const lane of ['window', 'priority'] as const) {
      const n = Math.min(excess, this.#lanes[lane].length);
      this.#lanes[lane].splice(0, n);
      this.#memDropped[lane] += n;
      excess -= n;
    }
  }

  /** At close: what InfluxDB does not have yet goes to the spool when there is one. */
  async #keepUndelivered(): Promise<void> {
    const spool = this.#spool;
    if (spool === null) return;
    await this.#spillInflight();
    while (this.#queued() > 0) {
      const b = this.#take(this.#o.batchPoints, this.#o.batchBytes);
      await spool.append('priority', b.priority);
      await spool.append('window', b.window);
    }
  }

  // ---- waiting ----------------------------------------------------------------------------------

  /**
   * Waits until memory (and, when `spoolToo`, the spool) is delivered, a fatal error, or
   * `budgetMs` without InfluxDB accepting anything.
   */
  async #drain(budgetMs: number, spoolToo: boolean): Promise<void> {
    const started = Date.now();
    const pending = (): boolean =>
      this.#queued() + this.#inflightPoints() > 0 || (spoolToo && (this.#spool?.points ?? 0) > 0);
    while (pending() && this.#fatal === null && !this.#stopped) {
      const since = Math.max(started, this.#lastProgressAt);
      const left = budgetMs - (Date.now() - since);
      if (left <= 0) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 1000));
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  #timeoutError(): HomewatchError {
    const r = this.report();
    const left = this.#undelivered();
    const where =
      this.#spool && r.spooled > 0
        ? `; ${r.spooled.toLocaleString('en-US')} wait in ${this.#spool.dir} for the next run with the same --state`
        : '';
    return new HomewatchError(
      'ERR_INFLUX',
      `${this.#target}: InfluxDB accepted no point for ${this.#o.config.timeoutS} s (--influx-timeout)` +
        `${this.#lastError ? `: ${this.#lastError}` : ''}; ${r.delivered.toLocaleString('en-US')} points delivered, ` +
        `${left.toLocaleString('en-US')} not${where}`,
    );
  }

  #undelivered(): number {
    return this.#queued() + this.#inflightPoints() + (this.#spool?.points ?? 0);
  }

  #progress(): void {
    this.#lastProgressAt = Date.now();
    if (!this.#online) {
      this.#online = true;
      if (this.#o.mode === 'live') this.#o.warn?.(`InfluxDB ${this.#target} is back; delivering`);
    }
    this.#notify();
  }

  #fail(message: string): void {
    this.#fatal ??= new HomewatchError('ERR_INFLUX', message);
    this.#notify();
  }

  #notify(): void {
    const w = this.#waiters;
    this.#waiters = [];
    for (const f of w) f();
  }

  #idleMs(): number {
    const queued = this.#queued();
    if (queued === 0) return this.#o.flushIntervalMs;
    return Math.max(1, this.#o.flushIntervalMs - (Date.now() - this.#oldestAt));
  }

  #sleep(ms: number): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    return new Promise((resolve) => {
      // Unref'd: a pause between retries never keeps the process alive on its own.
      const timer = setTimeout(done, ms).unref();
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.#wakePump = () => {
        this.#wakePump = null;
        done();
      };
    });
  }

  #wake(): void {
    this.#wakePump?.();
  }

  #queued(): number {
    return this.#lanes.priority.length + this.#lanes.window.length;
  }

  #inflightPoints(): number {
    const b = this.#inflight;
    return b === null ? 0 : b.priority.length + b.window.length;
  }
}

/** An InfluxQL identifier, double-quoted. */
function identifier(name: string): string {
  return `"${name.replace(/(["\\])/g, '\\$1')}"`;
}

/** ±20 %, so that many agents do not retry in step. */
function jitter(ms: number): number {
  return Math.round(ms * (0.8 + Math.random() * 0.4));
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
