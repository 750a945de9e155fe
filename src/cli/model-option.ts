/**
 * `--model DIR` for replay, capture and evaluate: the shipped model (models/default) unless
 * another folder is named or `--model none` turns it off. Loaded after the inputs are opened,
 * so a bad capture is still reported first; a named model trained on another feature schema or
 * window length is refused with one line (exit 2); the shipped one is then left out with a note. Which model and engine scores is said once on stderr when a
 * person is watching or named the model.
 * @module
 */
import { defaultModelDir, loadModel } from '../model/load.js';
import { HomewatchError } from '../util/errors.js';
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
  let loaded;
  try {
    loaded = await loadModel(dir, { windowS });
  } catch (err) {
    // A model named with --model that does not fit is an error; the shipped one that does not
    // fit (another --window, or a schema changed without retraining) is left out, saying so.
    if (value !== undefined || !(err instanceof HomewatchError) || err.code !== 'ERR_MODEL')
      throw err;
    const why = err.message.replace(`--model ${dir}: `, '');
    process.stderr.write(
      `homewatch: the shipped model (${dir}) does not fit: ${why}; windows are not scored\n`,
    );
    return undefined;
  }
  if (value !== undefined || process.stderr.isTTY)
    process.stderr.write(`homewatch: ${loaded.line}\n`);
  return loaded.scorer;
}
