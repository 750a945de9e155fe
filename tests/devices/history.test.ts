import { describe, expect, it } from 'vitest';
import { BoundedKeySet, DeviceHistory } from '../../src/devices/history.js';
import { sanitizeName } from '../../src/devices/names.js';

describe('BoundedKeySet', () => {
  it('answers new / not new and remembers the last time', () => {
    const s = new BoundedKeySet(3);
    expect(s.addIsNew('203.0.113.9:443', 1)).toBe(true);
    expect(s.addIsNew('203.0.113.9:443', 5)).toBe(false);
    expect(s.lastAdded('203.0.113.9:443')).toBe(5);
    expect(s.has('203.0.113.9')).toBe(false);
    expect(s.size).toBe(1);
  });

  it('evicts the least recently added key when full and counts evictions', () => {
    const s = new BoundedKeySet(3);
    s.addIsNew('a', 1);
    s.addIsNew('b', 2);
    s.addIsNew('c', 3);
    s.addIsNew('a', 4); // a is now the newest
    expect(s.addIsNew('d', 5)).toBe(true); // evicts b
    expect(s.keys()).toEqual(['c', 'a', 'd']);
    expect(s.evicted).toBe(1);
    expect(s.addIsNew('b', 6)).toBe(true); // forgotten, so new again; evicts c
    expect(s.keys()).toEqual(['a', 'd', 'b']);
    expect(s.evicted).toBe(2);
    expect(s.size).toBe(3);
  });

  it('forgets the keys last added before a time, without counting them as evicted', () => {
    const s = new BoundedKeySet(4);
    s.addIsNew('a', 1);
    s.addIsNew('b', 2);
    s.addIsNew('c', 3);
    s.addIsNew('a', 4); // a is now the newest
    s.forgetBefore(3);
    expect(s.keys()).toEqual(['c', 'a']);
    expect(s.evicted).toBe(0);
  });

  it('loads saved entries keeping the newest maxSize', () => {
    const s = new BoundedKeySet(2);
    s.load(
      [
        ['x', 1],
        ['y', 2],
        ['z', 3],
      ],
      4,
    );
    expect(s.entries()).toEqual([
      ['y', 2],
      ['z', 3],
    ]);
    expect(s.evicted).toBe(5);
  });

  it('rejects a non-positive size', () => {
    expect(() => new BoundedKeySet(0)).toThrow(RangeError);
  });

  it('DeviceHistory has separate bounded names and endpoints', () => {
    const h = new DeviceHistory({ maxNames: 1, maxEndpoints: 2 });
    h.names.addIsNew('a.example', 1);
    h.names.addIsNew('b.example', 2);
    h.endpoints.addIsNew('1.1.1.1', 1);
    expect(h.names.keys()).toEqual(['b.example']);
    expect(h.endpoints.keys()).toEqual(['1.1.1.1']);
  });
});

describe('sanitizeName', () => {
  it('drops control and invisible characters, collapses whitespace, caps length', () => {
    expect(sanitizeName('  Living\u0000Room\r\n Lamp ')).toBe('Living Room Lamp');
    expect(sanitizeName('\u202eevil\u200b')).toBe('evil');
    expect(sanitizeName('x'.repeat(100))).toHaveLength(64);
    expect(sanitizeName('\u0007\u0008')).toBe('');
    expect(sanitizeName('Küche-Lampe')).toBe('Küche-Lampe');
  });

  it('never leaves half a surrogate pair', () => {
    const s = sanitizeName('a'.repeat(63) + '😀');
    expect(s).toBe('a'.repeat(63));
    expect(sanitizeName('x\ud800y')).toBe('xy');
  });
});
