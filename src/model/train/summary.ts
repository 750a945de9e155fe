/**
 * What the model card reports, gathered from a training run: the splits, ROC AUC per behaviour,
 * the false-alarm rate against its budget on held-out windows, the policies and the winner.
 * @module
 */
import type { ModelMeta } from '../meta.js';
import type { ModelOutputs, PolicyResult } from './ablation.js';
import type { Card } from './card.js';
import type { CaptureSet } from './collect.js';
import { aucByBehaviour, type AucRow } from './auc.js';
import type { DataSpec, Split } from './sources.js';
import type { WindowTable } from './table.js';

/** One collected capture set and where its rows are. */
export interface SetInfo {
  spec: DataSpec;
  set: CaptureSet;
  from: number;
  to: number;
  deviceHours: number;
  judgedHours: number;
  lastTs: number;
  alerts: import('../../sinks/records.js').AlertRecord[];
  packets: number;
}

export function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

/** The real capture sets of a split in words: collections by size, single captures by name. */
function realSummary(specs: DataSpec[]): string[] {
  const groups = new Map<string, { devices: Set<string>; captures: number }>();
  const single: string[] = [];
  let attacks = 0;
  for (const s of specs) {
    if (s.kind !== 'real') continue;
    if (s.group === '') {
      single.push(s.name);
      continue;
    }
    if (s.expect !== undefined) {
      attacks++;
      continue;
    }
    const g = groups.get(s.group) ?? { devices: new Set<string>(), captures: 0 };
    g.devices.add(s.name.split(' ')[1] ?? s.name);
    g.captures++;
    groups.set(s.group, g);
  }
  return [
    ...[...groups].map(
      ([name, g]) => `${name} (${g.devices.size} devices, ${g.captures} captures)`,
    ),
    ...single,
    ...(attacks > 0 ? [`${attacks} real attack captures (judged per capture, below)`] : []),
  ];
}

export function buildCardData(
  safetyNet: Card['safetyNet'],
  command: string,
  meta: ModelMeta,
  table: WindowTable,
  infos: SetInfo[],
  evalRows: number[],
  out: ModelOutputs & { error: Float64Array },
  policies: PolicyResult[],
  best: PolicyResult,
  won: PolicyResult,
  calErrors: Float64Array,
  calibrationAuc: AucRow[],
): Card {
  const judgedBenign = evalRows.filter((r) => table.benignJudged(r));
  const isReal = new Uint8Array(table.length);
  for (const s of infos) if (s.set.real) for (let r = s.from; r < s.to; r++) isReal[r] = 1;
  const over = (rows: number[]) =>
    rows.filter((r) => out.score[r] >= meta.thresholds.anomaly).length;
  const benignScen = judgedBenign.filter((r) => !isReal[r]);
  const benignReal = judgedBenign.filter((r) => isReal[r]);
  const auc = aucByBehaviour(table, evalRows, out);
  const splits = (['train', 'calibration', 'evaluation'] as Split[]).map((split) => {
    const all = infos.filter((s) => s.spec.split === split);
    // Real attack captures are judged per capture: listed, not counted among the windows.
    const mine = all.filter((s) => s.set.expect === undefined);
    const rows = mine.flatMap((s) => range(s.from, s.to));
    return {
      split,
      scenarios: mine.filter((s) => s.spec.kind === 'scenario').length,
      realSets: mine.filter((s) => s.spec.kind === 'real').length,
      windows: rows.length,
      judged: rows.filter((r) => table.judged[r] === 1).length,
      benignJudged: rows.filter((r) => table.benignJudged(r)).length,
      deviceHours: mine.reduce((n, s) => n + s.deviceHours, 0),
      packets: mine.reduce((n, s) => n + s.packets, 0),
      real: realSummary(all.map((s) => s.spec)),
      shapes: [
        ...new Set(
          mine
            .filter((s) => s.spec.kind === 'scenario')
            .map((s) => s.set.name.replace(/^scenario \d+ /, '')),
        ),
      ],
    };
  });
  return {
    meta,
    command,
    safetyNet,
    splits,
    auc,
    calibrationAuc,
    falseAlarm: {
      budget: meta.calibration.budget,
      calibration: { windows: calErrors.length },
      scenario: { windows: benignScen.length, over: over(benignScen) },
      real: { windows: benignReal.length, over: over(benignReal) },
    },
    policies,
    best: best.policy,
    winner: won.policy,
    parameters: 0,
  };
}
