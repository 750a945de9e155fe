/**
 * Step 2 of training (train.ts): the input encoding's statistics, taken from the training rows
 * (each feature's level and normal, mean and spread, that encode.ts turns into inputs), and the
 * rows of the window table encoded as the two networks' inputs: the autoencoder's [z, normal,
 * kind] and the head's [z, context, level, kind]. Training rows may be shown as kind 'unknown'
 * (KIND_DROPOUT), as kinds often are in a home.
 * @module
 */
import { CONTEXT_HALF_LIVES, CONTEXT_INPUTS, CONTEXT_Z } from '../context.js';
import { writeInputs } from '../encode.js';
import type { InputEncoding } from '../meta.js';
import { Rng } from './fit.js';
import type { EncodedRows } from './predict.js';
import type { WindowTable } from './table.js';

/** Floor of the robust spread in z, octaves (encode.ts). */
const MIN_SPREAD = 1;
/** Share of training rows shown to the network as kind 'unknown' (kinds are often unknown). */
const KIND_DROPOUT = 0.25;

/** Mean and standard deviation per column over some rows of a row-major matrix. */
function columnStats(
  m: Float32Array,
  width: number,
  rows: number[],
): { mean: number[]; std: number[] } {
  const mean = new Array<number>(width).fill(0);
  const sq = new Array<number>(width).fill(0);
  for (const r of rows)
    for (let i = 0; i < width; i++) {
      const v = m[r * width + i];
      mean[i] += v;
      sq[i] += v * v;
    }
  const n = Math.max(1, rows.length);
  const std = mean.map((s, i) => {
    const mu = s / n;
    const v = Math.sqrt(Math.max(0, sq[i] / n - mu * mu));
    return v < 1e-3 ? 1 : Number(v.toPrecision(6));
  });
  return { mean: mean.map((s) => Number((s / n).toPrecision(6))), std };
}

/** The input encoding from the training rows of `table` (`F` features a row). */
export function fitEncoding(table: WindowTable, F: number, trainRows: number[]): InputEncoding {
  const levels = columnStats(table.level, F, trainRows);
  const normals = columnStats(
    table.median,
    F,
    trainRows.filter((r) => table.judged[r] === 1),
  );
  return {
    minSpread: MIN_SPREAD,
    zClip: 8,
    zScale: 3,
    levelMean: levels.mean,
    levelStd: levels.std,
    normalMean: normals.mean,
    normalStd: normals.std,
    context: [...CONTEXT_INPUTS],
    contextHalfLives: CONTEXT_HALF_LIVES,
    contextZ: CONTEXT_Z,
  };
}

export interface RowEncoder {
  /** Autoencoder inputs [z, normal, kind]; head inputs [z, context, level, kind] (encode.ts). */
  aeWidth: number;
  headWidth: number;
  /** Encodes rows of the window table; `drop`: training rows, some shown as kind 'unknown'. */
  encode(rows: number[], drop: boolean): EncodedRows;
}

/**
 * The encoder of `table`'s rows (`F` features and `C` context inputs a row) for `kinds` (sorted,
 * 'unknown' among them). Its kind dropout draws from one generator seeded by `seed`, in the
 * order rows are encoded.
 */
export function rowEncoder(
  table: WindowTable,
  encoding: InputEncoding,
  kinds: string[],
  F: number,
  C: number,
  seed: number,
): RowEncoder {
  const A = 2 * F + kinds.length;
  const H = A + C;
  const dropout = new Rng(seed ^ 0xd209);
  const encode = (rows: number[], drop: boolean): EncodedRows => {
    const ae = new Float32Array(rows.length * A);
    const head = new Float32Array(rows.length * H);
    const unknown = kinds.indexOf('unknown');
    rows.forEach((r, k) => {
      let kind = kinds.indexOf(table.kinds[r]);
      if (kind < 0 || (drop && dropout.next() < KIND_DROPOUT)) kind = unknown;
      const at = r * F;
      writeInputs(
        encoding,
        table.level.subarray(at, at + F),
        table.median.subarray(at, at + F),
        table.spread.subarray(at, at + F),
        table.context.subarray(r * C, r * C + C),
        kind,
        kinds.length,
        ae,
        k * A,
        head,
        k * H,
      );
    });
    return { ae, head, aeWidth: A, headWidth: H };
  };
  return { aeWidth: A, headWidth: H, encode };
}
