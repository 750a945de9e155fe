/**
 * `homewatch replay FILE... [--out FILE.jsonl|-] [--window SEC] [--learn SEC] [--lan CIDR]...`
 * @module
 */
import { realpathSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { openCaptureFiles } from '../capture/file/index.js';
import { lanHint } from '../pipeline/lan-hint.js';
import { runSource } from '../pipeline/run.js';
import { Runtime } from '../pipeline/runtime.js';
import { summaryLine } from '../sinks/console.js';
import * as influxdb from '../sinks/influx/index.js';
import { PIPELINE_OPTIONS, nonNegativeSeconds, positiveSeconds, usage } from './options.js';
import { modelHelp, openModel } from './model-option.js';
import { ProgressBar } from './progress.js';

export const REPLAY_HELP = `Usage: homewatch replay FILE... [options]

Reads capture files (pcap, pcapng, optionally .gz) as one timeline, judges every device
against its own normal and writes per-device records and alerts. Without --out, prints a
per-device table and the alerts with their sentences.

Options:
  --out FILE.jsonl   write JSON lines to FILE ('-' for standard output)
  --window SEC       window length in seconds of packet time (default 60)
  --learn SEC        each device's learning phase in packet time (default 3600); 0: no
                     baseline at all, every endpoint is new (short research captures)
  --lan CIDR         a local network besides RFC 1918, link-local and ULA (repeatable)
  --allow FILE       what the household accepts (JSON: mac, behaviour, endpoint?, reason)
  --state DIR        start from, and save to, DIR/state.json (devices, baselines, episodes,
                     the model's memory); points InfluxDB has not accepted wait there
${modelHelp(21)}
  --no-detect        write devices and windows only: no baselines, detectors or alerts
${influxdb.influxHelp(21)}
  -h, --help         show this help
`;

export async function replayCommand(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...PIPELINE_OPTIONS, 'no-detect': { type: 'boolean' } },
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
  const windowS = positiveSeconds('window', values.window, 60);
  const learnS = nonNegativeSeconds('learn', values.learn, 3600);
  const out = values.out;
  if (out !== undefined && out !== '-') refuseInputAsOutput(out, positionals);
  const influxConfig = influxdb.parseInfluxConfig(values, process.env, {
    run: basename(positionals[0]),
    retention: influxdb.REPLAY_RETENTION,
  });

  // Open (and so validate) every input before creating any output.
  const source = await openCaptureFiles(positionals);
  const scorer = values['no-detect'] === true ? undefined : await openModel(values.model, windowS);
  const runtime = Runtime.open({
    windowS,
    learnS,
    lanCidrs: values.lan ?? [],
    out,
    allowFile: values.allow,
    stateDir: values.state,
    keepEpisodesOpen: values.state !== undefined,
    scorer,
    detect: values['no-detect'] !== true,
    influx: influxConfig ? { config: influxConfig, mode: 'replay', source: 'file' } : undefined,
  });
  for (const w of runtime.warnings) process.stderr.write(`homewatch: ${w}\n`);
  await runtime.start();

  const bar = process.stderr.isTTY && out !== '-' ? new ProgressBar(process.stderr) : null;
  const onSignal = (): void => source.stop();
  process.once('SIGINT', onSignal);
  try {
    const { summary } = await runSource(source, runtime, {
      onBatch: bar
        ? () => {
            const p = source.progress?.();
            if (p) bar.update(p.done, p.total, runtime.pipeline.counters.packets);
          }
        : undefined,
    });
    runtime.saveStateSync();
    for (const line of await runtime.close()) process.stderr.write(`homewatch: ${line}\n`);
    // Output went to a file: a person at the terminal still sees what happened.
    if (bar !== null && out !== undefined) {
      bar.clear();
      process.stderr.write(`${summaryLine(summary)}\n`);
    }
    if (summary.devices === 0) {
      const hint = lanHint(runtime.pipeline.senders);
      if (hint !== '') process.stderr.write(`homewatch: ${hint}\n`);
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
