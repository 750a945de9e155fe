/**
 * MODEL.md, the model card `homewatch train` writes beside the weights: data, features and
 * schema version, architecture, calibration and thresholds, the training command, the
 * evaluation (ROC AUC per behaviour, false-alarm rate against its budget) and the ablation of
 * alert policies with the one shipped and why. Everything in it comes from the training run;
 * it holds no wall-clock figure, so the same seed writes the same card.
 * @module
 */
import { statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { duration } from '../../alerts/words.js';
import type { ModelMeta } from '../meta.js';
import { DEFAULT_SIZES } from '../network.js';
import {
  detections,
  FALSE_ALERTS_GOAL_PER_DEVICE_WEEK,
  goalsMet,
  mistakes,
  RECALL_GOAL,
  type PolicyName,
  type PolicyResult,
} from './ablation.js';

export interface SplitSummary {
  split: string;
  scenarios: number;
  realSets: number;
  windows: number;
  judged: number;
  benignJudged: number;
  deviceHours: number;
  packets: number;
  real: string[];
  shapes: string[];
}

import { aucSections, type AucRow } from './auc.js';
import { f3, table } from './markdown.js';

export type { AucRow } from './auc.js';

export interface Card {
  meta: ModelMeta;
  command: string;
  splits: SplitSummary[];
  auc: AucRow[];
  /** The same on the calibration split: the figures the model's changes were chosen on. */
  calibrationAuc: AucRow[];
  falseAlarm: {
    budget: number;
    calibration: { windows: number };
    scenario: { windows: number; over: number };
    real: { windows: number; over: number };
  };
  policies: PolicyResult[];
  best: PolicyName;
  /** The row the rule picked (differs from `best` only when the runtime cannot run it yet). */
  winner: PolicyName;
  /** Per behaviour: its events, and how many the model's anomaly alone caught. */
  safetyNet: { behaviour: string; events: number; caught: number }[];
  parameters: number;
}

const POLICY_WORDS: Record<PolicyName, string> = {
  detectors: 'detectors alone (model: score and behaviours in window records, no alerts)',
  model: 'model alone (anomaly + head behaviours above their thresholds)',
  'detectors+anomaly': 'detectors + anomaly for a high score no detector finding explains',
  'detectors+model': 'detectors + anomaly + head behaviours the detectors did not name',
};

function delay(v: number | null): string {
  return v === null ? '–' : duration(v);
}

function perWeek(n: number, hours: number): string {
  return hours > 0 ? ((n / hours) * 168).toFixed(2) : '–';
}

function sizeOnDisk(dir: string): number {
  let n = 0;
  for (const f of ['model.json', 'weights.bin']) {
    try {
      n += statSync(join(dir, f)).size;
    } catch {
      // not written yet
    }
  }
  return n;
}

export function renderCard(c: Card, dir: string): string {
  const m = c.meta;
  const F = m.features.names.length;
  const X = m.encoding.context.length;
  const R = F + X;
  const A = 2 * F + m.kinds.length;
  const HI = A + X;
  const B = m.behaviours.length;
  const { aeHidden: H, aeCode: C, headHidden: G } = DEFAULT_SIZES;
  const params = A * H + H + H * C + C + C * H + H + H * R + R + HI * G + G + G * B + B;
  const best = c.policies.find((p) => p.policy === c.best) as PolicyResult;
  const det = c.policies.find((p) => p.policy === 'detectors') as PolicyResult;
  const out: string[] = [];
  out.push('# Model card');
  out.push('');
  out.push(
    `${m.description}, for Homewatch's per-device windows (${m.windowS} s). Written by \`homewatch train\`; every figure below comes from that run (seed ${m.training.seed}), none from a file tuned by hand.`,
  );
  out.push('');
  out.push('## What it does');
  out.push('');
  out.push(
    `- **score** (every window of a judged device): how rare the window's reconstruction error is among benign windows, calibrated so that **0.5 is the false-alarm budget of ${m.calibration.budget} per judged window** (one benign window in ${Math.round(1 / m.calibration.budget).toLocaleString('en-US')}), 1.0 its square, 0 the benign median or below. A device still in its learning phase scores 0: it has no normal to be judged against.`,
  );
  out.push(
    `- **behaviours**: the head's probability for each of ${B} named behaviours (${m.behaviours.join(', ')}), on every window.`,
  );
  out.push(
    `- **anomaly** alerts: ${m.policy.anomalyAlerts ? `raised for a score ≥ ${m.thresholds.anomaly} when no detector finding on the device explains it (in the window or the ${m.policy.explainS / 60} min before); the alert names the ${3} features with the largest share of the error, with the window's value and the device's normal.` : 'not raised by this model (see the ablation: the policy that won keeps the detectors alone for alerts; score and behaviours go to the window records and dashboards).'}`,
  );
  out.push('');
  out.push('## Inputs');
  out.push('');
  out.push(
    `Feature schema **v${m.features.schemaVersion}**, ${F} features in this order: ${m.features.names.map((n) => `\`${n}\``).join(', ')}. A model trained on another schema (names, order or version) or window length is refused when loaded.`,
  );
  out.push('');
  out.push(
    `Per feature: **z**, the window's value against the device's own baseline (robust z on a log2 scale: (log2(1+v) − median) / max(IQR/1.349, ${m.encoding.minSpread}) — a floor of ${m.encoding.minSpread} octave where the baseline's own is a quarter, because a quiet device's counts are so steady that a doubling would otherwise be a 4-sigma event — squashed to ±${m.encoding.zClip} and divided by ${m.encoding.zScale}; 0 while the baseline is empty); the baseline's **median** (the device's normal, standardised); the window's **level** log2(1+v) (standardised, squashed to ±${m.encoding.zClip} as z — a feature that is 0 in nearly every training window has a tiny spread, and its first count would otherwise be an input of 50–100; head only). Plus the device **kind** one-hot over ${m.kinds.map((k) => `\`${k}\``).join(', ')} (any other kind is \`unknown\`; ${Math.round(0.25 * 100)} % of training windows were shown as \`unknown\`).`,
  );
  out.push('');
  out.push(
    `Plus ${X} **context** inputs (src/model/context.ts): what was new to the device lately, from the window's evidence against its baseline — ${m.encoding.context.map((n) => `\`${n}\``).join(', ')}: flows to remote endpoints the baseline does not know, the regularity × octaves of contacts of a regular contact to such an endpoint, accepted inbound connections above the device's normal, DNS queries under domains it never used, repeat contact to one endpoint the baseline does not know (windows with a contact, each count halving every ${m.encoding.contextHalfLives.repeatsS / 60} min: the octaves of the repeats beyond the first, so a one-off new endpoint is none), port mappings asked for (UPnP, NAT-PMP, PCP) above the device's normal (octaves, log2(1+count)). Each is held from window to window, halving every ${m.encoding.contextHalfLives.heldS / 60} min of packet time (port mappings: ${m.encoding.contextHalfLives.portMapsS / 60} min — a mapped port stays open for its lease, and what comes through it may come much later), because a behaviour lasts longer than its traffic: a slow beacon leaves most windows of its span empty, DGA bursts come minutes apart, an exposed port is hit now and then; a window judged alone cannot tell such a gap from a quiet minute. An octave counts as ${m.encoding.contextZ} units of z, squashed and scaled as z. A model of an older format (other inputs) is refused when loaded.`,
  );
  out.push('');
  out.push('## Architecture');
  out.push('');
  out.push(
    `One TensorFlow.js layers model, two independent branches (${params.toLocaleString('en-US')} parameters, ${(sizeOnDisk(dir) / 1024).toFixed(0)} KiB on disk as model.json + weights.bin):`,
  );
  out.push('');
  out.push(
    `- autoencoder: [z, median, kind] (${A}) → ${H} tanh → ${C} tanh → ${H} tanh → ${R} linear, reconstructing z and the context inputs (mean squared error, trained on benign windows of judged devices only). The context is a target, not an input: the autoencoder must predict from the window's features what was new to the device (a busy window explains a new endpoint or two), so something new that the window does not explain leaves a residual, where a copy would have reconstructed it;`,
  );
  out.push(
    `- head: [z, context, level, kind] (${HI}) → ${G} relu → ${B} sigmoid (binary cross-entropy per behaviour, positives weighted up to 50×, \`also\` labels masked).`,
  );
  out.push('');
  out.push(
    `The error of a window is the weighted mean over reconstructed inputs of the squared residual divided by that input's mean squared residual on benign training windows (floored at the median over inputs, so that a feature that hardly ever moves in the generated homes cannot make an ordinary move on a real device an outlier), a context input weighing ${m.contextErrorWeight} times a feature's z (it sums up the window's evidence of one kind of thing new to the device, where a behaviour moves several z together); the inputs named in an alert are, of those the window moved at least one unit of z off the device's normal (a context input: at least one octave of something new), the ones with the largest share of it. Replay scores windows with a plain forward pass of the same weights in typed arrays (equal to TensorFlow.js within 1e-4, tested).`,
  );
  out.push('');
  out.push('## Data');
  out.push('');
  out.push(
    "Labelled scenarios of `datasets/generator` (every behaviour injected into a device after a benign period with the benign traps, generated at training time and deleted), and the real benign captures of `../shared/datasets`. A window of the labelled MAC that overlaps an event carries its behaviours; `also` behaviours and windows within the evaluation's tolerance (60 s before, 300 s after) are masked and are not benign. Training, calibration and evaluation use disjoint seeds, home sizes, lengths and start times; real captures are split by device.",
  );
  out.push('');
  out.push(
    table(
      [
        'split',
        'scenarios',
        'homes (devices, hours)',
        'real captures',
        'windows',
        'judged',
        'benign judged',
        'device-hours (first packet to end)',
      ],
      c.splits.map((s) => [
        s.split,
        String(s.scenarios),
        s.shapes.join('; ') || '–',
        s.real.length > 0 ? s.real.join('; ') : '–',
        s.windows.toLocaleString('en-US'),
        s.judged.toLocaleString('en-US'),
        s.benignJudged.toLocaleString('en-US'),
        s.deviceHours.toFixed(0),
      ]),
    ),
  );
  out.push('');
  out.push('## Training');
  out.push('');
  out.push('```sh');
  out.push(c.command);
  out.push('```');
  out.push('');
  out.push(
    `Seed ${m.training.seed}; backend ${m.training.backend}; autoencoder ${m.training.epochs.ae} epochs, head ${m.training.epochs.head} epochs, batch 256, Adam 2e-3; rows ${Object.entries(
      m.training.rows,
    )
      .map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`)
      .join(
        ', ',
      )}. The same seed on the same backend rebuilds the same bytes (model.json, weights.bin and this card; tests/model/train.test.ts); another backend (tfjs-node) rounds differently and gives a close but not identical model.`,
  );
  out.push('');
  out.push('## Calibration and thresholds');
  out.push('');
  const cal = m.calibration;
  out.push(
    `Score calibrated on ${cal.windows.toLocaleString('en-US')} benign judged calibration windows: empirical quantiles down to p = ${cal.p[cal.p.length - 1]} (error ${cal.errors[cal.errors.length - 1]}), an exponential tail beyond (scale ${cal.tailScale}). Anomaly threshold: score ${m.thresholds.anomaly}.`,
  );
  out.push('');
  out.push(
    `Held-out check of the budget (${m.calibration.budget} per judged benign window): ${c.falseAlarm.scenario.over} of ${c.falseAlarm.scenario.windows.toLocaleString('en-US')} generated (${rate(c.falseAlarm.scenario.over, c.falseAlarm.scenario.windows)}), ${c.falseAlarm.real.over} of ${c.falseAlarm.real.windows.toLocaleString('en-US')} real (${rate(c.falseAlarm.real.over, c.falseAlarm.real.windows)}) benign judged evaluation windows score ≥ ${m.thresholds.anomaly}.`,
  );
  out.push('');
  out.push(
    'Head thresholds (the probability above which a behaviour would be raised, the 1 − budget quantile of the calibration windows without it, at least 0.5):',
  );
  out.push('');
  out.push(
    table(
      ['behaviour', 'threshold'],
      m.behaviours.map((b) => [b, String(m.thresholds.behaviours[b])]),
    ),
  );
  out.push('');
  out.push(...aucSections(c.auc, c.calibrationAuc));
  out.push('## Ablation: how model and detectors combine into alerts');
  out.push('');
  out.push(
    `Held-out evaluation sets only (${c.splits.find((s) => s.split === 'evaluation')?.scenarios ?? 0} generated homes and the real benign captures of the evaluation split). Each policy replays the same recorded windows through the real alert episodes and is scored as \`homewatch evaluate\` scores: an event is detected when an alert for its MAC names one of its behaviours between 60 s before its start and 300 s after its end. False alerts per device-week count every alert episode that matches no event, on generated and real captures together.`,
  );
  out.push('');
  out.push(
    table(
      [
        'policy',
        'events detected',
        'recall',
        'median delay',
        'real attack captures named',
        'false alerts (generated / real)',
        'false alerts per device-week',
      ],
      c.policies.map((p) => [
        `${p.policy === c.best ? '**' : ''}${POLICY_WORDS[p.policy]}${p.policy === c.best ? '** (shipped)' : ''}`,
        `${p.overall.detected} / ${p.overall.events}`,
        f3(p.overall.recall),
        delay(p.overall.medianDelayS),
        p.attacks.length > 0
          ? `${p.attacks.filter((a) => a.hit).length} / ${p.attacks.length}`
          : '–',
        `${p.scenarioFalse} / ${p.realFalse}`,
        p.falsePerDeviceWeek.toFixed(2),
      ]),
    ),
  );
  out.push('');
  out.push('Per behaviour (recall, median delay, false alerts per device-week of that behaviour):');
  out.push('');
  const hours = det.scenarioDeviceHours + det.realDeviceHours;
  const names = det.behaviours
    .filter((b) =>
      c.policies.some((p) => {
        const r = p.behaviours.find((x) => x.behaviour === b.behaviour);
        return (r?.events ?? 0) > 0 || (r?.falseAlerts ?? 0) > 0;
      }),
    )
    .map((b) => b.behaviour);
  out.push(
    table(
      ['behaviour', ...c.policies.map((p) => p.policy)],
      names.map((b) => [
        b,
        ...c.policies.map((p) => {
          const r = p.behaviours.find((x) => x.behaviour === b);
          if (r === undefined) return '–';
          return `${r.events > 0 ? `${f3(r.recall)}, ${delay(r.medianDelayS)}` : '–'}; ${perWeek(r.falseAlerts, hours)}`;
        }),
      ]),
    ),
  );
  out.push('');
  out.push(
    `Device-hours: ${det.scenarioDeviceHours.toFixed(0)} generated (each device's first packet to the end, as \`evaluate\` counts them), ${det.realDeviceHours.toFixed(1)} real (hours with traffic: some of these captures span days with a few packets), of which ${det.realJudgedHours.toFixed(1)} past the learning phase — most real captures here are shorter than the one-hour learning phase, so neither the model nor the baseline detectors judge them.`,
  );
  out.push('');
  if (det.attacks.length > 0) {
    out.push('');
    out.push(
      'Real attack captures (issue "Detection", point 8), replayed with `--learn 0` (they last seconds to minutes, so there is no baseline and the anomaly score has nothing to compare with): what each policy named, ✓ when it named the expected behaviour (`new_device` aside: every device of such a capture is new).',
    );
    out.push('');
    out.push(
      table(
        ['capture', 'expected', ...c.policies.map((p) => p.policy)],
        det.attacks.map((a, i) => [
          a.name,
          a.expect,
          ...c.policies.map((p) => {
            const r = p.attacks[i];
            return `${r.hit ? '✓' : '✗'} ${r.named.join(', ') || '–'}`;
          }),
        ]),
      ),
    );
    out.push('');
  }
  const model = c.policies.find((p) => p.policy === 'model');
  if (c.safetyNet.length > 0 && model !== undefined) {
    const fa = model.falseByBehaviour.anomaly ?? 0;
    out.push('### The anomaly score as a safety net');
    out.push('');
    out.push(
      `What \`anomaly\` alone (no detector, no head) would catch of each behaviour — what it would catch of a new threat no detector knows, measured on known ones — at ${fa} false alerts in the same held-out data (${perWeek(fa, model.scenarioDeviceHours + model.realDeviceHours)} per device-week):`,
    );
    out.push('');
    out.push(
      table(
        ['behaviour', 'events', 'caught by anomaly alone'],
        c.safetyNet.map((n) => [
          n.behaviour,
          String(n.events),
          `${n.caught} (${f3(n.events > 0 ? n.caught / n.events : null)})`,
        ]),
      ),
    );
    out.push('');
  }
  out.push('## The policy shipped');
  out.push('');
  out.push(`**${POLICY_WORDS[best.policy]}**: ${explainChoice(best, c.policies)}`);
  if (c.winner !== c.best)
    out.push(
      '',
      `The rule picked **${POLICY_WORDS[c.winner]}**, which needs alerts for the head's named behaviours (or no detectors): the runtime cannot raise those yet (a WindowScorer gives one \`anomaly\` finding a window), so the best row it can run ships.`,
    );
  out.push('');
  out.push('## Against the goals (issue "The model")');
  out.push('');
  const goals = [
    [
      'recall ≥ 0.95 for every named behaviour',
      best.behaviours
        .filter((b) => b.events > 0 && (b.recall ?? 0) < 0.95)
        .map((b) => `${b.behaviour} ${f3(b.recall)}`),
    ],
    [
      `≤ ${FALSE_ALERTS_GOAL_PER_DEVICE_WEEK} false alert per device-week`,
      best.falsePerDeviceWeek > FALSE_ALERTS_GOAL_PER_DEVICE_WEEK
        ? [`${best.falsePerDeviceWeek.toFixed(2)}`]
        : [],
    ],
    [
      'ROC AUC ≥ 0.95 for every behaviour (score)',
      c.auc
        .filter((a) => a.scoreAuc !== null && a.scoreAuc < 0.95)
        .map((a) => `${a.behaviour} ${f3(a.scoreAuc)}`),
    ],
  ] as const;
  for (const [goal, misses] of goals)
    out.push(`- ${goal}: ${misses.length === 0 ? 'met' : `**missed** (${misses.join(', ')})`}`);
  out.push(
    `- median delay under 2 min for bursts, under 15 min for slow beacons: ${best.behaviours
      .filter((b) => b.events > 0)
      .map((b) => `${b.behaviour} ${delay(b.medianDelayS)}`)
      .join(', ')}`,
  );
  out.push('');
  out.push('A missed goal is reported as measured, never tuned away on the evaluation sets.');
  out.push('');
  return out.join('\n');
}

