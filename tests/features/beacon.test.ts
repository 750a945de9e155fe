import { describe, expect, it } from 'vitest';
import { BeaconTracker, MAX_ENDPOINTS, MIN_CONTACTS } from '../../src/features/beacon.js';

/** Deterministic pseudo-random numbers in [0, 1). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

describe('BeaconTracker', () => {
  it('scores a clock-driven heartbeat near 1 and reports its period', () => {
    const b = new BeaconTracker();
    const r = rng(1);
    for (let i = 0; i < 40; i++) b.contact(0x03794639, 1000 + i * 15 + (r() - 0.5) * 0.4, 0);
    const p = b.strongest(0);
    expect(p).not.toBeNull();
    expect(p?.score).toBeGreaterThan(0.9);
    expect(p?.periodS).toBeGreaterThan(14.5);
    expect(p?.periodS).toBeLessThan(15.5);
    expect(p?.endpoint).toBe(0x03794639);
  });

  it('scores human-driven (exponential, heavy-tailed) contacts low', () => {
    const b = new BeaconTracker();
    const r = rng(2);
    let t = 0;
    for (let i = 0; i < 40; i++) {
      t += -Math.log(1 - r()) * 30 + 1;
      b.contact('2001:db8::1', t, 0);
    }
    expect(b.strongest(0)?.score).toBeLessThan(0.7);
  });

  it('needs MIN_CONTACTS contacts and merges contacts closer than a second', () => {
    const b = new BeaconTracker();
    for (let i = 0; i < MIN_CONTACTS - 1; i++) b.contact(1, i * 10, 0);
    expect(b.strongest(0)).toBeNull();
    b.contact(1, (MIN_CONTACTS - 2) * 10 + 0.5, 0); // within a second of the last: same contact
    expect(b.strongest(0)).toBeNull();
    b.contact(1, (MIN_CONTACTS - 1) * 10, 0);
    expect(b.strongest(0)?.contacts).toBe(MIN_CONTACTS);
  });

  it('reports only endpoints contacted in the asked window', () => {
    const b = new BeaconTracker();
    for (let i = 0; i < 10; i++) b.contact(1, i * 10, i < 6 ? 0 : 1);
    expect(b.strongest(1)?.endpoint).toBe(1);
    expect(b.strongest(2)).toBeNull();
  });

  it('forgets the stalest endpoint beyond its bound, and counts it', () => {
    const b = new BeaconTracker();
    for (let i = 0; i <= MAX_ENDPOINTS; i++) b.contact(i, i, 0);
    expect(b.evicted).toBe(1);
  });

  it('starts a new endpoint afresh after an eviction, with none of the forgotten contacts', () => {
    const b = new BeaconTracker();
    // Endpoint 0 beacons every 10 s, then MAX_ENDPOINTS others push it out.
    for (let i = 0; i < 20; i++) b.contact(0, i * 10, 0);
    for (let e = 1; e <= MAX_ENDPOINTS; e++) b.contact(e, 200 + e, 0);
    expect(b.evicted).toBe(1);
    // A new endpoint gets the evicted one's storage: its history must be its own.
    for (let i = 0; i < MIN_CONTACTS - 1; i++) b.contact('new', 1000 + i * 60, 1);
    expect(b.strongest(1)).toBeNull();
    b.contact('new', 1000 + (MIN_CONTACTS - 1) * 60, 1);
    const p = b.strongest(1);
    expect(p?.endpoint).toBe('new');
    expect(p?.contacts).toBe(MIN_CONTACTS);
    expect(p?.periodS).toBe(60);
  });
});
