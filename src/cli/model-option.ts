/**
 * `--model DIR` for replay, capture and evaluate: the shipped model (models/default) unless
 * another folder is named or `--model none` turns it off. Loaded after the inputs are opened,
 * so a bad capture is still reported first; a model trained on another feature schema is
 * refused with one line (exit 2). Which model and engine scores is said once on stderr when a
 * person is watching or named the model.
 * @module
 */
import { defaultModelDir, loadModel } from '../model/load.js';
import type { ModelScorer } from '../model/scorer.js';

/** The help lines of --model, descriptions starting at column `col` as the command's do. */
export function modelHelp(col: number): string {
  const pad = ' '.repeat(col);
  return `${'  --model DIR'.padEnd(col)}score windows with the model in DIR (default: the shipped
${pad}models/default); 'none': no model (every score 0)`;
}

export async function openModel(
  value: string | undefined,
  windowS: number,
): Promise<ModelScorer | undefined> {
  if (value === 'none') return undefined;
  const dir = value ?? defaultModelDir();
  if (dir === null) return undefined;
  const loaded = await loadModel(dir, { windowS });
  if (value !== undefined || process.stderr.isTTY)
    process.stderr.write(`homewatch: ${loaded.line}\n`);
  return loaded.scorer;
}
