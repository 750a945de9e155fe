/**
 * Option values shared by the commands, validated once at the edge: every problem is a
 * HomewatchError ERR_USAGE with a message naming the option and what it accepts.
 * @module
 */
import { INFLUX_OPTIONS } from '../sinks/influx/config.js';
import { HomewatchError } from '../util/errors.js';

export function usage(message: string): HomewatchError {
  return new HomewatchError('ERR_USAGE', message);
}

/** A positive number of seconds (`--window 60`). */
export function positiveSeconds(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw usage(`--${name}: expected a positive number of seconds, got '${value}'`);
  return n;
}

/** A number of seconds that may be zero (`--learn 0`). */
export function nonNegativeSeconds(
  name: string,
  value: string | undefined,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0)
    throw usage(`--${name}: expected a number of seconds \u2265 0, got '${value}'`);
  return n;
}

/** Options every pipeline command takes. */
export const PIPELINE_OPTIONS = {
  out: { type: 'string' },
  ...INFLUX_OPTIONS,
  model: { type: 'string' },
  window: { type: 'string' },
  learn: { type: 'string' },
  lan: { type: 'string', multiple: true },
  allow: { type: 'string' },
  state: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;
