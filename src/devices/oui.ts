/**
 * Offline MAC vendor lookup from the IEEE registries shipped in the `oui-data` package (one JSON
 * object: MA-L keys of 6 hex digits, MA-M of 7, MA-S of 9; values are the registry's address
 * block, first line = organisation name).
 *
 * The file is opened on the first lookup and searched where it lies: no `JSON.parse` of 5.6 MB,
 * no index, no copy held in memory (it cost 5.6 MB of every process's resident memory), only a
 * few 4 kB blocks cached. Lookup is longest prefix first (36, 28, then 24 bits), each a binary
 * search over the file's lines; a name is decoded when first asked for, then cached.
 * @module
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isLocallyAdministeredMac } from '../decode/addr.js';
import { HomewatchError } from '../util/errors.js';

export interface VendorInfo {
  /** Organisation name as the registry has it, trimmed; '' when unknown or randomised. */
  vendor: string;
  /** Locally administered MAC (U/L bit set): randomised or virtual, no OUI applies. */
  randomMac: boolean;
  /** Prefix length that matched: 36 (MA-S), 28 (MA-M), 24 (MA-L), 0 for none. */
  prefixBits: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const OPEN_BRACE = 0x7b;

/** Digits of a registry key by prefix bits. */
const DIGITS_24 = 6;
const DIGITS_28 = 7;
const DIGITS_36 = 9;
/** Keys order by digit count first, then value: composite = digits * 2^37 + value. */
const DIGIT_WEIGHT = 2 ** 37;
/** Composite of a line without a key: `{` sorts before every key, `}` after. */
const BEFORE_ALL = -1;
const AFTER_ALL = Number.POSITIVE_INFINITY;

/** Bytes of a cached block of the registry file, and how many blocks are kept. */
const BLOCK = 4096;
const CACHED_BLOCKS = 32;
/** Probes of the binary searches remembered (their key and line bounds). */
const CACHED_PROBES = 4096;

/**
 * The registry, searched in place. Names are decoded on demand and cached.
 *
 * `oui-data` ships one `"KEY": "VALUE"` pair a line, MA-L keys (6 hex digits) first, then MA-M
 * (7), then MA-S (9), each block in ascending order: ordered by (digits, value), so a binary
 * search over the lines finds a key without parsing or indexing the 5.6 MB file first (which
 * cost ~25 ms of every start). tests/devices/oui.test.ts checks every key against JSON.parse.
 */
export class OuiTable {
  /** Milliseconds spent opening the registry. */
  loadMs = 0;
  /** The registry file, open for the life of the table, and its size. */
  readonly #fd: number;
  readonly #size: number;
  /** Recently read blocks by number, least recently used first (Map order). */
  readonly #blocks = new Map<number, Buffer>();
  readonly #names = new Map<number, string>();
  /**
   * The lines the searches looked at, by the byte they probed, until CACHED_PROBES: every search
   * starts with the same probes (the file's middle, then its quarters …), so these are the top
   * levels of every search, and a lookup reads only the few blocks around its own key.
   */
  readonly #probes = new Map<number, { key: number; start: number; end: number }>();
  #sizes: { ma24: number; ma28: number; ma36: number } | null = null;

  constructor(fd: number) {
    this.#fd = fd;
    this.#size = fstatSync(fd).size;
  }

