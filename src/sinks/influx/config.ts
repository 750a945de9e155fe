/**
 * Where and how to write to InfluxDB, validated once at the edge (the CLI options and the
 * environment a container is given). Every problem is an ERR_USAGE naming the option or variable
 * and what it accepts; a password never appears in a message.
 *
 * Sources, first wins:
 *   URL        --influx URL, else HOMEWATCH_INFLUX_URL: http(s)://[user[:pass]@]host:port[/db]
 *              (database `homewatch` when the path is empty, DESIGN.md)
 *   user       the URL's, else HOMEWATCH_INFLUX_USER
 *   password   the URL's, else the file HOMEWATCH_INFLUX_PASSWORD_FILE names (a Docker secret;
 *              one trailing newline ignored), else HOMEWATCH_INFLUX_PASSWORD
 *   retention  --retention, else HOMEWATCH_INFLUX_RETENTION, else the command's default: 90d for
 *              capture, INF for replay (a replay lands at the capture's own time, often older
 *              than 90 days, which a 90-day policy would refuse). InfluxQL duration: 12h, 90d,
 *              52w, or INF. Only an explicit value changes a policy that already exists.
 * @module
 */
import { readFileSync } from 'node:fs';
import { HomewatchError } from '../../util/errors.js';

export const DEFAULT_DATABASE = 'homewatch';
/** Retention of a new database's policy: a live agent's, and a replay's (DESIGN.md). */
export const DEFAULT_RETENTION = '90d';
export const REPLAY_RETENTION = 'INF';
export const DEFAULT_TIMEOUT_S = 120;
export const DEFAULT_SPOOL_MB = 256;

export interface InfluxConfig {
  /** Base URL of the HTTP API, without credentials or path: `http://host:8086`. */
  baseUrl: string;
  database: string;
  user: string | null;
  password: string | null;
  /** InfluxQL duration literal (`90d`, `INF`). */
  retention: string;
  /** Given by the user (--retention or the environment): applied to an existing policy too. */
  retentionExplicit: boolean;
  /** A replay waits this long for InfluxDB to accept points before it gives up. */
  timeoutS: number;
  /** The `run` tag of every point. */
  run: string;
  /** Upper bound of the spool in --state DIR, bytes. */
  spoolBytes: number;
}

/** The option values the CLI hands over (strings as parseArgs gives them). */
export interface InfluxOptionValues {
  influx?: string;
  retention?: string;
  'influx-timeout'?: string;
  run?: string;
  'spool-mb'?: string;
}

/** The options' lines for a command's --help, descriptions starting at column `width`. */
export function influxHelp(width: number): string {
  const rows: [string, string][] = [
    ['--influx URL', 'write to InfluxDB 1.x: http://[user:pass@]host:port/database'],
    ['', '(or HOMEWATCH_INFLUX_URL; the password may come from HOMEWATCH_INFLUX_PASSWORD_FILE)'],
    ['--run NAME', "the 'run' tag of every point"],
    ['--retention DUR', 'retention policy: 12h, 90d, 52w or INF (default: 90d live, INF replay)'],
    [
      '--influx-timeout SEC',
      `how long to wait for InfluxDB to accept points (default ${DEFAULT_TIMEOUT_S})`,
    ],
    ['--spool-mb N', `room for undelivered points in --state DIR (default ${DEFAULT_SPOOL_MB})`],
  ];
  return rows
    .map(([opt, text]) => {
      const head = `  ${opt}`;
      return head.length + 1 > width
        ? `${head}\n${' '.repeat(width)}${text}\n`
        : `${head.padEnd(width)}${text}\n`;
    })
    .join('');
}

/** The `parseArgs` options the InfluxDB sink adds to a command. */
export const INFLUX_OPTIONS = {
  influx: { type: 'string' },
  retention: { type: 'string' },
  'influx-timeout': { type: 'string' },
  run: { type: 'string' },
  'spool-mb': { type: 'string' },
} as const;

/**
 * The sink's configuration, or null when neither --influx nor HOMEWATCH_INFLUX_URL asks for one.
 * `defaultRun`: the run tag when --run is absent (the capture's file name, or `live`).
 */
