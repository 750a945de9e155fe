/**
 * Plain JSON for the state file from the Maps and Sets a stage keeps its memory in, and back:
 * `Map` becomes `{ "$map": [[key, value], …] }` (insertion order kept: several memories drop
 * their oldest entry first), `Set` becomes `{ "$set": [value, …] }`, arrays and plain objects
 * are copied with their members converted. Numbers must be finite (JSON has no NaN).
 *
 * `fromPlain` turns such a value back; the `expect…` helpers check the shape of what came back
 * and throw ERR_STATE naming what was wrong, as every part of the state does when it is damaged:
 * the runtime turns it into a one-line warning ("starts afresh"), never a crash.
 * @module
 */
import { HomewatchError } from '../util/errors.js';

/** The error of a damaged part of the state. */
export function stateError(message: string): HomewatchError {
  return new HomewatchError('ERR_STATE', message);
}

export function toPlain(v: unknown): unknown {
  if (v instanceof Map) return { $map: [...v].map(([k, x]) => [toPlain(k), toPlain(x)]) };
  if (v instanceof Set) return { $set: [...v].map(toPlain) };
  if (Array.isArray(v)) return v.map(toPlain);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw stateError(`cannot save the number ${v}`);
    return v;
  }
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = toPlain(x);
    return out;
  }
  return v;
}

export function fromPlain(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(fromPlain);
  if (v === null || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length === 1 && keys[0] === '$map') {
    const entries = o.$map;
    if (!Array.isArray(entries)) throw stateError('a $map is not a list');
    const m = new Map<unknown, unknown>();
    for (const e of entries) {
      if (!Array.isArray(e) || e.length !== 2) throw stateError('a $map entry is no pair');
      m.set(fromPlain(e[0]), fromPlain(e[1]));
    }
    return m;
  }
  if (keys.length === 1 && keys[0] === '$set') {
    if (!Array.isArray(o.$set)) throw stateError('a $set is not a list');
    return new Set(o.$set.map(fromPlain));
  }
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = fromPlain(o[k]);
  return out;
}

/** `v` as a Map whose keys are strings (or numbers, `numeric`), each value checked by `value`. */
export function expectMap<V>(
  v: unknown,
  what: string,
  value: (x: unknown, what: string) => V,
  numeric = false,
): Map<string, V> & Map<number, V> {
  if (!(v instanceof Map)) throw stateError(`${what} is not a map`);
  for (const [k, x] of v) {
    if (numeric ? typeof k !== 'number' : typeof k !== 'string')
      throw stateError(`${what} has a key of the wrong type`);
    value(x, `${what}[${String(k)}]`);
  }
  return v as Map<string, V> & Map<number, V>;
}

export function expectNumber(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw stateError(`${what} is not a number`);
  return v;
}

export function expectNumbers(v: unknown, what: string): number[] {
  if (!Array.isArray(v)) throw stateError(`${what} is not a list`);
  for (const x of v) expectNumber(x, what);
  return v as number[];
}

export function expectString(v: unknown, what: string): string {
  if (typeof v !== 'string') throw stateError(`${what} is not a string`);
  return v;
}

export function expectStrings(v: unknown, what: string): string[] {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
    throw stateError(`${what} is not a list of strings`);
  return v as string[];
}

/** `v` as an object with the named members (checked by their own functions). */
export function expectObject<T extends object>(
  v: unknown,
  what: string,
  members: { [K in keyof T]: (x: unknown, what: string) => T[K] },
): T {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof Map)
    throw stateError(`${what} is not an object`);
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(members) as (keyof T & string)[]) members[k](o[k], `${what}.${k}`);
  return v as T;
}

export function expectBoolean(v: unknown, what: string): boolean {
  if (typeof v !== 'boolean') throw stateError(`${what} is not true or false`);
  return v;
}

/** Replaces the content of a stage's own (readonly) map with what was restored. */
export function refill<K, V>(target: Map<K, V>, from: Map<K, V>): void {
  target.clear();
  for (const [k, v] of from) target.set(k, v);
}
