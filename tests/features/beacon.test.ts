import { describe, expect, it } from 'vitest';
import {
  BeaconTracker,
  CONTACT_HISTORY,
  MAX_ENDPOINTS,
  MIN_CONTACTS,
} from '../../src/features/beacon.js';

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

describe('BeaconTracker horizon and sizes', () => {
  it('sees a slow beacon: one contact every 10 minutes for 3 hours', () => {
    const b = new BeaconTracker();
    const r = rng(3);
    const windowS = 60;
    let seen: ReturnType<BeaconTracker['strongest']> = null;
    for (let i = 0; i <= 18; i++) {
      const t = 1_700_000_000 + i * 600 + (r() - 0.5) * 2;
      // Other endpoints come and go between the beacon's contacts (a busy device).
      for (let e = 0; e < 20; e++)
        b.contact(`2001:db8::${i}:${e}`, t + 1 + e, Math.floor(t / windowS));
      b.contact(0xcb007105, t, Math.floor(t / windowS));
      seen = b.strongest(Math.floor(t / windowS));
    }
    expect(seen?.endpoint).toBe(0xcb007105);
    expect(seen?.contacts).toBe(19);
    expect(seen?.periodS).toBeGreaterThan(595);
    expect(seen?.periodS).toBeLessThan(605);
    expect(seen?.score).toBeGreaterThan(0.9);
    expect(b.evicted).toBeGreaterThan(0); // the one-off endpoints were evicted, the beacon was not
  });

  it('keeps CONTACT_HISTORY contacts and scores the bytes sent per contact', () => {
    const b = new BeaconTracker();
    // One flow (its payload counter) carrying every contact: 64 or 66 bytes a contact.
    const flow = { payloadUp: 0 };
    for (let i = 0; i < CONTACT_HISTORY + 10; i++) {
      b.contact(7, 100 + i * 30, 0, 8883, flow);
      flow.payloadUp += i % 2 === 0 ? 64 : 66;
    }
    const [r] = b.reports(0);
    expect(r).toMatchObject({ endpoint: 7, port: 8883, contacts: CONTACT_HISTORY, periodS: 30 });
    expect(r.jitterS).toBe(0);
    expect(r.firstContact).toBe(100 + 10 * 30);
    expect(r.bytesPerContact).toBe(65);
    expect(r.sizeScore).toBeGreaterThan(0.9);
    // Sizes drawn from an exponential distribution score low, as such intervals do above; here
    // each contact is a flow of its own.
    const c = new BeaconTracker();
    const rr = rng(4);
    for (let i = 0; i < 30; i++) {
      const f = { payloadUp: 0 };
      c.contact(8, i * 30, 0, 443, f);
      f.payloadUp = Math.floor(-Math.log(1 - rr()) * 5000);
    }
    expect(c.reports(0)[0].sizeScore).toBeLessThan(0.7);
  });

  it('a contact\u2019s bytes are its flow\u2019s until the next contact; an evicted slot starts afresh', () => {
    const b = new BeaconTracker();
    const a = { payloadUp: 1000 }; // a flow that had sent 1000 bytes before this burst
    b.contact('old', 0, 0, 443, a);
    a.payloadUp += 300;
    for (let e = 1; e <= MAX_ENDPOINTS; e++) b.contact(e, e, 0);
    expect(b.evicted).toBe(1);
    // 'old' was the stalest: its slot now holds another endpoint, which starts with no bytes.
    const fresh = { payloadUp: 50 };
    for (let i = 0; i < MIN_CONTACTS; i++) {
      b.contact('fresh', 1000 + i * 10, 1, 80, fresh);
      fresh.payloadUp += 20;
    }
    a.payloadUp += 999;
    const r = b.reports(1).find((x) => x.endpoint === 'fresh');
    expect(r?.contacts).toBe(MIN_CONTACTS);
    expect(r?.bytesPerContact).toBe(20);
  });
});
