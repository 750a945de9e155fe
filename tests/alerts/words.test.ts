/** The small pieces of English alert sentences are built from. */
import { describe, expect, it } from 'vitest';
import { list, plural } from '../../src/alerts/words.js';

describe('list', () => {
  it('joins up to max items, then says how many more', () => {
    expect(list([])).toBe('');
    expect(list(['a'])).toBe('a');
    expect(list(['a', 'b'])).toBe('a and b');
    expect(list(['a', 'b', 'c'])).toBe('a, b and c');
    expect(list(['a', 'b', 'c', 'd', 'e'], 3)).toBe('a, b, c and 2 more');
  });

  it('counts the rest from the total when only the first items were kept', () => {
    // An episode keeps 32 services by name and counts 83: "and 80 more", not "and 29 more".
    const kept = Array.from({ length: 32 }, (_, i) => `s${i}`);
    expect(list(kept, 3, 83)).toBe('s0, s1, s2 and 80 more');
    // A total below the items kept (an older record) never hides items.
    expect(list(['a', 'b', 'c', 'd'], 3, 2)).toBe('a, b, c and 1 more');
  });
});

describe('plural', () => {
  it('writes the count in English with the right noun', () => {
    expect(plural(1, 'host')).toBe('1 host');
    expect(plural(1216, 'address', 'addresses')).toBe('1,216 addresses');
  });
});
