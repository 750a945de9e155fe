/**
 * Small deterministic PRNG (sfc32, seeded through splitmix32). The generator never uses
 * Math.random: the same seed gives the same capture, byte for byte.
 * @module
 */

function splitmix32(state: number): number {
  state = (state + 0x9e3779b9) | 0;
  let z = state;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

export class Rng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  constructor(seed: number) {
    let s = seed >>> 0;
    this.#a = splitmix32(s);
    s = (s + 0x9e3779b9) | 0;
    this.#b = splitmix32(s);
    s = (s + 0x9e3779b9) | 0;
    this.#c = splitmix32(s);
    s = (s + 0x9e3779b9) | 0;
    this.#d = splitmix32(s) | 1;
    for (let i = 0; i < 16; i++) this.u32();
  }

  /** A uniform unsigned 32-bit integer. */
  u32(): number {
    const a = this.#a;
    const b = this.#b;
    const c = this.#c;
    const t = (((a + b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = b ^ (b >>> 9);
    this.#b = (c + (c << 3)) | 0;
    this.#c = ((c << 21) | (c >>> 11)) + t;
    this.#c |= 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform integer in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }

  /** Uniform real in [lo, hi). */
  range(lo: number, hi: number): number {
    return lo + this.float() * (hi - lo);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.float() * items.length)];
  }

  /** Exponentially distributed value with the given mean. */
  exp(mean: number): number {
    return -Math.log(1 - this.float()) * mean;
  }

  /** Fill `len` bytes of `buf` at `off` with pseudo-random bytes. */
  fill(buf: Buffer, off: number, len: number): void {
    let i = 0;
    for (; i + 4 <= len; i += 4) buf.writeUInt32LE(this.u32(), off + i);
    for (; i < len; i++) buf[off + i] = this.u32() & 0xff;
  }
}

/** Turn a seed given on the command line (number or any string) into 32 bits. */
export function seedFromString(seed: string): number {
  if (/^\d+$/.test(seed)) return Number(BigInt(seed) & 0xffffffffn);
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
