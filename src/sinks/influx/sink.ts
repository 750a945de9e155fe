/**
 * The InfluxDB sink: records become points (encode.ts) in a bounded in-memory queue, and one
 * delivery loop sends them in batches (by size, or after `flushIntervalMs`; which batch next is
 * outbox.ts's) with retry and backoff while InfluxDB is down or restarting.
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
import { describeTarget } from './config.js';
import { ensureDatabase } from './database.js';
import { type DeliveryFigures, RecordEncoder } from './encode.js';
import { PointQueue } from './queue.js';
import {
  type DeliveryReport,
  type InfluxSinkOptions,
  resolveSinkOptions,
  type ResolvedSinkOptions,
} from './options.js';
import { Outbox, type Work } from './outbox.js';
import { Spool } from './spool.js';
import { Signal, Sleeper } from './wait.js';

export type { DeliveryReport, InfluxMode, InfluxSinkOptions } from './options.js';

export class InfluxSink implements RecordSink {
  readonly #o: ResolvedSinkOptions;
  readonly #client: InfluxClient;
  readonly #encoder: RecordEncoder;
  readonly #spool: Spool | null;
  readonly #target: string;
  readonly #queue = new PointQueue();
  readonly #outbox: Outbox;
  #delivered = 0;
  /** Refused by InfluxDB for good (bad points, beyond the retention policy). */
  #refused = 0;
  #ready = false;
  /** The first contact has ended, in success or failure. */
  #contacted = false;
  #online = true;
  #stopped = false;
  #ended = false;
  #fatal: HomewatchError | null = null;
  #lastError: string | null = null;
  #lastProgressAt = Date.now();
  readonly #startedAt = Date.now();
  readonly #pumpSleep = new Sleeper();
  readonly #changed = new Signal();
  readonly #pump: Promise<void>;

  constructor(options: InfluxSinkOptions) {
    this.#o = resolveSinkOptions(options);
    const c = options.config;
    this.#target = describeTarget(c);
    this.#client = new InfluxClient(c, { requestTimeoutMs: this.#o.requestTimeoutMs });
    this.#spool = options.stateDir === null ? null : new Spool(options.stateDir, c.spoolBytes);
    this.#outbox = new Outbox(this.#queue, this.#spool, {
      batchPoints: this.#o.batchPoints,
      batchBytes: this.#o.batchBytes,
      flushIntervalMs: this.#o.flushIntervalMs,
      spillAbove: this.#o.mode === 'live' ? this.#o.maxMemoryPoints : Infinity,
    });
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
    this.#queue.push(p.lane, p.line);
    const queued = this.#queue.size;
    if (queued >= this.#o.batchPoints) this.#wake();
    // Live: memory full and the spool not keeping up (or absent): give way, windows first.
    const limit = (this.#spool === null ? 2 : 4) * this.#o.maxMemoryPoints;
    if (this.#o.mode === 'live' && queued > limit) this.#queue.shed(this.#o.maxMemoryPoints);
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
      await this.#changed.wait(Math.min(100, until - Date.now()));
    }
    if (this.#fatal) throw await this.#end();
    return this.#ready;
  }

  /**
   * Replay: resolves once InfluxDB has every point written so far. Live: sends what is queued
   * without waiting (the capture must not stall). Throws the fatal error, if any.
   */
  async flush(): Promise<void> {
    this.#outbox.requestFlush();
    this.#wake();
    if (this.#o.mode === 'replay') await this.#drain(this.#o.config.timeoutS * 1000, true);
    if (this.#fatal || (this.#o.mode === 'replay' && this.#undelivered() > 0)) {
      throw (await this.#end()) as HomewatchError;
    }
  }

  async close(): Promise<void> {
    this.#outbox.requestFlush();
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
      await this.#outbox.keepUndelivered();
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
        this.#queue.dropped.priority +
        this.#queue.dropped.window +
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
        await this.#outbox.spill();
        const wait = retryAt - Date.now();
        if (wait > 0) {
          // Woken early (new points): spilled above; the pause goes on.
          await this.#sleep(wait);
          continue;
        }
        if (!this.#ready) {
          await ensureDatabase(this.#client, this.#o.config);
          this.#ready = true;
          this.#contacted = true;
          this.#notify();
        }
        work = await this.#outbox.next();
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
        if (this.#o.mode === 'live' && this.#spool && this.#outbox.hasInflight)
          await this.#outbox.spillInflight();
        return true;
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
      await this.#changed.wait(Math.min(left, 1000));
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
    this.#changed.notify();
  }

  #idleMs(): number {
    if (this.#queue.size === 0) return this.#o.flushIntervalMs;
    return Math.max(1, this.#o.flushIntervalMs - this.#queue.age());
  }

  #sleep(ms: number): Promise<void> {
    return this.#stopped ? Promise.resolve() : this.#pumpSleep.sleep(ms);
  }

  #wake(): void {
    this.#pumpSleep.wake();
  }

  #queued(): number {
    return this.#queue.size;
  }

  #inflightPoints(): number {
    return this.#outbox.inflightPoints;
  }
}

/** ±20 %, so that many agents do not retry in step. */
function jitter(ms: number): number {
  return Math.round(ms * (0.8 + Math.random() * 0.4));
}
