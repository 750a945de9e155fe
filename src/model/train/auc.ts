/**
 * ROC AUC per behaviour over the labelled windows of one split: the evaluation split (the
 * figures the goal is judged on) and the calibration split (the figures changes to the model
 * are chosen on, so that no choice is made on the evaluation split).
 *
 * Positives: windows labelled with the behaviour. The score and the error rank judged windows
 * only (a learning device scores 0) against the benign judged windows; the head ranks every
 * window labelled with it against every window labelled without it.
 * @module
 */
import { f3, table } from './markdown.js';
import { rocAuc } from './metrics.js';
import { NAMED, NEG, POS, type WindowTable } from './table.js';

export interface AucRow {
  behaviour: string;
  windows: number;
  judgedWindows: number;
  scoreAuc: number | null;
  errorAuc: number | null;
  headAuc: number | null;
}

/** The model's outputs per table row (rows not scored are not read). */
export interface RowOutputs {
  score: ArrayLike<number>;
  error: ArrayLike<number>;
  /** Head probabilities, row-major (table rows × NAMED). */
  probs: ArrayLike<number>;
}

/** AUC per NAMED behaviour over `rows` of `table`. */
export function aucByBehaviour(table: WindowTable, rows: number[], out: RowOutputs): AucRow[] {
  const benign = rows.filter((r) => table.benignJudged(r));
  const B = NAMED.length;
  return NAMED.map((behaviour, j) => {
    const pos = rows.filter((r) => table.label(r, j) === POS);
    const judged = pos.filter((r) => table.judged[r] === 1);
    const neg = rows.filter((r) => table.label(r, j) === NEG);
    return {
      behaviour,
      windows: pos.length,
      judgedWindows: judged.length,
      scoreAuc: rocAuc(
        judged.map((r) => out.score[r]),
        benign.map((r) => out.score[r]),
      ),
      errorAuc: rocAuc(
        judged.map((r) => out.error[r]),
        benign.map((r) => out.error[r]),
      ),
      headAuc: rocAuc(
        pos.map((r) => out.probs[r * B + j]),
        neg.map((r) => out.probs[r * B + j]),
      ),
    };
  });
}

function aucTable(rows: AucRow[]): string {
  return table(
    ['behaviour', 'labelled windows', 'judged', 'score AUC', 'error AUC', 'head AUC'],
    rows.map((a) => [
      a.behaviour,
      String(a.windows),
      String(a.judgedWindows),
      f3(a.scoreAuc),
      f3(a.errorAuc),
      f3(a.headAuc),
    ]),
  );
}

/** The card's two AUC sections: the evaluation split, then the calibration split. */
export function aucSections(evaluation: AucRow[], calibration: AucRow[]): string[] {
  return [
    '## Evaluation: ROC AUC per behaviour (held-out windows)',
    '',
    'Positives: evaluation windows labelled with the behaviour; negatives: benign judged evaluation windows (generated and real). *Score AUC* ranks by the anomaly score (judged windows only: a learning device scores 0); *head AUC* by the head\'s probability for that behaviour (all windows, negatives: windows without it). Goal (issue "The model"): ≥ 0.95 for every behaviour. Reported as it falls: no choice was made on these windows.',
    '',
    aucTable(evaluation),
    '',
    '### The same on the calibration split (where changes are chosen)',
    '',
    'The calibration split (its own seeds, home sizes and start times, and real devices of its own) is the one the score is calibrated on and the head thresholds are read from; it is also the split on which every change to the inputs, the encoding and the error was chosen — what is kept in the model is what ranked better here. Same columns as above, on calibration windows.',
    '',
    aucTable(calibration),
    '',
  ];
}

/**
 * Outputs of some rows (errors and head probabilities in `rows` order) spread over table rows,
 * with the score `score(row, error)` gives.
 */
export function byRow(
  length: number,
  rows: number[],
  error: ArrayLike<number>,
  probs: ArrayLike<number>,
  score: (row: number, error: number) => number,
): RowOutputs {
  const B = NAMED.length;
  const out = {
    score: new Float64Array(length),
    error: new Float64Array(length),
    probs: new Float32Array(length * B),
  };
  rows.forEach((r, k) => {
    out.error[r] = error[k];
    out.score[r] = score(r, error[k]);
    for (let j = 0; j < B; j++) out.probs[r * B + j] = probs[k * B + j];
  });
  return out;
}
