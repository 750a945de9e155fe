/**
 * `homewatch replay FILE... [--out FILE.jsonl|-] [--window SEC] [--learn SEC] [--lan CIDR]...`
 * @module
 */
import { realpathSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { openCaptureFiles } from '../capture/file/index.js';
import { Pipeline } from '../pipeline/pipeline.js';
import { runSource } from '../pipeline/run.js';
import { ConsoleSink, summaryLine } from '../sinks/console.js';
import * as influxdb from '../sinks/influx/index.js';
import { JsonlSink } from '../sinks/jsonl.js';
import { type RecordSink, TeeSink } from '../sinks/records.js';
import {
  PIPELINE_OPTIONS,
  nonNegativeSeconds,
  positiveSeconds,
  refuseUnbuilt,
  usage,
} from './options.js';
import { ProgressBar } from './progress.js';

export const REPLAY_HELP = `Usage: homewatch replay FILE... [options]

Reads capture files (pcap, pcapng, optionally .gz) as one timeline and writes per-device
records. Without --out, prints a per-device table.

Options:
  --out FILE.jsonl   write JSON lines to FILE ('-' for standard output)
  --window SEC       window length in seconds of packet time (default 60)
  --learn SEC        each device's learning phase in packet time (default 3600)
  --lan CIDR         a local network besides RFC 1918, link-local and ULA (repeatable)
  --state DIR        keep points InfluxDB has not accepted in DIR, for the next run
${influxdb.influxHelp(21)}  -h, --help         show this help
`;

export async function replayCommand(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...PIPELINE_OPTIONS, state: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    throw usage(`replay: ${(err as Error).message.split('\n')[0]}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(REPLAY_HELP);
    return 0;
  }
  if (positionals.length === 0)
    throw usage('replay: name at least one capture file (homewatch replay FILE...)');
  refuseUnbuilt(values);
  const windowS = positiveSeconds('window', values.window, 60);
  nonNegativeSeconds('learn', values.learn, 3600);
  const out = values.out;
  if (out !== undefined && out !== '-') refuseInputAsOutput(out, positionals);
  const influxConfig = influxdb.parseInfluxConfig(values, process.env, {
    run: basename(positionals[0]),
    retention: influxdb.REPLAY_RETENTION,
  });

  // Open (and so validate) every input before creating any output.
  const source = await openCaptureFiles(positionals);
  let gatewayMac = (): string | null => null;
  const sinks: RecordSink[] = [];
  if (out !== undefined) sinks.push(new JsonlSink(out));
  else
    sinks.push(
      new ConsoleSink({
        write: (t) => process.stdout.write(t),
        gatewayMac: () => gatewayMac(),
      }),
    );
  const influx = influxConfig
    ? influxdb.openInfluxSink(influxConfig, {
        mode: 'replay',
        stateDir: values.state ?? null,
        source: 'file',
      })
    : null;
  if (influx) sinks.push(influx);
  await influx?.check(2000);
  const sink = sinks.length === 1 ? sinks[0] : new TeeSink(sinks);
  const pipeline = new Pipeline({ windowS, lanCidrs: values.lan ?? [] }, sink);
  gatewayMac = () => pipeline.registry.gateway()?.macStr ?? null;

  const bar = process.stderr.isTTY && out !== '-' ? new ProgressBar(process.stderr) : null;
  const onSignal = (): void => source.stop();
  process.once('SIGINT', onSignal);
  try {
    const { summary } = await runSource(source, pipeline, sink, {
      onBatch: bar
        ? () => {
            const p = source.progress?.();
            if (p) bar.update(p.done, p.total, pipeline.counters.packets);
          }
        : undefined,
    });
    await sink.close();
    if (influx && influxConfig)
      process.stderr.write(
        `homewatch: ${influxdb.deliveryLine(influx.target, influxConfig.run, influx.report())}\n`,
      );
    // Output went to a file: a person at the terminal still sees what happened.
    if (bar !== null && out !== undefined) {
      bar.clear();
      process.stderr.write(`${summaryLine(summary)}\n`);
    }
  } finally {
    bar?.clear();
    process.off('SIGINT', onSignal);
  }
  return 0;
}

/** Nothing the user gave is overwritten: --out must not name one of the inputs. */
function refuseInputAsOutput(out: string, inputs: string[]): void {
  let outId: string;
  try {
    const st = statSync(out);
    outId = `${st.dev}:${st.ino}`;
  } catch {
    return;
  }
  for (const input of inputs) {
    try {
      const st = statSync(input);
      if (`${st.dev}:${st.ino}` === outId)
        throw usage(
          `--out ${out}: that is an input capture (${realpathSync(input)}); choose another file`,
        );
    } catch (err) {
      if (err instanceof Error && 'code' in err && err.code === 'ERR_USAGE') throw err;
    }
  }
}
