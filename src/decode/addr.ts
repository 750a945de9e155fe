/**
 * Address helpers shared by every stage: MACs and IPv4 addresses travel as numbers on the hot
 * path and become text only at the edges (records, names).
 * @module
 */

/** Reads a 48-bit MAC at `off` as a number (exact: 48 bits fit a double). */
export function readMac(buf: Uint8Array, off: number): number {
  return u24(buf, off) * 0x1000000 + u24(buf, off + 3);
}

/**
 * Three bytes big-endian: half a MAC. Per-packet code builds MACs from two of these, a small
 * integer each, rather than calling readMac(): a 48-bit number returned by a call that V8 does
 * not inline is boxed, one allocation per call.
 */
export function u24(buf: Uint8Array, off: number): number {
  return (buf[off] << 16) | (buf[off + 1] << 8) | buf[off + 2];
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** `0x001a2b3c4d5e` → `00:1a:2b:3c:4d:5e`. */
export function macToString(mac: number): string {
  const hi = Math.floor(mac / 0x1000000);
  const lo = mac % 0x1000000;
  return `${HEX[(hi >>> 16) & 0xff]}:${HEX[(hi >>> 8) & 0xff]}:${HEX[hi & 0xff]}:${HEX[(lo >>> 16) & 0xff]}:${HEX[(lo >>> 8) & 0xff]}:${HEX[lo & 0xff]}`;
}

/** Parses `aa:bb:cc:dd:ee:ff` (or `-` separated); NaN when it is not a MAC. */
export function parseMac(text: string): number {
  const m =
    /^([0-9a-f]{2})[:-]([0-9a-f]{2})[:-]([0-9a-f]{2})[:-]([0-9a-f]{2})[:-]([0-9a-f]{2})[:-]([0-9a-f]{2})$/i.exec(
      text.trim(),
    );
  if (!m) return Number.NaN;
  let v = 0;
  for (let i = 1; i <= 6; i++) v = v * 256 + parseInt(m[i], 16);
  return v;
}

/** Group bit (I/G, first octet bit 0): broadcast and multicast MACs. */
export function isGroupMac(mac: number): boolean {
  return Math.floor(mac / 0x10000000000) % 2 === 1;
}

/** Locally administered bit (U/L, first octet bit 1): randomised or virtual MACs. */
export function isLocallyAdministeredMac(mac: number): boolean {
  return (Math.floor(mac / 0x10000000000) & 0x02) !== 0;
}

/** Unsigned 32-bit IPv4 → dotted quad. */
export function ipv4ToString(ip: number): string {
  return `${ip >>> 24}.${(ip >>> 16) & 0xff}.${(ip >>> 8) & 0xff}.${ip & 0xff}`;
}

/** Dotted quad → unsigned 32-bit; NaN when invalid. */
export function parseIpv4(text: string): number {
  const parts = text.split('.');
  if (parts.length !== 4) return Number.NaN;
  let v = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return Number.NaN;
    const n = Number(p);
    if (n > 255) return Number.NaN;
    v = v * 256 + n;
  }
  return v;
}

/** Four big-endian words (from `words[at..at+3]`) → RFC 5952 text. */
export function ipv6ToString(words: Uint32Array, at = 0): string {
  const groups: number[] = [];
  for (let i = 0; i < 4; i++) {
    const w = words[at + i];
    groups.push(w >>> 16, w & 0xffff);
  }
  // Longest run of two or more zero groups becomes '::' (RFC 5952 §4.2).
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  const head = hex.slice(0, bestStart).join(':');
  const tail = hex.slice(bestStart + bestLen).join(':');
  return `${head}::${tail}`;
}

/** Reads 16 bytes of IPv6 address into four words at `words[at..]`. */
export function readIpv6(buf: Uint8Array, off: number, words: Uint32Array, at = 0): void {
  for (let i = 0; i < 4; i++) {
    const o = off + i * 4;
    words[at + i] = ((buf[o] << 24) | (buf[o + 1] << 16) | (buf[o + 2] << 8) | buf[o + 3]) >>> 0;
  }
}
