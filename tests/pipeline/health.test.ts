import { afterEach, describe, expect, it } from 'vitest';
import {
  renderMetrics,
  startHealthServer,
  type HealthMetrics,
  type HealthServer,
} from '../../src/pipeline/health.js';

const METRICS: HealthMetrics = {
  packets: 6428,
  bytes: 1324723,
  droppedKernel: 3,
  droppedInterface: 0,
  droppedQueue: 2,
  devices: 4,
  alerts: 1,
  queueDepth: 17,
  lagSeconds: 0.25,
};

/** Parses Prometheus text format 0.0.4 into sample name{labels} → value, checking each line. */
function parse(text: string): Map<string, number> {
  const out = new Map<string, number>();
  const typed = new Set<string>();
  for (const line of text.trimEnd().split('\n')) {
    const t = /^# TYPE (\w+) (counter|gauge)$/.exec(line);
    if (t) {
      typed.add(t[1]);
      continue;
    }
    if (/^# HELP \w+ .+$/.test(line)) continue;
    const s = /^(\w+)(\{[a-z]+="[a-z]+"\})? (\S+)$/.exec(line);
    expect(s, line).not.toBeNull();
    if (!s) continue;
    expect(typed.has(s[1]), `${s[1]} has a TYPE line before its samples`).toBe(true);
    out.set(s[1] + (s[2] ?? ''), Number(s[3]));
  }
  return out;
}

describe('health server', () => {
  let server: HealthServer | null = null;
  afterEach(async () => {
    await server?.close();
    server = null;
  });

  it('renders every metric the issue names, with drops split by where they happened', () => {
    const m = parse(renderMetrics(METRICS));
    expect(Object.fromEntries(m)).toEqual({
      homewatch_packets_total: 6428,
      homewatch_bytes_total: 1324723,
      'homewatch_dropped_total{where="kernel"}': 3,
      'homewatch_dropped_total{where="queue"}': 2,
      'homewatch_dropped_total{where="interface"}': 0,
      homewatch_devices: 4,
      homewatch_alerts_total: 1,
      homewatch_queue_depth: 17,
      homewatch_lag_seconds: 0.25,
    });
  });

  it('leaves out kernel drops a binding cannot count rather than reporting 0', () => {
    const m = parse(renderMetrics({ ...METRICS, droppedKernel: null, droppedInterface: null }));
    expect([...m.keys()].filter((k) => k.startsWith('homewatch_dropped_total'))).toEqual([
      'homewatch_dropped_total{where="queue"}',
    ]);
  });

  it('serves /healthz (200 while capturing, 503 after) and /metrics on 127.0.0.1', async () => {
    let capturing = true;
    server = await startHealthServer(0, { capturing: () => capturing, metrics: () => METRICS });
    const base = `http://127.0.0.1:${server.port}`;
    const ok = await fetch(`${base}/healthz`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('ok\n');
    const metrics = await fetch(`${base}/metrics`);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(parse(await metrics.text()).get('homewatch_packets_total')).toBe(6428);
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    capturing = false;
    expect((await fetch(`${base}/healthz`)).status).toBe(503);
  });

  it('a port in use is a one-line usage error', async () => {
    server = await startHealthServer(0, { capturing: () => true, metrics: () => METRICS });
    await expect(
      startHealthServer(server.port, { capturing: () => true, metrics: () => METRICS }),
    ).rejects.toMatchObject({ code: 'ERR_USAGE', message: expect.stringMatching(/EADDRINUSE/) });
  });
});
