/**
 * `homewatch capture`: the long-running agent on a mirror port. Runs the same Pipeline as
 * replay on a LiveSource; writes an `agent` record every 10 s of wall time and a `summary` with
 * `dropped` at the end; saves what it learned in --state DIR; drops root after opening the
 * capture; serves /healthz and /metrics with --health PORT.
 * @module
 */
import { parseArgs } from 'node:util';
import type { BindingName } from '../capture/live/binding.js';
import { defaultInterface, listInterfaces } from '../capture/live/interfaces.js';
import { LIVE_DEFAULTS, LiveSource } from '../capture/live/live-source.js';
import { loadLiveBinding } from '../capture/live/load.js';
import {
  AGENT_INTERVAL_S,
  agentRecord,
  droppedTotal,
  healthMetrics,
} from '../pipeline/agent-metrics.js';
import { startHealthServer, type HealthServer } from '../pipeline/health.js';
import { Pipeline } from '../pipeline/pipeline.js';
import { DEFAULT_USER, dropPrivileges, waitForOutputOpen } from '../pipeline/privileges.js';
import { buildSummary } from '../pipeline/run.js';
import { ConsoleSink } from '../sinks/console.js';
import * as influxdb from '../sinks/influx/index.js';
import { JsonlSink } from '../sinks/jsonl.js';
import { type RecordSink, TeeSink } from '../sinks/records.js';
import {
  openRegistry,
  saveState,
  stateParts,
  STATE_SAVE_INTERVAL_S,
} from '../state/agent-state.js';
import { StateStore } from '../state/state-file.js';
import { ouiTable } from '../devices/oui.js';
import type { DeviceRegistry } from '../devices/registry.js';
import { HomewatchError } from '../util/errors.js';
import { PIPELINE_OPTIONS, positiveSeconds, refuseUnbuilt, usage } from './options.js';

export const CAPTURE_HELP = `Usage: homewatch capture [--interface IF] [options]

Watches a network interface (a switch's mirror port) and writes per-device records, an
'agent' record every ${AGENT_INTERVAL_S} s and a summary at the end. Stops on SIGINT/SIGTERM
or after --duration.

Options:
  -i, --interface IF  interface to capture on (default: first non-loopback interface up;
                      see homewatch interfaces); 'any' on the router itself (Linux)
  --filter BPF        libpcap filter expression
  --snaplen N         bytes kept per packet (default ${LIVE_DEFAULTS.snaplen})
  --buffer-mb N       kernel capture buffer in MiB (default ${LIVE_DEFAULTS.bufferBytes >> 20})
  --duration SEC      stop after SEC seconds of wall time
  --out FILE.jsonl    write JSON lines to FILE ('-' for standard output)
  --window SEC        window length in seconds of packet time (default 60)
  --lan CIDR          a local network besides RFC 1918, link-local and ULA (repeatable)
  --state DIR         keep what was learned (devices) in DIR/state.json across restarts
  --user NAME         user to switch to after opening the capture when started as root
                      (default ${DEFAULT_USER})
  --health PORT       serve /healthz and /metrics on 127.0.0.1:PORT
  --binding NAME      libpcap binding: pcap (default; counts drops) or cap
${influxdb.influxHelp(22)}  -h, --help          show this help
`;

const CAPTURE_OPTIONS = {
  ...PIPELINE_OPTIONS,
  interface: { type: 'string', short: 'i' },
  filter: { type: 'string' },
  snaplen: { type: 'string' },
  'buffer-mb': { type: 'string' },
  duration: { type: 'string' },
  state: { type: 'string' },
  user: { type: 'string' },
  health: { type: 'string' },
  binding: { type: 'string' },
} as const;

/** Shutdown must finish within this (issue 3: exit 0 within 5 s of SIGINT/SIGTERM). */
const SHUTDOWN_BUDGET_MS = 4500;

