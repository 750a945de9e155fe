/**
 * Classifies the first bytes of an HTTP body by magic number. Exported so the flow stage can
 * call it on the next segment when a header ended exactly at a segment boundary.
 * @module
 */
import type { BodyKind } from './types.js';

/**
 * `\x7fELF` → 'elf'; `MZ` → 'pe'; `#!` → 'script'; `PK\x03\x04` or gzip `\x1f\x8b` → 'archive';
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
  const b2 = buf[off + 2];
  const b3 = buf[off + 3];
  if (b0 === 0x7f && b1 === 0x45 && b2 === 0x4c && b3 === 0x46) return 'elf';
  if (b0 === 0x50 && b1 === 0x4b && b2 === 0x03 && b3 === 0x04) return 'archive';
  return 'other';
}
