/**
 * Small pieces of English for alert sentences: times, durations, sizes, rates, counts, lists.
 * Times are packet times shown in UTC (a replay reads the same everywhere).
 * @module
 */

/** "14:02 UTC"; with the date when `ts` is not on the day of `ref`. */
export function clock(ts: number, ref?: number): string {
  const iso = new Date(ts * 1000).toISOString();
  const hm = iso.slice(11, 16);
  if (ref !== undefined && iso.slice(0, 10) !== new Date(ref * 1000).toISOString().slice(0, 10))
    return `${iso.slice(0, 10)} ${hm} UTC`;
  return `${hm} UTC`;
}

/** "45 s", "12 min", "3.5 h". */
export function duration(seconds: number): string {
  const s = Math.max(0, seconds);
  if (s < 90) return `${round(s)} s`;
  if (s < 5400) return `${round(s / 60)} min`;
  return `${round(s / 3600)} h`;
}

/** "812 B", "3.4 kB", "1.2 MB". */
export function size(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return i === 0 ? `${Math.round(v)} B` : `${v.toFixed(1)} ${units[i]}`;
}

/** Bits per second from bytes over seconds: "64 kbit/s". */
export function rate(bytes: number, seconds: number): string {
  const bps = seconds > 0 ? (bytes * 8) / seconds : 0;
  if (bps >= 1e6) return `${round(bps / 1e6)} Mbit/s`;
  if (bps >= 1e3) return `${round(bps / 1e3)} kbit/s`;
  return `${Math.round(bps)} bit/s`;
}

/** "1 time" / "64 times" style: `plural(3, 'host')` → "3 hosts". */
export function plural(n: number, noun: string, many = `${noun}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? noun : many}`;
}

/**
 * "a, b and c"; at most `max` items, then "and N more" — N counted from `total` when the items
 * are the first of more than were kept.
 */
export function list(items: readonly string[], max = 3, total = items.length): string {
  if (items.length === 0) return '';
  const shown = items.slice(0, max);
  const rest = Math.max(items.length, total) - shown.length;
  if (rest > 0) return `${shown.join(', ')} and ${rest} more`;
  if (shown.length === 1) return shown[0];
  return `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}

/** An endpoint for a sentence: "203.0.113.9:443" or "pool.example.net (203.0.113.9:443)". */
export function endpoint(ip: string, port: number, name = ''): string {
  const addr = ip.includes(':') ? `[${ip}]` : ip;
  const at = port > 0 ? `${addr}:${port}` : addr;
  return name !== '' && name !== ip ? `${name} (${at})` : at;
}

/** Two significant figures at most, no trailing zeros: 0.8, 12, 3.5. */
export function round(v: number): string {
  if (v >= 10) return String(Math.round(v));
  return String(Number(v.toPrecision(2)));
}

/** A set's members in first-seen order, at most `max`. */
export function unionCapped<T>(a: readonly T[], b: readonly T[], max: number): T[] {
  const out = [...a];
  for (const x of b) if (out.length < max && !out.includes(x)) out.push(x);
  return out;
}
