/**
 * `homewatch capture`: the long-running agent on a mirror port. Parses the options, opens the
 * LiveSource, and hands it with the runtime (the same as replay's) to the agent loop
 * (src/pipeline/agent.ts).
 * @module
 */
import { parseArgs } from 'node:util';
import type { BindingName } from '../capture/live/binding.js';
import { defaultInterface, listInterfaces } from '../capture/live/interfaces.js';
import { LIVE_DEFAULTS, LiveSource } from '../capture/live/live-source.js';
import { loadLiveBinding } from '../capture/live/load.js';
import { runAgent } from '../pipeline/agent.js';
import { AGENT_INTERVAL_S } from '../pipeline/agent-metrics.js';
import { DEFAULT_USER } from '../pipeline/privileges.js';
import { Runtime, type RuntimeConfig } from '../pipeline/runtime.js';
import * as influxdb from '../sinks/influx/index.js';
import { HomewatchError } from '../util/errors.js';
import { modelHelp, openModel } from './model-option.js';
import { nonNegativeSeconds, PIPELINE_OPTIONS, positiveSeconds, usage } from './options.js';

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
  --learn SEC         each device's learning phase in packet time (default 3600)
  --lan CIDR          a local network besides RFC 1918, link-local and ULA (repeatable)
  --allow FILE        what the household accepts (JSON: mac, behaviour, endpoint?, reason)
  --state DIR         keep what was learned (devices, baselines, open alert episodes,
                      the model's memory) in DIR/state.json across restarts
${modelHelp(22)}
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
  user: { type: 'string' },
  health: { type: 'string' },
  binding: { type: 'string' },
} as const;

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
  const windowS = positiveSeconds('window', v.window, 60);
  const learnS = nonNegativeSeconds('learn', v.learn, 3600);
  const influx = influxdb.parseInfluxConfig(v, process.env, {
    run: 'live',
    retention: influxdb.DEFAULT_RETENTION,
  });
  const durationS = v.duration === undefined ? 0 : positiveSeconds('duration', v.duration, 0);
  const snaplen = integer('snaplen', v.snaplen, LIVE_DEFAULTS.snaplen, 64, 65535);
  const bufferMb = integer('buffer-mb', v['buffer-mb'], LIVE_DEFAULTS.bufferBytes >> 20, 1, 4096);
  const healthPort = v.health === undefined ? null : integer('health', v.health, 0, 0, 65535);
  if (v.binding !== undefined && v.binding !== 'pcap' && v.binding !== 'cap')
    throw usage(`--binding: expected pcap or cap, got '${v.binding}'`);

  const binding = loadLiveBinding(v.binding as BindingName | undefined);
  const iface = v.interface ?? defaultInterface();
  if (iface === undefined) {
    const all = listInterfaces().map((i) => i.name);
    throw new HomewatchError(
      'ERR_CAPTURE_NO_INTERFACE',
      `no non-loopback interface is up (interfaces: ${all.join(', ') || 'none'}); name one with --interface`,
    );
  }

  // State and allow-list first (a damaged state file is set aside with a warning), then the
  // capture handle, then outputs: every usage problem is reported before anything is created.
  const config: RuntimeConfig = {
    windowS,
    learnS,
    lanCidrs: v.lan ?? [],
    out: v.out,
    allowFile: v.allow,
    stateDir: v.state,
    keepEpisodesOpen: v.state !== undefined,
    scorer: await openModel(v.model, windowS),
    influx: influx ? { config: influx, mode: 'live', source: iface } : undefined,
    warn: (line) => process.stderr.write(`homewatch: ${line}\n`),
  };
  const inputs = Runtime.load(config);
  for (const w of inputs.warnings) process.stderr.write(`homewatch: ${w}\n`);

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
    const runtime = Runtime.open(config, inputs);
    return await runAgent(source, runtime, {
      out: v.out,
      user: v.user,
      healthPort,
      warn: (line) => process.stderr.write(`homewatch: ${line}\n`),
    });
  } finally {
    source.stop();
    // node_pcap releases its handle only at the next packet; on a quiet interface its poll
    // watcher would keep the process alive. Everything is written by now: leave once main()
    // has set the exit code.
    setTimeout(() => process.exit(), 100).unref();
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
