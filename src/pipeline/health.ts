/**
 * `--health PORT`: a tiny HTTP server on 127.0.0.1 for a supervisor and for Prometheus.
 *   GET /healthz  200 "ok" while capturing, 503 otherwise
 *   GET /metrics  Prometheus text exposition format 0.0.4
 *                 (https://prometheus.io/docs/instrumenting/exposition_formats/)
 * Bound to loopback only: the agent sits on a mirror port and must not offer a service there.
 * @module
 */

import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { HomewatchError } from '../util/errors.js';

// Loaded when a health endpoint is started, not by every command (node:http takes ~3 ms).
const require = createRequire(import.meta.url);

/** The figures /metrics exposes; read at each scrape. */
export interface HealthMetrics {
  packets: number;
  bytes: number;
  /** Dropped by the kernel ring (null: the binding cannot count). */
  droppedKernel: number | null;
  droppedInterface: number | null;
  droppedQueue: number;
  devices: number;
  alerts: number;
  queueDepth: number;
  lagSeconds: number;
}

export interface HealthProbe {
  capturing(): boolean;
  metrics(): HealthMetrics;
}

export interface HealthServer {
  /** The port actually bound (useful with port 0). */
  readonly port: number;
  close(): Promise<void>;
}

/** Renders the metrics in Prometheus text format. */
export function renderMetrics(m: HealthMetrics): string {
  const lines: string[] = [];
  const metric = (name: string, type: string, help: string, samples: [string, number][]): void => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, v] of samples) lines.push(`${name}${labels} ${formatValue(v)}`);
  };
  metric('homewatch_packets_total', 'counter', 'Packets handed to the pipeline.', [
    ['', m.packets],
  ]);
  metric('homewatch_bytes_total', 'counter', 'Captured bytes handed to the pipeline.', [
    ['', m.bytes],
  ]);
  const dropped: [string, number][] = [['{where="queue"}', m.droppedQueue]];
  if (m.droppedKernel !== null) dropped.unshift(['{where="kernel"}', m.droppedKernel]);
  if (m.droppedInterface !== null) dropped.push(['{where="interface"}', m.droppedInterface]);
  metric(
    'homewatch_dropped_total',
    'counter',
    'Packets lost before the pipeline: kernel ring full, interface/driver, agent queue full.',
    dropped,
  );
  metric('homewatch_devices', 'gauge', 'Devices known.', [['', m.devices]]);
  metric('homewatch_alerts_total', 'counter', 'Alerts raised.', [['', m.alerts]]);
  metric('homewatch_queue_depth', 'gauge', 'Frames waiting in the agent queue.', [
    ['', m.queueDepth],
  ]);
  metric(
    'homewatch_lag_seconds',
    'gauge',
    'Wall clock minus packet time of the last packet processed.',
    [['', m.lagSeconds]],
  );
  return `${lines.join('\n')}\n`;
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/** Starts the server on 127.0.0.1:port; rejects with ERR_USAGE when the port is taken. */
export function startHealthServer(port: number, probe: HealthProbe): Promise<HealthServer> {
  const { createServer } = require('node:http') as typeof import('node:http');
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    } else if (path === '/healthz') {
      const ok = probe.capturing();
      res
        .writeHead(ok ? 200 : 503, { 'Content-Type': 'text/plain; charset=utf-8' })
        .end(ok ? 'ok\n' : 'not capturing\n');
    } else if (path === '/metrics') {
      res
        .writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' })
        .end(renderMetrics(probe.metrics()));
    } else {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n');
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(
        new HomewatchError(
          'ERR_USAGE',
          `--health ${port}: cannot listen on 127.0.0.1 (${err.code ?? err.message})`,
          {
            cause: err,
          },
        ),
      );
    });
    server.listen(port, '127.0.0.1', () => {
      const bound = (server.address() as AddressInfo).port;
      resolve({
        port: bound,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
