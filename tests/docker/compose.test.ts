/**
 * `docker compose up` on a real engine: the test starts Debian's dockerd, builds the local base
 * images (scripts/docker-base.sh: debootstrap, Node 22 from npm), builds the agent and InfluxDB
 * images with docker-compose (docker-compose.yml plus tests/docker/compose.test.yml, which swaps in
 * the locally built InfluxDB and leaves Grafana out: its image cannot be had here), brings them
 * up, replays a real capture with tcpreplay onto a veth pair whose capture end the agent listens
 * on, and checks: /healthz answers and Docker reports the agent healthy; the agent runs as an
 * unprivileged user with only NET_RAW and NET_ADMIN on a read-only root; InfluxDB has
 * authentication on and listens on 127.0.0.1 only; the agent saw every packet sent, and its
 * devices' windows and its own agent points arrive in InfluxDB. Then everything is taken down.
 *
 * Skipped with the reason where dockerd cannot start (not root, packages missing), or with
 * HOMEWATCH_SKIP_DOCKER=1 (it builds images: minutes).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../helpers/cli.js';
import {
  dockerUnavailable,
  type Engine,
  localCaCertificates,
  startEngine,
} from '../helpers/docker.js';
import { freePort } from '../helpers/influxd.js';
import {
  createLab,
  labUnavailable,
  manifestPackets,
  replayInto,
  SHARED,
  type Lab,
} from '../capture/live/netns.js';
import { replayRecords } from '../sinks/influx/records.js';
import { InfluxDB } from 'influx';

const FILE = 'nku-lifecycle/xiaodu_plug/xiaodu_plug.pcap';
const skip = dockerUnavailable() ?? labUnavailable();
const engine: Engine | string = skip === null ? await startEngine() : skip;
const reason = typeof engine === 'string' ? engine : null;
if (reason !== null) console.log(`docker compose test skipped: ${reason}`);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe.skipIf(reason !== null)('docker compose: the agent and InfluxDB on a real engine', () => {
  const e = engine as Engine;
  const project = `hwtest${process.pid}`;
  const dir = mkdtempSync(join(tmpdir(), 'hw-compose-'));
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  let lab: Lab;
  let ports: { influx: number; rpc: number; init: number; health: number };
  let compose: (args: string[], timeoutMs?: number) => Promise<string>;
  let influx: InfluxDB;
  const timings: Record<string, number> = {};

  const timed = async <T>(what: string, f: () => Promise<T>): Promise<T> => {
    const t = Date.now();
    try {
      return await f();
    } finally {
      timings[what] = Math.round((Date.now() - t) / 1000);
    }
  };

  beforeAll(async () => {
    lab = createLab(true);
    ports = {
      influx: await freePort(),
      rpc: await freePort(),
      init: await freePort(),
      health: await freePort(),
    };
    writeFileSync(join(dir, 'influxdb_password'), `${password}\n`);
    writeFileSync(
      join(dir, 'env'),
      [
        `HOMEWATCH_INTERFACE=${lab.ifCapture}`,
        'HOMEWATCH_WINDOW=5',
        `HOMEWATCH_HEALTH_PORT=${ports.health}`,
        'GRAFANA_ADMIN_PASSWORD=not-started-here',
        `INFLUXDB_PORT=${ports.influx}`,
        `INFLUXDB_RPC_PORT=${ports.rpc}`,
        `INFLUXDB_INIT_PORT=${ports.init}`,
        `INFLUXDB_PASSWORD_FILE=${join(dir, 'influxdb_password')}`,
        'HOMEWATCH_NODE_IMAGE=homewatch/node:22-bookworm-slim',
        `HOMEWATCH_IMAGE=homewatch:${project}`,
        `INFLUXDB_IMAGE=homewatch/influxdb:${project}`,
      ].join('\n') + '\n',
    );
    const base = [
      'docker-compose',
      '-p',
      project,
      '-f',
      'docker-compose.yml',
      '-f',
      'tests/docker/compose.test.yml',
      '--env-file',
      join(dir, 'env'),
    ];
    // The CA of a proxy that re-signs TLS, for npm inside the build (none elsewhere).
    e.env.HOMEWATCH_EXTRA_CA_CERTS = localCaCertificates();
    compose = (args, timeoutMs = 120_000) =>
      e.runAsync(['sh', '-c', `cd "${REPO}" && exec "$@"`, 'sh', ...base, ...args], timeoutMs);

    await timed('base images', () =>
      e.runAsync(['bash', resolve(REPO, 'scripts/docker-base.sh')], 15 * 60_000),
    );
    await timed('build', () => compose(['build', 'homewatch', 'influxdb'], 25 * 60_000));
    await timed('up', () => compose(['up', '-d', 'homewatch', 'influxdb']));
    influx = new InfluxDB({
      host: '127.0.0.1',
      port: ports.influx,
      database: 'homewatch',
      username: 'homewatch',
      password,
    });
  }, 45 * 60_000);

  afterAll(async () => {
    if (reason !== null) return;
    await timed('down', async () => {
      await compose?.(['down', '-v', '--timeout', '5']).catch((err: Error) =>
        console.log(err.message),
      );
      lab?.cleanup();
      await e.stop();
      rmSync(dir, { recursive: true, force: true });
    });
    console.log(`docker compose test (${e.driver} storage), seconds: ${JSON.stringify(timings)}`);
  }, 15 * 60_000);

  const container = (): string => `${project}_homewatch_1`;

  it('reports the agent healthy and answers /healthz', async () => {
    let status = '';
    for (let i = 0; i < 120 && status !== 'healthy'; i++) {
      status = e
        .run(['docker', 'inspect', '--format', '{{.State.Health.Status}}', container()])
        .trim();
      if (status !== 'healthy') await sleep(500);
    }
    expect(status).toBe('healthy');
    const r = await fetch(`http://127.0.0.1:${ports.health}/healthz`);
    expect(r.status).toBe(200);
    expect(await r.text()).toBe('ok\n');
  }, 90_000);

  it('runs the agent unprivileged, with only NET_RAW and NET_ADMIN, on a read-only root', () => {
    const info = JSON.parse(e.run(['docker', 'inspect', container()]))[0] as {
      Config: { User: string };
      HostConfig: {
        ReadonlyRootfs: boolean;
        CapAdd: string[];
        CapDrop: string[];
        NetworkMode: string;
        RestartPolicy: { Name: string };
      };
    };
    expect(info.Config.User).toBe('homewatch');
    expect(info.HostConfig.ReadonlyRootfs).toBe(true);
    expect([...info.HostConfig.CapAdd].sort()).toEqual(['NET_ADMIN', 'NET_RAW']);
    expect(info.HostConfig.CapDrop).toEqual(['ALL']);
    expect(info.HostConfig.NetworkMode).toBe('host');
    expect(info.HostConfig.RestartPolicy.Name).toBe('unless-stopped');
    // The agent process itself: uid 10001, effective capabilities exactly NET_ADMIN (12) + NET_RAW (13).
    const status = e.run(['docker', 'exec', container(), 'cat', '/proc/1/status']);
    expect(status).toMatch(/^Uid:\s+10001\s/m);
    expect(status).toMatch(/^CapEff:\s+0000000000003000$/m);
  });

  it('keeps InfluxDB on 127.0.0.1 with authentication on', async () => {
    const open = await fetch(`http://127.0.0.1:${ports.influx}/query?q=SHOW%20DATABASES`);
    expect(open.status).toBe(401);
    const ss = spawnSync('ss', ['-Hltn', `sport = :${ports.influx}`], {
      encoding: 'utf8',
    }).stdout.trim();
    expect(ss.split('\n').map((l) => l.trim().split(/\s+/)[3])).toEqual([
      `127.0.0.1:${ports.influx}`,
    ]);
  });

  it('captures a replay on the mirror interface and its points arrive in InfluxDB', async () => {
    const expected = manifestPackets(FILE);
    const sent = await replayInto(lab, resolve(SHARED, FILE), 1000);
    expect(sent.sent).toBe(expected);

    // Agent points every 10 s; windows every 5 s of packet time.
    const lastPackets = async (): Promise<number> => {
      const rows = await influx.query<{ p: number }>(
        "SELECT last(packets) AS p FROM agent WHERE run = 'live'",
      );
      return rows.length ? Number(rows[0].p) : 0;
    };
    const until = Date.now() + 40_000;
    while ((await lastPackets()) < expected && Date.now() < until) await sleep(1000);
    expect(await lastPackets()).toBe(expected);
    const windowsWhileRunning = await influx.query(
      'SELECT count(packetsUp) AS n FROM device_window',
    );
    expect(Number((windowsWhileRunning[0] as unknown as { n: number }).n)).toBeGreaterThan(0);

    // A stop (SIGTERM) flushes the open window and delivers it before the container exits.
    await compose(['stop', '--timeout', '10', 'homewatch']);
    const macs = (
      await influx.query<{ value: string }>('SHOW TAG VALUES FROM device_window WITH KEY = "mac"')
    ).map((r) => r.value);
    const offline = await replayRecords([resolve(SHARED, FILE)]);
    const offlineMacs = [
      ...new Set(offline.filter((r) => r.type === 'window').map((r) => (r as { mac: string }).mac)),
    ];
    expect(macs.sort()).toEqual(offlineMacs.sort());
    const [agentTags] = await influx.query<{ value: string }>(
      'SHOW TAG VALUES FROM agent WITH KEY = "source"',
    );
    expect(agentTags.value).toBe(lab.ifCapture);
    const [dropped] = await influx.query<{ d: number }>(
      'SELECT last(points_dropped) AS d FROM agent',
    );
    expect(Number(dropped.d)).toBe(0);
  }, 180_000);
});