  /** Number of prefixes per registry (one pass over the whole file, on first use). */
  get sizes(): { ma24: number; ma28: number; ma36: number } {
    if (this.#sizes !== null) return this.#sizes;
    const sizes = { ma24: 0, ma28: 0, ma36: 0 };
    const json = Buffer.alloc(this.#size);
    readSync(this.#fd, json, 0, json.length, 0);
    for (let pos = 0; pos < json.length;) {
      let eol = json.indexOf(NEWLINE, pos);
      if (eol < 0) eol = json.length;
      const k = keyAt(json, pos, eol);
      if (k !== BEFORE_ALL && k !== AFTER_ALL && valueAt(json, pos, eol) >= 0) {
        const digits = Math.floor(k / DIGIT_WEIGHT);
        if (digits === DIGITS_24) sizes.ma24++;
        else if (digits === DIGITS_28) sizes.ma28++;
        else if (digits === DIGITS_36) sizes.ma36++;
      }
      pos = eol + 1;
    }
    this.#sizes = sizes;
    return sizes;
  }

  /** Organisation name for a prefix of `bits` (24, 28, 36) bits, or undefined. */
  get(prefix: number, bits: 24 | 28 | 36): string | undefined {
    const digits = bits === 36 ? DIGITS_36 : bits === 28 ? DIGITS_28 : DIGITS_24;
    const target = digits * DIGIT_WEIGHT + prefix;
    // Invariant: lo is the start of a line; the line holding `target`, if any, starts in [lo, hi).
    let lo = 0;
    let hi = this.#size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      let probe = this.#probes.get(mid);
      if (probe === undefined) {
        const line = this.#lineAt(mid);
        probe = { key: keyAt(line.buf, 0, line.buf.length), start: line.start, end: line.end };
        if (this.#probes.size < CACHED_PROBES) this.#probes.set(mid, probe);
      }
      const k = probe.key;
      if (k === target) {
        const line = this.#lineAt(probe.start);
        const at = valueAt(line.buf, 0, line.buf.length);
        return at < 0 ? undefined : this.#name(line.start, line.buf, at);
      }
      if (k < target) lo = probe.end + 1;
      else hi = probe.start;
    }
    return undefined;
  }

  #name(lineStart: number, line: Buffer, at: number): string {
    let name = this.#names.get(lineStart);
    if (name === undefined) {
      name = firstLine(line, at);
      this.#names.set(lineStart, name);
    }
    return name;
  }

  /**
   * The line holding byte `pos`: its bytes (without the newline), where it starts and where its
   * newline is (the file's size for the last line).
   */
  #lineAt(pos: number): { buf: Buffer; start: number; end: number } {
    const size = this.#size;
    let start = pos;
    // Back to the previous newline, a block at a time (lines are a few hundred bytes).
    for (;;) {
      if (start === 0) break;
      const b = Math.floor((start - 1) / BLOCK);
      const block = this.#block(b);
      const nl = block.lastIndexOf(NEWLINE, start - 1 - b * BLOCK);
      if (nl >= 0) {
        start = b * BLOCK + nl + 1;
        break;
      }
      start = b * BLOCK;
    }
    let end = start;
    for (;;) {
      if (end >= size) {
        end = size;
        break;
      }
      const b = Math.floor(end / BLOCK);
      const block = this.#block(b);
      const nl = block.indexOf(NEWLINE, end - b * BLOCK);
      if (nl >= 0) {
        end = b * BLOCK + nl;
        break;
      }
      end = b * BLOCK + block.length;
    }
    const first = Math.floor(start / BLOCK);
    const last = Math.floor(Math.max(start, end - 1) / BLOCK);
    if (first === last) {
      const off = first * BLOCK;
      return { buf: this.#block(first).subarray(start - off, end - off), start, end };
    }
    const buf = Buffer.alloc(end - start);
    for (let b = first; b <= last; b++) {
      const block = this.#block(b);
      const from = Math.max(start, b * BLOCK);
      const to = Math.min(end, b * BLOCK + block.length);
      block.copy(buf, from - start, from - b * BLOCK, to - b * BLOCK);
    }
    return { buf, start, end };
  }

  /**
   * Block `n` of the file, from the cache or read now into the least recently used block's
   * memory: the cache's CACHED_BLOCKS buffers are all it ever allocates (a buffer a read, for a
   * thousand devices' lookups, was 100 MB of garbage outside the heap).
   */
  #block(n: number): Buffer {
    const cached = this.#blocks.get(n);
    if (cached !== undefined) {
      this.#blocks.delete(n);
      this.#blocks.set(n, cached);
      return cached;
    }
    let memory: Buffer;
    if (this.#blocks.size >= CACHED_BLOCKS) {
      const [oldest, block] = this.#blocks.entries().next().value as [number, Buffer];
      this.#blocks.delete(oldest);
      memory = Buffer.from(block.buffer, block.byteOffset, BLOCK);
    } else memory = Buffer.alloc(BLOCK);
    const want = Math.min(BLOCK, this.#size - n * BLOCK);
    const got = readSync(this.#fd, memory, 0, want, n * BLOCK);
    const block = memory.subarray(0, got);
    this.#blocks.set(n, block);
    return block;
  }
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/**
 * The composite key (digits * 2^37 + value) of the line `json[start, eol)`: BEFORE_ALL for the
 * opening `{` line, AFTER_ALL for any other line without a quoted hex key (the closing `}`).
 */
function keyAt(json: Buffer, start: number, eol: number): number {
  let i = start;
  while (i < eol && json[i] !== QUOTE) {
    if (json[i] === OPEN_BRACE) return BEFORE_ALL;
    i++;
  }
  if (i >= eol) return AFTER_ALL;
  const k0 = ++i;
  let key = 0;
  while (i < eol && json[i] !== QUOTE) {
    const h = hexValue(json[i++]);
    if (h < 0) return AFTER_ALL;
    key = key * 16 + h;
  }
  const digits = i - k0;
  if (i >= eol || digits === 0 || digits > 12) return AFTER_ALL;
  return digits * DIGIT_WEIGHT + key;
}

/** Where the value's opening quote is on a key line (`"KEY": "VALUE"`), or -1. */
function valueAt(json: Buffer, start: number, eol: number): number {
  const keyOpen = json.indexOf(QUOTE, start);
  const keyClose = keyOpen < 0 ? -1 : json.indexOf(QUOTE, keyOpen + 1);
  const v0 = keyClose + 3;
  return keyClose >= 0 && v0 < eol && json[v0] === QUOTE ? v0 : -1;
}

/** The value's first line: from the opening quote at `v0` to the first `\n` escape or quote. */
function firstLine(json: Buffer, v0: number): string {
  let eol = json.indexOf(NEWLINE, v0);
  if (eol < 0) eol = json.length;
  let i = v0 + 1;
  while (i < eol) {
    const c = json[i];
    if (c === QUOTE) break;
    if (c === BACKSLASH) {
      if (json[i + 1] === 0x6e) break; // '\n': the rest is the postal address
      return slowFirstLine(json, v0, eol);
    }
    i++;
  }
  return json.toString('utf8', v0 + 1, i).trim();
}

/** A first line holding another escape (`\\`, `\"`, `\u…`): let JSON.parse decode it. */
function slowFirstLine(json: Buffer, v0: number, eol: number): string {
  const closing = json.lastIndexOf(QUOTE, eol);
  try {
    const value: unknown = JSON.parse(json.toString('utf8', v0, closing + 1));
    return typeof value === 'string' ? value.split('\n')[0].trim() : '';
  } catch {
    return '';
  }
}

let table: OuiTable | null = null;

/**
 * The shared table, opened on first use (the file stays open: an agent that drops privileges
 * afterwards keeps reading it). Throws ERR_INTERNAL when `oui-data` is missing.
 */
export function ouiTable(): OuiTable {
  if (table !== null) return table;
  const t0 = performance.now();
  let fd = -1;
  try {
    const file = createRequire(import.meta.url).resolve('oui-data');
    fd = openSync(file, 'r');
    table = new OuiTable(fd);
  } catch (cause) {
    if (fd >= 0) closeSync(fd);
    throw new HomewatchError('ERR_INTERNAL', 'vendor lookup: cannot read package oui-data', {
      cause,
    });
  }
  table.loadMs = performance.now() - t0;
  return table;
}

const P36 = 0x1000; // 2^12: drop the low 12 bits of 48
const P28 = 0x100000; // 2^20
const P24 = 0x1000000; // 2^24

/** Vendor of a 48-bit MAC: longest registered prefix (MA-S 36, MA-M 28, MA-L 24 bits). */
export function lookupVendor(mac: number): VendorInfo {
  if (isLocallyAdministeredMac(mac)) return { vendor: '', randomMac: true, prefixBits: 0 };
  const t = ouiTable();
  let v = t.get(Math.floor(mac / P36), 36);
  if (v !== undefined) return { vendor: v, randomMac: false, prefixBits: 36 };
  v = t.get(Math.floor(mac / P28), 28);
  if (v !== undefined) return { vendor: v, randomMac: false, prefixBits: 28 };
  v = t.get(Math.floor(mac / P24), 24);
  if (v !== undefined) return { vendor: v, randomMac: false, prefixBits: 24 };
  return { vendor: '', randomMac: false, prefixBits: 0 };
}
