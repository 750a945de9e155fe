/**
 * The InfluxDB configuration: URL forms, the environment a container is given (URL, user,
 * password from a Docker secret file), retention and timeout, and one-line errors that never show
 * a password.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseInfluxConfig } from '../../../src/sinks/influx/config.js';
import { HomewatchError } from '../../../src/util/errors.js';

const LIVE = { run: 'live', retention: '90d' };
const dir = mkdtempSync(join(tmpdir(), 'hw-influx-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function usageError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(HomewatchError);
    expect((err as HomewatchError).code).toBe('ERR_USAGE');
    const m = (err as Error).message;
    expect(m).not.toContain('\n');
    return m;
  }
  throw new Error('no error');
}

describe('parseInfluxConfig', () => {
  it('is null without --influx or HOMEWATCH_INFLUX_URL', () => {
    expect(parseInfluxConfig({}, {}, LIVE)).toBeNull();
    expect(usageError(() => parseInfluxConfig({ retention: '30d' }, {}, LIVE))).toMatch(
      /--retention needs --influx/,
    );
  });

  it('reads user, password, host, port and database from the URL', () => {
    const c = parseInfluxConfig({ influx: 'http://hw:s%40cret@127.0.0.1:8087/lab' }, {}, LIVE);
    expect(c).toMatchObject({
      baseUrl: 'http://127.0.0.1:8087',
      database: 'lab',
      user: 'hw',
      password: 's@cret',
      retention: '90d',
      retentionExplicit: false,
      timeoutS: 120,
      run: 'live',
    });
  });

  it('defaults the database to homewatch and takes https', () => {
    const c = parseInfluxConfig({ influx: 'https://influx.example:8086' }, {}, LIVE);
    expect(c?.baseUrl).toBe('https://influx.example:8086');
    expect(c?.database).toBe('homewatch');
    expect(c?.user).toBeNull();
  });

  it('takes the URL, the user and a Docker secret file from the environment', () => {
    const secret = join(dir, 'influxdb_password');
    writeFileSync(secret, 'from-a-file\n');
    const c = parseInfluxConfig(
      {},
      {
        HOMEWATCH_INFLUX_URL: 'http://localhost:8086/homewatch',
        HOMEWATCH_INFLUX_USER: 'homewatch',
        HOMEWATCH_INFLUX_PASSWORD_FILE: secret,
        HOMEWATCH_INFLUX_PASSWORD: 'not-this-one',
        HOMEWATCH_INFLUX_RETENTION: '4w',
      },
      LIVE,
    );
    expect(c).toMatchObject({ user: 'homewatch', password: 'from-a-file', retention: '4w' });
    expect(c?.retentionExplicit).toBe(true);
  });

  it('lets --influx, --retention, --run and --influx-timeout win over the environment', () => {
    const c = parseInfluxConfig(
      { influx: 'http://h:1/a', retention: 'inf', run: 'model-b', 'influx-timeout': '5' },
      { HOMEWATCH_INFLUX_URL: 'http://other:2/b', HOMEWATCH_INFLUX_RETENTION: '4w' },
      { run: 'capture.pcap', retention: 'INF' },
    );
    expect(c).toMatchObject({
      baseUrl: 'http://h:1',
      database: 'a',
      retention: 'INF',
      run: 'model-b',
      timeoutS: 5,
    });
  });

  it('refuses bad values in one line, never showing the password', () => {
    expect(usageError(() => parseInfluxConfig({ influx: 'localhost:8086' }, {}, LIVE))).toMatch(
      /--influx: expected an http/,
    );
    expect(
      usageError(() => parseInfluxConfig({ influx: 'http://u:hunter2@h:1/a/b' }, {}, LIVE)),
    ).not.toContain('hunter2');
    expect(
      usageError(() => parseInfluxConfig({ influx: 'http://u:hunter2@h:1/db?x=1' }, {}, LIVE)),
    ).toMatch(/no query/);
    expect(
      usageError(() => parseInfluxConfig({ influx: 'http://h:1', retention: '30m' }, {}, LIVE)),
    ).toMatch(/--retention: expected a duration of at least 1h/);
    expect(
      usageError(() =>
        parseInfluxConfig({ influx: 'http://h:1', 'influx-timeout': '0' }, {}, LIVE),
      ),
    ).toMatch(/--influx-timeout: expected a positive number/);
    expect(
      usageError(() => parseInfluxConfig({}, { HOMEWATCH_INFLUX_URL: 'ftp://h/x' }, LIVE)),
    ).toMatch(/^HOMEWATCH_INFLUX_URL: expected an http/);
    const missing = join(dir, 'no-such-secret');
    expect(
      usageError(() =>
        parseInfluxConfig(
          { influx: 'http://hw@h:1' },
          { HOMEWATCH_INFLUX_PASSWORD_FILE: missing },
          LIVE,
        ),
      ),
    ).toBe(`HOMEWATCH_INFLUX_PASSWORD_FILE ${missing}: cannot read it (ENOENT)`);
    expect(
      usageError(() =>
        parseInfluxConfig({ influx: 'http://h:1' }, { HOMEWATCH_INFLUX_PASSWORD: 'p' }, LIVE),
      ),
    ).toMatch(/a password is set but no user/);
  });
});