function rate(over: number, n: number): string {
  return n > 0 ? `${(over / n).toExponential(1)} per window` : '–';
}

function explainChoice(best: PolicyResult, all: PolicyResult[]): string {
  const parts: string[] = [];
  for (const p of all) {
    if (p.policy === best.policy) continue;
    const d = detections(p);
    parts.push(
      `${p.policy}: ${d.detected} of ${d.events} named, ${p.scenarioFalse + p.realFalse} false alerts (${p.falsePerDeviceWeek.toFixed(2)} per device-week), ${goalsMet(p)} goal${goalsMet(p) === 1 ? '' : 's'} met, ${mistakes(p)} mistakes`,
    );
  }
  const d = detections(best);
  const modelWords =
    best.policy === 'detectors'
      ? ' The model still writes its score and behaviour probabilities into every window record (for dashboards and for `evaluate`), and raises no alert.'
      : '';
  return `it names ${d.detected} of ${d.events} held-out events and real attack captures with ${best.scenarioFalse + best.realFalse} false alerts (${best.falsePerDeviceWeek.toFixed(2)} per device-week): ${goalsMet(best)} of the 2 goals met (recall ≥ ${RECALL_GOAL}, ≤ ${FALSE_ALERTS_GOAL_PER_DEVICE_WEEK} false alert per device-week), ${mistakes(best)} mistakes (missed + false). Others — ${parts.join('; ')}. Rule: the policy that meets more goals, then the one with the fewest mistakes, then the simplest.${modelWords}`;
}

export function writeCard(path: string, c: Card): void {
  writeFileSync(path, renderCard(c, dirname(path)));
}
