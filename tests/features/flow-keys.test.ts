/**
 * features/flow-keys.ts: the IPv6 text cache gives every address its own text, whatever it
 * shares a slot with, and the same string object while the address stays cached.
 */
import { describe, expect, it } from 'vitest';
import { ipv6ToString } from '../../src/decode/addr.js';
import { text6 } from '../../src/features/flow-keys.js';

describe('text6', () => {
  it('is ipv6ToString for every address, cached or evicted, at either offset', () => {
    let x = 12345;
    const next = (): number => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return x >>> 0;
    };
    const addrs = Array.from({ length: 20_000 }, () => {
      const w = new Uint32Array(8);
      for (let i = 0; i < 8; i++) w[i] = next();
      if (next() % 2 === 0) w[1] = w[5] = 0; // some with zero runs (compressed text)
      return w;
    });
    // Three passes: the first fills the cache, later ones hit it or find another address there.
    for (let pass = 0; pass < 3; pass++) {
      for (const w of addrs) {
        expect(text6(w, 0)).toBe(ipv6ToString(w, 0));
        expect(text6(w, 4)).toBe(ipv6ToString(w, 4));
      }
    }
  });

  it('gives the same string again while the address is cached', () => {
    const w = Uint32Array.from([0x20010db8, 0x04a10100, 0, 0x77]);
    const a = text6(w, 0);
    expect(text6(Uint32Array.from(w), 0)).toBe(a);
    expect(a).toBe('2001:db8:4a1:100::77');
  });
});