export async function captureCommand(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: CAPTURE_OPTIONS, strict: true });
  } catch (err) {
    throw usage(`capture: ${(err as Error).message.split('\n')[0]}`);
  }
  const v = parsed.values;
  if (v.help) {
    process.stdout.write(CAPTURE_HELP);
    return 0;
  }
  refuseUnbuilt(v);
  const windowS = positiveSeconds('window', v.window, 60);
  const durationS = v.duration === undefined ? 0 : positiveSeconds('duration', v.duration, 0);
  const snaplen = integer('snaplen', v.snaplen, LIVE_DEFAULTS.snaplen, 64, 65535);
  const bufferMb = integer('buffer-mb', v['buffer-mb'], LIVE_DEFAULTS.bufferBytes >> 20, 1, 4096);
  const healthPort = v.health === undefined ? null : integer('health', v.health, 0, 0, 65535);
  if (v.binding !== undefined && v.binding !== 'pcap' && v.binding !== 'cap')
    throw usage(`--binding: expected pcap or cap, got '${v.binding}'`);
  const influx = influxdb.parseInfluxConfig(v, process.env, {
    run: 'live',
    retention: influxdb.DEFAULT_RETENTION,
  });

  const binding = loadLiveBinding(v.binding as BindingName | undefined);
  const iface = v.interface ?? defaultInterface();
  if (iface === undefined) {
    const all = listInterfaces().map((i) => i.name);
    throw new HomewatchError(
      'ERR_CAPTURE_NO_INTERFACE',
      `no non-loopback interface is up (interfaces: ${all.join(', ') || 'none'}); name one with --interface`,
    );
  }

  // State first (a damaged file is set aside with a warning), then the capture handle, then
  // outputs: every usage problem is reported before anything is created.
  const store = v.state === undefined ? null : new StateStore(v.state);
  const { registry, warnings } = openRegistry(store, v.lan ?? []);
  for (const w of warnings) process.stderr.write(`homewatch: ${w}\n`);

  const source = new LiveSource({
    iface,
    binding,
    snaplen,
    bufferBytes: bufferMb * 1024 * 1024,
    filter: v.filter ?? '',
    durationS,
  });
  try {
    source.open();
  } catch (err) {
    // A handle opened to diagnose the failure (LiveSource's filter probe) may hold the event loop
    // until its next packet, like any node_pcap handle: leave once main() has reported.
    setTimeout(() => process.exit(), 100).unref();
    throw err;
  }
  try {
    return await runAgent(source, store, registry, {
      out: v.out,
      user: v.user,
      windowS,
      lanCidrs: v.lan ?? [],
      healthPort,
      influx,
    });
  } finally {
    source.stop();
    // node_pcap releases its handle only at the next packet; on a quiet interface its poll
    // watcher would keep the process alive. Everything is written by now: leave once main()
    // has set the exit code.
    setTimeout(() => process.exit(), 100).unref();
  }
}

interface AgentOptions {
  out: string | undefined;
  user: string | undefined;
  windowS: number;
  lanCidrs: string[];
  healthPort: number | null;
  influx: influxdb.InfluxConfig | null;
}

/** Runs the open source through the pipeline until --duration, a signal, or a failure. */
async function runAgent(
  source: LiveSource,
  store: StateStore | null,
  registry: DeviceRegistry,
  o: AgentOptions,
): Promise<number> {
  const binding = source.binding;
  if (!binding.capabilities.countsDrops)
    process.stderr.write(
      `homewatch: warning: the ${binding.name} binding cannot count kernel drops; 'dropped' covers only the agent queue\n`,
    );
  const out: RecordSink =
    o.out !== undefined
      ? new JsonlSink(o.out)
      : new ConsoleSink({
          write: (t) => process.stdout.write(t),
          gatewayMac: () => registry.gateway()?.macStr ?? null,
        });
  const influx =
    o.influx &&
    influxdb.openInfluxSink(o.influx, {
      mode: 'live',
      stateDir: store?.dir ?? null,
      source: source.name,
      malformed: (): number => pipeline.counters.malformed,
      warn: (line) => process.stderr.write(`homewatch: ${line}\n`),
    });
  await influx?.check(2000);
  const sink = influx ? new TeeSink([out, influx]) : out;
  const pipeline = new Pipeline({ windowS: o.windowS, lanCidrs: o.lanCidrs }, sink, registry);

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
    const drop = dropPrivileges(o.user ?? DEFAULT_USER, store ? [store.dir] : []);
    if (!drop.dropped && (o.user !== undefined || drop.user !== undefined))
      process.stderr.write(`homewatch: warning: still running as this user: ${drop.reason}\n`);
    if (store) {
      // Saved once now: proves the (possibly unprivileged) agent can write --state DIR.
      try {
        store.saveSync(stateParts(registry), Date.now() / 1000);
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
        saveState(store, registry).catch((err: unknown) => {
          // A failed periodic save is reported, not fatal: the next one (or shutdown) retries.
          process.stderr.write(`homewatch: warning: ${(err as Error).message}\n`);
        });
      }, STATE_SAVE_INTERVAL_S * 1000);
    }
    capturing = true;
    const stats = await source.run(pipeline.onFrame, {
      afterBatch: () => (sink.backlogged ? sink.flush() : undefined),
    });
    capturing = false;
    pipeline.finish();
    const live = source.liveStats();
    sink.write(agentRecord(Date.now() / 1000, live));
    const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    sink.write(buildSummary(pipeline, stats, wallSeconds, droppedTotal(live)));
    if (store) store.saveSync(stateParts(registry), Date.now() / 1000);
    await sink.close();
    if (influx && o.influx)
      process.stderr.write(
        `homewatch: ${influxdb.deliveryLine(influx.target, o.influx.run, influx.report())}\n`,
      );
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

/** An integer option within [min, max]. */
function integer(
  name: string,
  value: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw usage(`--${name}: expected an integer from ${min} to ${max}, got '${value}'`);
  return n;
}
