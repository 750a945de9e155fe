/** The code of the HomewatchError `f` throws (undefined: it threw nothing); anything else rethrown. */
import { HomewatchError } from '../../src/util/errors.js';

export function thrownCode(f: () => unknown): string | undefined {
  try {
    f();
  } catch (err) {
    if (err instanceof HomewatchError) return err.code;
    throw err;
  }
  return undefined;
}
