/**
 * The long-running agent: runs an open LiveSource through the runtime until --duration, a
 * signal, or a failure. Writes an `agent` record every AGENT_INTERVAL_S of wall time and a
 * `summary` with `dropped` at the end; saves the state (devices, baselines, open episodes)
 * every STATE_SAVE_INTERVAL_S and at shutdown; drops root after the capture handle and outputs
 * are open; serves /healthz and /metrics when asked.
 * @module
 */
import type { LiveSource } from '../capture/live/live-source.js';
import { ouiTable } from '../devices/oui.js';
import { preloadPublicSuffixList } from '../features/dns-shape.js';
import { STATE_SAVE_INTERVAL_S } from '../state/agent-state.js';
import { HomewatchError } from '../util/errors.js';
import { AGENT_INTERVAL_S, agentRecord, droppedTotal, healthMetrics } from './agent-metrics.js';
import { startHealthServer, type HealthServer } from './health.js';
import { DEFAULT_USER, dropPrivileges, waitForOutputOpen } from './privileges.js';
import { buildSummary } from './run.js';
import type { Runtime } from './runtime.js';

export interface AgentOptions {
  /** --out path (to wait for its opening before dropping privileges). */
  out: string | undefined;
  /** User to switch to when started as root. */
  user: string | undefined;
  healthPort: number | null;
  /** Warnings go here (one line each, without the program name). */
  warn: (line: string) => void;
}

/** Shutdown must finish within this (issue 3: exit 0 within 5 s of SIGINT/SIGTERM). */
const SHUTDOWN_BUDGET_MS = 4500;

export async function runAgent(
  source: LiveSource,
  runtime: Runtime,
  o: AgentOptions,
): Promise<number> {
  const { pipeline, registry, sink, store } = runtime;
  const binding = source.binding;
  if (!binding.capabilities.countsDrops)
    o.warn(
      `warning: the ${binding.name} binding cannot count kernel drops; 'dropped' covers only the agent queue`,
    );

  let capturing = false;
  let health: HealthServer | null = null;
  let agentTimer: NodeJS.Timeout | null = null;
  let stateTimer: NodeJS.Timeout | null = null;
  let deadline: NodeJS.Timeout | null = null;
  let failure: unknown = null;
  const fail = (err: unknown): void => {
    failure ??= err;
    source.stop();
  };
  const onSignal = (): void => {
    if (deadline !== null) return;
    // Last resort: a shutdown that hangs still ends the process within the budget.
    deadline = setTimeout(() => process.exit(1), SHUTDOWN_BUDGET_MS);
    deadline.unref();
    source.stop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await runtime.start();
    if (o.healthPort !== null) {
      health = await startHealthServer(o.healthPort, {
        capturing: () => capturing,
        metrics: () =>
          healthMetrics(source.liveStats(), registry.devices().length, pipeline.counters.alerts),
      });
    }
    // Least privilege: the capture handle, the output file and the health socket are open, and
    // what is read from disk later is loaded now (the install may not be readable by --user).
    if (o.out !== undefined && o.out !== '-') await waitForOutputOpen(o.out);
    ouiTable();
    preloadPublicSuffixList();
    const drop = dropPrivileges(o.user ?? DEFAULT_USER, store ? [store.dir] : []);
    if (!drop.dropped && (o.user !== undefined || drop.user !== undefined))
      o.warn(`warning: still running as this user: ${drop.reason}`);
    if (store) {
      // Saved once now: proves the (possibly unprivileged) agent can write --state DIR.
      try {
        runtime.saveStateSync();
      } catch (err) {
        const who = drop.dropped ? `user ${drop.user?.name}` : 'this user';
        throw new HomewatchError(
          'ERR_STATE',
          `${(err as Error).message}: ${who} must be able to write --state ${store.dir} (and reach it through its parent directories)`,
        );
      }
    }

    const started = process.hrtime.bigint();
    agentTimer = setInterval(() => {
      sink.write(agentRecord(Date.now() / 1000, source.liveStats()));
      sink.flush().catch(fail);
    }, AGENT_INTERVAL_S * 1000);
    if (store) {
      stateTimer = setInterval(() => {
        runtime.saveState().catch((err: unknown) => {
          // A failed periodic save is reported, not fatal: the next one (or shutdown) retries.
          o.warn(`warning: ${(err as Error).message}`);
        });
      }, STATE_SAVE_INTERVAL_S * 1000);
    }
    capturing = true;
    const stats = await source.run(pipeline.onFrame, {
      afterBatch: () => (sink.backlogged ? sink.flush() : undefined),
    });
    capturing = false;
    runtime.finish();
    const live = source.liveStats();
    sink.write(agentRecord(Date.now() / 1000, live));
    const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    sink.write(buildSummary(pipeline, stats, wallSeconds, droppedTotal(live)));
    runtime.saveStateSync();
    for (const line of await runtime.close()) o.warn(line);
    if (failure !== null) throw failure;
    return 0;
  } finally {
    capturing = false;
    if (agentTimer) clearInterval(agentTimer);
    if (stateTimer) clearInterval(stateTimer);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await health?.close();
  }
}
