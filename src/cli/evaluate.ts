/**
 * `homewatch evaluate FILE... --labels FILE.json [--json FILE]`: replays the captures with
 * detection on (the same runtime as replay) and scores the alerts against labelled events:
 * per behaviour, events detected and missed, median and worst delay, false alerts per
 * device-hour (DESIGN.md, "Labels for evaluate").
 * @module
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { openCaptureFiles } from '../capture/file/index.js';
import { duration } from '../alerts/words.js';
import { AlertCollector } from '../evaluate/collect.js';
import { readLabels } from '../evaluate/labels.js';
import { score, type Evaluation } from '../evaluate/score.js';
import { runSource } from '../pipeline/run.js';
import { Runtime } from '../pipeline/runtime.js';
import { ScoreRecorder, scoreAucByBehaviour, type WindowAuc } from '../model/window-scores.js';
import { HomewatchError } from '../util/errors.js';
import { modelHelp, openModel } from './model-option.js';
import { nonNegativeSeconds, positiveSeconds, usage } from './options.js';

export const EVALUATE_HELP = `Usage: homewatch evaluate FILE... --labels FILE.json [options]

Replays the capture files (one timeline) with detection on and scores the alerts against the
labelled events: per behaviour, events detected and missed, median and worst delay, and false
alerts per device-hour. An event counts as detected when an alert for its MAC names one of its
behaviours between its start - 60 s and its end + 300 s.

Options:
  --labels FILE.json  the labelled events (DESIGN.md, "Labels for evaluate")
  --json FILE         also write the whole evaluation as JSON ('-' for standard output)
  --window SEC        window length in seconds of packet time (default 60)
  --learn SEC         each device's learning phase in packet time (default 3600)
  --lan CIDR          a local network besides RFC 1918, link-local and ULA (repeatable)
  --allow FILE        what the household accepts (JSON: mac, behaviour, endpoint?, reason)
${modelHelp(22)}
  -h, --help          show this help

With a model, it also reports the anomaly score's ROC AUC per behaviour over the labelled
windows of judged devices (negatives: their windows far from any event).
`;

const OPTIONS = {
  labels: { type: 'string' },
  json: { type: 'string' },
  window: { type: 'string' },
  learn: { type: 'string' },
  lan: { type: 'string', multiple: true },
  allow: { type: 'string' },
  model: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function evaluateCommand(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    throw usage(`evaluate: ${(err as Error).message.split('\n')[0]}`);
  }
  const { values: v, positionals } = parsed;
  if (v.help) {
    process.stdout.write(EVALUATE_HELP);
    return 0;
  }
  if (positionals.length === 0) throw usage('evaluate: name at least one capture file');
  if (v.labels === undefined) throw usage('evaluate: --labels FILE.json is required');
  const events = readLabels(v.labels);
  const source = await openCaptureFiles(positionals);
  const collect = new AlertCollector();
  const windowS = positiveSeconds('window', v.window, 60);
  const model = await openModel(v.model, windowS);
  const scores = model !== undefined ? new ScoreRecorder(model) : undefined;
  const runtime = Runtime.open({
    windowS,
    learnS: nonNegativeSeconds('learn', v.learn, 3600),
    lanCidrs: v.lan ?? [],
    allowFile: v.allow,
    console: false,
    sinks: [collect],
    scorer: scores,
  });
  const { summary } = await runSource(source, runtime);
  const lastTs = summary.lastTs ?? 0;
  const deviceHours = collect.deviceHours(lastTs);
  const result = score(events, collect.alerts, deviceHours);
  const auc = scores !== undefined ? scoreAucByBehaviour(events, scores) : null;
  process.stdout.write(report(result));
  if (auc !== null) process.stdout.write(aucReport(auc));
  if (v.json !== undefined) {
    const text = `${JSON.stringify(auc === null ? result : { ...result, scoreAuc: auc }, null, 1)}\n`;
    if (v.json === '-') process.stdout.write(text);
    else {
      try {
        writeFileSync(v.json, text);
      } catch (err) {
        throw new HomewatchError('ERR_OUTPUT', `--json ${v.json}: ${(err as Error).message}`);
      }
    }
  }
  return 0;
}

/** The score's ROC AUC per behaviour, one line each. */
function aucReport(rows: WindowAuc[]): string {
  if (rows.length === 0) return '\nSCORE AUC: no labelled window of a judged device\n';
  const lines = [
    '',
    'SCORE AUC (anomaly score, labelled windows of judged devices vs their windows far from events)',
  ];
  for (const r of rows)
    lines.push(
      `  ${r.behaviour.padEnd(18)} ${r.auc === null ? '-' : r.auc.toFixed(3)}  (${r.positives} vs ${r.negatives} windows)`,
    );
  return `${lines.join('\n')}\n`;
}

function delay(s: number | null): string {
  return s === null ? '-' : duration(s);
}

/** The evaluation as a table, the missed events and the false alerts. */
export function report(e: Evaluation): string {
  const head = [
    'BEHAVIOUR',
    'EVENTS',
    'DETECTED',
    'MISSED',
    'MEDIAN DELAY',
    'WORST DELAY',
    'FALSE ALERTS',
  ];
  const rows = e.behaviours
    .filter((b) => b.events > 0 || b.falseAlerts > 0)
    .map((b) => [
      b.behaviour,
      String(b.events),
      String(b.detected),
      String(b.missed),
      delay(b.medianDelayS),
      delay(b.worstDelayS),
      String(b.falseAlerts),
    ]);
  const o = e.overall;
  rows.push([
    'all',
    String(o.events),
    String(o.detected),
    String(o.missed),
    delay(o.medianDelayS),
    delay(o.worstDelayS),
    String(o.falseAlerts),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (cells: string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const lines = [fmt(head), ...rows.map(fmt), ''];
  const perWeek = e.falseAlertsPerDeviceHour * 168;
  lines.push(
    `recall ${o.recall === null ? '-' : o.recall.toFixed(3)}; ${o.falseAlerts} false ${o.falseAlerts === 1 ? 'alert' : 'alerts'} in ${e.deviceHours.toFixed(1)} device-hours (${e.falseAlertsPerDeviceHour.toFixed(4)} per device-hour, ${perWeek.toFixed(2)} per device-week)`,
  );
  const missed = e.events.filter((r) => !r.detected);
  if (missed.length > 0) {
    lines.push('', 'MISSED');
    for (const m of missed)
      lines.push(
        `  ${m.mac}  ${m.behaviours.join(',')}  ${new Date(m.start * 1000).toISOString()}`,
      );
  }
  if (e.falseAlerts.length > 0) {
    lines.push('', 'FALSE ALERTS');
    for (const f of e.falseAlerts) lines.push(`  ${f.mac}  ${f.behaviour}  ${f.summary}`);
  }
  return `${lines.join('\n')}\n`;
}
