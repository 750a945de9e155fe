/**
 * Small byte-level text helpers for the app peeks. They read only `buf[start, end)` and build
 * strings through one reusable scratch buffer, so a peek allocates only the strings it keeps.
 * @module
 */

const SCRATCH = Buffer.alloc(1024);
const CR = 0x0d;
const LF = 0x0a;
const COLON = 0x3a;
const SPACE = 0x20;
const TAB = 0x09;

/** ASCII bytes of `text` (for constant tokens compared against packets). */
export function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

/** true when `buf[off..]` starts with `token` inside `[off, end)` (exact bytes). */
export function startsWith(buf: Uint8Array, off: number, end: number, token: Uint8Array): boolean {
  if (off + token.length > end) return false;
  for (let i = 0; i < token.length; i++) if (buf[off + i] !== token[i]) return false;
  return true;
}

/**
 * Printable ASCII text of `buf[start, end)`: leading and trailing blanks trimmed, control and
 * non-ASCII bytes dropped, at most `cap` characters, optionally lower-cased.
 */
export function printable(
  buf: Uint8Array,
  start: number,
  end: number,
  cap: number,
  lower = false,
): string {
  while (start < end && (buf[start] === SPACE || buf[start] === TAB)) start++;
  while (end > start && (buf[end - 1] === SPACE || buf[end - 1] === TAB)) end--;
  if (cap > SCRATCH.length) cap = SCRATCH.length;
  let n = 0;
  for (let i = start; i < end && n < cap; i++) {
    let c = buf[i];
    if (c < 0x20 || c > 0x7e) continue;
    if (lower && c >= 0x41 && c <= 0x5a) c |= 0x20;
    SCRATCH[n++] = c;
  }
  return SCRATCH.toString('latin1', 0, n);
}

/** Index of the next LF in `[pos, end)`, or `end` when the line is not complete. */
export function lineEnd(buf: Uint8Array, pos: number, end: number): number {
  while (pos < end && buf[pos] !== LF) pos++;
  return pos;
}

/** Parses unsigned decimal digits (after trimming blanks); undefined when there are none or junk follows. */
export function decimal(buf: Uint8Array, start: number, end: number): number | undefined {
  while (start < end && (buf[start] === SPACE || buf[start] === TAB)) start++;
  while (end > start && (buf[end - 1] === SPACE || buf[end - 1] === TAB)) end--;
  if (start >= end || end - start > 15) return undefined;
  let v = 0;
  for (let i = start; i < end; i++) {
    const d = buf[i] - 0x30;
    if (d < 0 || d > 9) return undefined;
    v = v * 10 + d;
  }
  return v;
}

/** Header names matched case-insensitively; give them in lower case. */
export type HeaderNames = readonly Uint8Array[];

function nameIndex(buf: Uint8Array, start: number, stop: number, names: HeaderNames): number {
  while (stop > start && (buf[stop - 1] === SPACE || buf[stop - 1] === TAB)) stop--;
  const len = stop - start;
  outer: for (let h = 0; h < names.length; h++) {
    const name = names[h];
    if (name.length !== len) continue;
    for (let i = 0; i < len; i++) {
      let c = buf[start + i];
      if (c >= 0x41 && c <= 0x5a) c |= 0x20;
      if (c !== name[i]) continue outer;
    }
    return h;
  }
  return -1;
}

/** Header lines read before giving up on finding the blank line. */
export const MAX_HEADER_LINES = 64;

/**
 * Walks RFC 9112 §5 header lines from `pos` (the start of the first header line) to the blank
 * line. For each header whose name is in `names`, stores the first value (printable, trimmed,
 * capped at `cap`) at the same index of `values`. Returns the offset just after the blank line
 * (the body start), or -1 when the header end is not within `[pos, end)`.
 */
export function readHeaders(
  buf: Uint8Array,
  pos: number,
  end: number,
  names: HeaderNames,
  values: (string | undefined)[],
  cap: number,
): number {
  for (let n = 0; n < MAX_HEADER_LINES && pos < end; n++) {
    // One pass over the line finds both its end and the first colon.
    let colon = -1;
    let eol = pos;
    for (; eol < end; eol++) {
      const c = buf[eol];
      if (c === LF) break;
      if (c === COLON && colon < 0) colon = eol;
    }
    let stop = eol;
    if (stop > pos && buf[stop - 1] === CR) stop--;
    if (stop === pos) return eol < end ? eol + 1 : -1;
    if (colon >= 0 && colon < stop) {
      const h = nameIndex(buf, pos, colon, names);
      if (h >= 0 && values[h] === undefined) values[h] = printable(buf, colon + 1, stop, cap);
    }
    if (eol >= end) return -1;
    pos = eol + 1;
  }
  return -1;
}
