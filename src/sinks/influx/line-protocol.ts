/**
 * InfluxDB 1.x line protocol, built by hand: `measurement,tag=v,... field=v,... timestamp`
 * (https://docs.influxdata.com/influxdb/v1/write_protocols/line_protocol_reference/).
 *
 * - Measurement names escape `,` and space; tag keys and values escape `,`, `=` and space. A tag
 *   value cannot hold a newline, end in a backslash or be empty: control characters become
 *   spaces, a final backslash a slash, and an empty value leaves the tag out.
 * - Numbers are written as floats (no `i` suffix), so a field that is 0 in one window and 0.5 in
 *   the next keeps one type; NaN and ±Infinity are not representable and are left out.
 * - String field values are double-quoted with `"` and `\` escaped.
 * - Timestamps are nanoseconds, built as text from microseconds (the capture's resolution) so
 *   that no precision is lost above 2^53.
 * @module
 */

const NEEDS_ESCAPE = /[\u0000-\u001f\u007f,= \\]/;

/**
 * Escapes a tag key or value. Control characters (newlines) become spaces; a backslash is
 * literal except at the very end, where it would escape the separator after it, and so becomes
 * a slash there.
 */
export function escapeTag(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return s;
  return s
    .replace(/[\u0000-\u001f\u007f]/g, ' ')
    .replace(/\\+$/, (m) => '/'.repeat(m.length))
    .replace(/([,= ])/g, '\\$1');
}

/** Escapes a measurement name. */
export function escapeMeasurement(s: string): string {
  return s.replace(/([, \\])/g, '\\$1');
}

/** A string field value, quoted. */
export function quoteString(s: string): string {
  return `"${s.replace(/[\r\n]+/g, ' ').replace(/(["\\])/g, '\\$1')}"`;
}

/** `,k=v` for each non-empty tag, keys in the given (sorted) order. */
export function tagSet(tags: readonly (readonly [string, string])[]): string {
  let out = '';
  for (const [k, v] of tags) if (v !== '') out += `,${escapeTag(k)}=${escapeTag(v)}`;
  return out;
}

/** Escaped field keys (`name=`), by prefix and name: a window has ~40 fields, the same each time. */
const fieldKeys = new Map<string, string>();

function fieldKey(prefix: string, k: string): string {
  const id = prefix === '' ? k : prefix + k;
  let key = fieldKeys.get(id);
  if (key === undefined) {
    key = `${escapeTag(id)}=`;
    // Bounded: names come from the feature schema and the behaviour vocabulary.
    if (fieldKeys.size < 10_000) fieldKeys.set(id, key);
  }
  return key;
}

/** Appends `k=v` numeric fields to `parts`, leaving out values that are not finite. */
export function numberFields(parts: string[], fields: Record<string, number>, prefix = ''): void {
  for (const k in fields) {
    const v = fields[k];
    if (typeof v === 'number' && Number.isFinite(v)) parts.push(fieldKey(prefix, k) + v);
  }
}

/** Microseconds since the epoch for a time in seconds (float). */
export function toMicros(tsSeconds: number): number {
  return Math.round(tsSeconds * 1e6);
}

/** Nanosecond timestamp text for `micros` plus `extraNs` (0 … 999). */
export function nanosText(micros: number, extraNs = 0): string {
  return `${micros}${String(extraNs).padStart(3, '0')}`;
}