export function parseInfluxConfig(
  values: InfluxOptionValues,
  env: NodeJS.ProcessEnv,
  defaults: { run: string; retention: string },
): InfluxConfig | null {
  const fromFlag = values.influx !== undefined;
  const raw = values.influx ?? nonEmpty(env.HOMEWATCH_INFLUX_URL);
  if (raw === undefined) {
    for (const k of ['retention', 'influx-timeout', 'spool-mb'] as const)
      if (values[k] !== undefined)
        throw usage(`--${k} needs --influx URL (or HOMEWATCH_INFLUX_URL)`);
    return null;
  }
  const what = fromFlag ? '--influx' : 'HOMEWATCH_INFLUX_URL';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw usage(`${what}: '${redactText(raw)}' is not a URL (expected http://host:8086/database)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw usage(`${what}: expected an http:// or https:// URL, got '${url.protocol}'`);
  if (url.search !== '' || url.hash !== '')
    throw usage(`${what}: no query or fragment expected (http://host:port/database)`);
  const path = decodeURIComponent(url.pathname).replace(/^\/+|\/+$/g, '');
  if (path.includes('/'))
    throw usage(`${what}: the path names one database (http://host:port/database), got '${path}'`);
  const database = path === '' ? DEFAULT_DATABASE : path;

  const user =
    url.username !== '' ? decodeURIComponent(url.username) : nonEmpty(env.HOMEWATCH_INFLUX_USER);
  let password = url.password !== '' ? decodeURIComponent(url.password) : null;
  if (password === null && nonEmpty(env.HOMEWATCH_INFLUX_PASSWORD_FILE) !== undefined)
    password = readSecret(env.HOMEWATCH_INFLUX_PASSWORD_FILE as string);
  if (password === null) password = nonEmpty(env.HOMEWATCH_INFLUX_PASSWORD) ?? null;
  if (password !== null && user === undefined)
    throw usage(
      `${what}: a password is set but no user (http://user:pass@host or HOMEWATCH_INFLUX_USER)`,
    );

  const retentionText = values.retention ?? nonEmpty(env.HOMEWATCH_INFLUX_RETENTION);
  const retention = parseRetention(retentionText ?? defaults.retention);
  const timeoutS = positive('influx-timeout', values['influx-timeout'], DEFAULT_TIMEOUT_S);
  const spoolMb = positive('spool-mb', values['spool-mb'], DEFAULT_SPOOL_MB);
  const run = values.run ?? defaults.run;
  if (run.trim() === '') throw usage('--run: expected a non-empty name');

  url.username = '';
  url.password = '';
  return {
    baseUrl: `${url.protocol}//${url.host}`,
    database,
    user: user ?? null,
    password,
    retention,
    retentionExplicit: retentionText !== undefined,
    timeoutS,
    run,
    spoolBytes: Math.round(spoolMb * 1024 * 1024),
  };
}

/** `http://host:port/db` as a person may see it (never the password). */
export function describeTarget(c: InfluxConfig): string {
  return `${c.baseUrl}/${c.database}`;
}

/** InfluxQL duration literal for a retention policy: at least one hour, or INF. */
function parseRetention(value: string): string {
  if (/^inf$/i.test(value)) return 'INF';
  const m = /^(\d+)(h|d|w)$/.exec(value);
  const hours = m ? Number(m[1]) * { h: 1, d: 24, w: 168 }[m[2] as 'h' | 'd' | 'w'] : 0;
  if (!m || hours < 1)
    throw usage(
      `--retention: expected a duration of at least 1h (12h, 90d, 52w) or INF, got '${value}'`,
    );
  return `${m[1]}${m[2]}`;
}

function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw usage(`--${name}: expected a positive number, got '${value}'`);
  return n;
}

/** A Docker secret: the file's content less one trailing newline. */
function readSecret(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw usage(`HOMEWATCH_INFLUX_PASSWORD_FILE ${path}: cannot read it (${code})`);
  }
  const secret = text.replace(/\r?\n$/, '');
  if (secret === '') throw usage(`HOMEWATCH_INFLUX_PASSWORD_FILE ${path}: the file is empty`);
  return secret;
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === '' ? undefined : v;
}

/** Hides a password in a URL-like text that did not parse. */
function redactText(s: string): string {
  return s.replace(/\/\/([^/@:]*):[^/@]*@/, '//$1:***@');
}

function usage(message: string): HomewatchError {
  return new HomewatchError('ERR_USAGE', message);
}
