/**
 * Offline MAC vendor lookup from the IEEE registries shipped in the `oui-data` package (one JSON
 * object: MA-L keys of 6 hex digits, MA-M of 7, MA-S of 9; values are the registry's address
 * block, first line = organisation name).
 *
 * The table is built once, on the first lookup: the JSON file is kept as a Buffer and indexed in
 * one pass (no `JSON.parse` of 5.6 MB, no string per entry): each registry becomes a sorted
 * Float64Array of prefixes plus the offset of each value. A name is decoded from the buffer when
 * first asked for, then cached. Lookup is longest prefix first: 36, 28, then 24 bits, each a
 * binary search.
 * @module
 */
import { readFileSync } from 'node:fs';
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

/** One registry (MA-L, MA-M or MA-S): sorted prefixes and where each value starts. */
interface Registry {
  keys: Float64Array;
  valueAt: Int32Array;
  size: number;
}

/** The indexed registry file. Names are decoded on demand and cached. */
export class OuiTable {
  /** Milliseconds spent reading and indexing the registry. */
  loadMs = 0;
  readonly #json: Buffer;
  /** By prefix bits: 36, 28, 24. */
  readonly #regs: readonly [Registry, Registry, Registry];
  readonly #names = new Map<number, string>();

  constructor(json: Buffer) {
    this.#json = json;
    this.#regs = indexRegistry(json);
  }

  /** Number of prefixes per registry. */
  get sizes(): { ma24: number; ma28: number; ma36: number } {
    return { ma36: this.#regs[0].size, ma28: this.#regs[1].size, ma24: this.#regs[2].size };
  }

  /** Organisation name for a prefix of `bits` (24, 28, 36) bits, or undefined. */
  get(prefix: number, bits: 24 | 28 | 36): string | undefined {
    const reg = this.#regs[bits === 36 ? 0 : bits === 28 ? 1 : 2];
    const keys = reg.keys;
    let lo = 0;
    let hi = reg.size - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const k = keys[mid];
      if (k < prefix) lo = mid + 1;
      else if (k > prefix) hi = mid - 1;
      else return this.#name(reg.valueAt[mid]);
    }
    return undefined;
  }

  #name(at: number): string {
    let name = this.#names.get(at);
    if (name === undefined) {
      name = firstLine(this.#json, at);
      this.#names.set(at, name);
    }
    return name;
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/**
 * One pass over the file, one `"KEY": "VALUE"` pair a line as `oui-data` ships it: keys of 9, 7
 * and 6 hex digits go to the MA-S, MA-M and MA-L registries, each then sorted (the package ships
 * them sorted already, so the sort only checks).
 */
function indexRegistry(json: Buffer): [Registry, Registry, Registry] {
  const keys: number[][] = [[], [], []];
  const at: number[][] = [[], [], []];
  const end = json.length;
  let pos = 0;
  while (pos < end) {
    let eol = json.indexOf(NEWLINE, pos);
    if (eol < 0) eol = end;
    let i = pos;
    while (i < eol && json[i] !== QUOTE) i++;
    const k0 = i++;
    let key = 0;
    while (i < eol && json[i] !== QUOTE) {
      const h = hexValue(json[i++]);
      if (h < 0) {
        key = -1;
        break;
      }
      key = key * 16 + h;
    }
    const digits = i - k0 - 1;
    const reg = digits === 9 ? 0 : digits === 7 ? 1 : digits === 6 ? 2 : -1;
    // After the key: `": "` then the value.
    if (key >= 0 && reg >= 0 && i + 3 < eol && json[i + 3] === QUOTE) {
      keys[reg].push(key);
      at[reg].push(i + 3);
    }
    pos = eol + 1;
  }
  const out = keys.map((k, r) => toRegistry(k, at[r]));
  return [out[0], out[1], out[2]];
}

function toRegistry(keys: number[], at: number[]): Registry {
  let sorted = true;
  for (let j = 1; j < keys.length && sorted; j++) sorted = keys[j - 1] < keys[j];
  if (sorted)
    return { keys: new Float64Array(keys), valueAt: new Int32Array(at), size: keys.length };
  const order = keys.map((_, j) => j).sort((a, b) => keys[a] - keys[b]);
  return {
    keys: Float64Array.from(order, (j) => keys[j]),
    valueAt: Int32Array.from(order, (j) => at[j]),
    size: keys.length,
  };
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

/** The shared table, built on first use. Throws ERR_INTERNAL when `oui-data` is missing. */
export function ouiTable(): OuiTable {
  if (table !== null) return table;
  const t0 = performance.now();
  let json: Buffer;
  try {
    const file = createRequire(import.meta.url).resolve('oui-data');
    json = readFileSync(file);
  } catch (cause) {
    throw new HomewatchError('ERR_INTERNAL', 'vendor lookup: cannot read package oui-data', {
      cause,
    });
  }
  table = new OuiTable(json);
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
