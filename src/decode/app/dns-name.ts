/**
 * DNS name decoding (RFC 1035 §3.1, §4.1.4 message compression) with guards for hostile input:
 * a pointer must point strictly backwards inside the message, at most `MAX_JUMPS` pointers are
 * followed, labels are at most 63 octets and the whole name at most 255 octets on the wire.
 * @module
 */

const MAX_LABEL = 63;
const MAX_NAME = 255;
const MAX_JUMPS = 16;
/** Worst case: 255 octets each escaped as `\ddd`. */
const SCRATCH = Buffer.alloc(MAX_NAME * 4);

/** Offset just after the name most recently read by `readName` (where the record continues). */
export let nameEnd = 0;

function put(n: number, c: number): number {
  // Presentation format (RFC 4343 §2.1): lower case; '.' and '\' escaped; bytes outside
  // printable ASCII as \ddd. Spaces stay (DNS-SD instance names like 'Living Room').
  if (c >= 0x41 && c <= 0x5a) c |= 0x20;
  if (c === 0x2e || c === 0x5c) {
    SCRATCH[n++] = 0x5c;
    SCRATCH[n++] = c;
  } else if (c >= 0x20 && c < 0x7f) {
    SCRATCH[n++] = c;
  } else {
    SCRATCH[n++] = 0x5c;
    SCRATCH[n++] = 0x30 + Math.floor(c / 100);
    SCRATCH[n++] = 0x30 + (Math.floor(c / 10) % 10);
    SCRATCH[n++] = 0x30 + (c % 10);
  }
  return n;
}

/**
 * Reads the name at `off` of the message `buf[msgStart, msgEnd)`: lower case, no trailing dot,
 * '' for the root. Returns null for a bad name; on success `nameEnd` holds the offset after it.
 */
export function readName(
  buf: Uint8Array,
  msgStart: number,
  msgEnd: number,
  off: number,
): string | null {
  let pos = off;
  let next = -1;
  let jumps = 0;
  let wire = 1;
  let n = 0;
  for (;;) {
    if (pos < msgStart || pos >= msgEnd) return null;
    const len = buf[pos];
    if (len === 0) {
      if (next < 0) next = pos + 1;
      break;
    }
    if ((len & 0xc0) === 0xc0) {
      if (pos + 1 >= msgEnd || ++jumps > MAX_JUMPS) return null;
      const target = msgStart + (((len & 0x3f) << 8) | buf[pos + 1]);
      if (target >= pos) return null;
      if (next < 0) next = pos + 2;
      pos = target;
      continue;
    }
    // 0x40 and 0x80 label types (RFC 6891 §5) are not names we read.
    if (len > MAX_LABEL || pos + 1 + len > msgEnd) return null;
    wire += len + 1;
    if (wire > MAX_NAME) return null;
    if (n > 0) SCRATCH[n++] = 0x2e;
    for (let i = pos + 1; i <= pos + len; i++) n = put(n, buf[i]);
    pos += len + 1;
  }
  nameEnd = next;
  return SCRATCH.toString('latin1', 0, n);
}

/** Offset after the name at `off` without building its text (for records that are not kept); -1 when bad. */
export function skipName(buf: Uint8Array, msgEnd: number, off: number): number {
  let pos = off;
  for (let wire = 1; pos < msgEnd;) {
    const len = buf[pos];
    if (len === 0) return pos + 1;
    if ((len & 0xc0) === 0xc0) return pos + 2 <= msgEnd ? pos + 2 : -1;
    if (len > MAX_LABEL) return -1;
    wire += len + 1;
    if (wire > MAX_NAME) return -1;
    pos += len + 1;
  }
  return -1;
}
