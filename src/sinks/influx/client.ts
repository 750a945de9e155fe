/**
 * The InfluxDB 1.x HTTP API, as much as the sink needs: `/ping`, `/query` (database and
 * retention policy statements) and `/write` (line protocol, nanosecond precision). Credentials go
 * in an `Authorization: Basic` header, never in a URL that could be logged.
 *
 * Every failure is an InfluxRequestError whose `kind` tells the sink what to do:
 *   unavailable  network error, timeout, 5xx: retry with backoff (InfluxDB down or restarting)
 *   auth         401: the credentials are wrong; retrying cannot help
 *   forbidden    403: the user may not do this (not admin, no WRITE on the database)
 *   no-database  404 on write: the database is gone; create it again
 *   rejected     400 and other 4xx: the points (or statement) are invalid; resending cannot help
 * @module
 */
import type { Agent as HttpAgent, IncomingMessage, request as httpRequest } from 'node:http';
import { createRequire } from 'node:module';
import type { InfluxConfig } from './config.js';

// node:http and node:https (with tls and net) take ~7 ms to load: only a run that writes to
// InfluxDB loads them, not every replay (the bundle hoists static imports to its start).
const require = createRequire(import.meta.url);

export type FailureKind = 'unavailable' | 'auth' | 'forbidden' | 'no-database' | 'rejected';

export class InfluxRequestError extends Error {
  readonly kind: FailureKind;
  readonly status: number | null;
  /** For a partial write (400 with `dropped=N`): the points InfluxDB refused. */
  readonly droppedPoints: number | null;
  constructor(
    kind: FailureKind,
    message: string,
    status: number | null,
    droppedPoints = null as number | null,
  ) {
    super(message);
    this.name = 'InfluxRequestError';
    this.kind = kind;
    this.status = status;
    this.droppedPoints = droppedPoints;
  }
}

export interface ClientOptions {
  /** A request with no answer after this long counts as InfluxDB unavailable. */
  requestTimeoutMs: number;
}

interface Response {
  status: number;
  body: string;
}

export class InfluxClient {
  readonly #config: InfluxConfig;
  readonly #opts: ClientOptions;
  readonly #agent: HttpAgent;
  readonly #request: typeof httpRequest;
  readonly #auth: string | null;

  constructor(config: InfluxConfig, opts: ClientOptions) {
    this.#config = config;
    this.#opts = opts;
    if (config.baseUrl.startsWith('https:')) {
      const https = require('node:https') as typeof import('node:https');
      this.#agent = new https.Agent({ keepAlive: true, maxSockets: 2 });
      this.#request = https.request;
    } else {
      const http = require('node:http') as typeof import('node:http');
      this.#agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
      this.#request = http.request;
    }
    this.#auth =
      config.user === null
        ? null
        : `Basic ${Buffer.from(`${config.user}:${config.password ?? ''}`).toString('base64')}`;
  }

  /** Resolves when InfluxDB answers /ping. */
  async ping(): Promise<void> {
    const r = await this.#send('GET', '/ping', null);
    if (r.status !== 204 && r.status !== 200) throw failure(r, 'ping');
  }

  /** Runs one InfluxQL statement that returns no rows (CREATE, ALTER); throws on its error. */
  async exec(statement: string): Promise<void> {
    const body = `q=${encodeURIComponent(statement)}`;
    const r = await this.#send('POST', '/query', body, 'application/x-www-form-urlencoded');
    if (r.status !== 200) throw failure(r, statement.split(' ', 2).join(' '));
    let parsed: { results?: { error?: string }[]; error?: string };
    try {
      parsed = JSON.parse(r.body) as typeof parsed;
    } catch {
      throw new InfluxRequestError(
        'rejected',
        `unexpected answer to a query: ${clip(r.body)}`,
        r.status,
      );
    }
    const error = parsed.error ?? parsed.results?.find((x) => x.error)?.error;
    if (error !== undefined) throw new InfluxRequestError('rejected', error, r.status);
  }

  /** Writes line protocol (one point a line, nanosecond timestamps). */
  async write(lines: string): Promise<void> {
    const db = encodeURIComponent(this.#config.database);
    const r = await this.#send(
      'POST',
      `/write?db=${db}&precision=ns`,
      lines,
      'text/plain; charset=utf-8',
    );
    if (r.status !== 204 && r.status !== 200) throw failure(r, 'write');
  }

  /** Closes idle connections (they would keep the process alive). */
  close(): void {
    this.#agent.destroy();
  }

  #send(method: string, path: string, body: string | null, type?: string): Promise<Response> {
    const url = new URL(path, this.#config.baseUrl);
    const payload = body === null ? null : Buffer.from(body, 'utf8');
    const headers: Record<string, string | number> = {};
    if (this.#auth !== null) headers.Authorization = this.#auth;
    if (payload !== null) {
      headers['Content-Type'] = type ?? 'text/plain';
      headers['Content-Length'] = payload.length;
    }
    return new Promise((resolve, reject) => {
      const req = this.#request(
        url,
        { method, headers, agent: this.#agent },
        (res: IncomingMessage) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', (err) => reject(unavailable(err)));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
          );
        },
      );
      req.setTimeout(this.#opts.requestTimeoutMs, () => {
        req.destroy(
          Object.assign(new Error(`no answer in ${this.#opts.requestTimeoutMs / 1000} s`), {
            code: 'ETIMEDOUT',
          }),
        );
      });
      req.on('error', (err) => reject(unavailable(err)));
      req.end(payload ?? undefined);
    });
  }
}

function unavailable(err: Error): InfluxRequestError {
  const code = (err as NodeJS.ErrnoException).code;
  const text = code && !err.message.includes(code) ? `${code}: ${err.message}` : err.message;
  return new InfluxRequestError('unavailable', text, null);
}

/** The InfluxRequestError for an HTTP answer that is not success. */
function failure(r: Response, what: string): InfluxRequestError {
  let message = clip(r.body.trim());
  try {
    const j = JSON.parse(r.body) as { error?: string; message?: string };
    message = j.error ?? j.message ?? message;
  } catch {
    /* not JSON: the text as it came */
  }
  const text = `${what}: HTTP ${r.status}${message ? ` (${message})` : ''}`;
  if (r.status === 401) return new InfluxRequestError('auth', text, r.status);
  if (r.status === 403) return new InfluxRequestError('forbidden', text, r.status);
  if (r.status === 404 && /database not found/i.test(message))
    return new InfluxRequestError('no-database', text, r.status);
  if (r.status >= 500 || r.status === 0 || r.status === 429 || r.status === 408)
    return new InfluxRequestError('unavailable', text, r.status);
  const dropped = /dropped=(\d+)/.exec(message);
  return new InfluxRequestError('rejected', text, r.status, dropped ? Number(dropped[1]) : null);
}

function clip(s: string): string {
  return s.length > 200 ? `${s.slice(0, 200)}…` : s;
}
