/**
 * Classifies the first bytes of an HTTP body by magic number. Exported so the flow stage can
 * call it on the next segment when a header ended exactly at a segment boundary.
 * @module
 */
import type { BodyKind } from './types.js';

/** Bytes looked at to tell binary from text. */
const TEXT_SAMPLE = 64;
/** Control bytes or broken UTF-8 sequences in the sample that make it binary, not text. */
const BINARY_MARKS = 4;

/**
 * `\x7fELF` → 'elf'; `MZ` → 'pe'; `#!` → 'script'; `PK\x03\x04` or gzip `\x1f\x8b` → 'archive';
 * other bytes that cannot be text (control bytes, broken UTF-8 in the first 64) → 'binary';
 * anything else of at least 4 bytes → 'other'; undefined when there are too few bytes to tell.
 */
export function sniffBody(buf: Uint8Array, off: number, len: number): BodyKind | undefined {
  if (!(len >= 2) || off < 0 || off + len > buf.length) return undefined;
  const b0 = buf[off];
  const b1 = buf[off + 1];
  if (b0 === 0x4d && b1 === 0x5a) return 'pe';
  if (b0 === 0x23 && b1 === 0x21) return 'script';
  if (b0 === 0x1f && b1 === 0x8b) return 'archive';
  if (len < 4) return undefined;
  if (isElf(buf, off)) return 'elf';
  if (b0 === 0x50 && b1 === 0x4b && buf[off + 2] === 0x03 && buf[off + 3] === 0x04)
    return 'archive';
  return looksBinary(buf, off, Math.min(len, TEXT_SAMPLE)) ? 'binary' : 'other';
}

/** The four bytes at `off` are an ELF executable's magic, `\x7fELF` (the caller checked the length). */
export function isElf(buf: Uint8Array, off: number): boolean {
  return (
    buf[off] === 0x7f && buf[off + 1] === 0x45 && buf[off + 2] === 0x4c && buf[off + 3] === 0x46
  );
}

/**
 * Text (ASCII or UTF-8, in any language) has no C0 control bytes but tab, CR, LF and form feed,
 * and no broken UTF-8 sequences; encrypted or compressed bytes have plenty of both.
 */
function looksBinary(buf: Uint8Array, off: number, len: number): boolean {
  let marks = 0;
  const end = off + len;
  for (let i = off; i < end && marks < BINARY_MARKS; i++) {
    const b = buf[i];
    if (b < 0x80) {
      if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) || b === 0x7f) marks++;
      continue;
    }
    // A UTF-8 lead byte and its continuation bytes (RFC 3629 §4); a sequence cut by the sample
    // end is not counted.
    const need = b >= 0xf0 && b < 0xf5 ? 3 : b >= 0xe0 ? 2 : b >= 0xc2 && b < 0xe0 ? 1 : -1;
    if (need < 0 || b >= 0xf5) {
      marks++;
      continue;
    }
    let j = 1;
    while (j <= need && i + j < end && (buf[i + j] & 0xc0) === 0x80) j++;
    if (j <= need && i + j < end) marks++;
    i += j - 1;
  }
  return marks >= BINARY_MARKS;
}
