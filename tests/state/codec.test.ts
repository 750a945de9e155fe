/**
 * The state file's plain JSON for stages' Maps and Sets (src/state/codec.ts): what goes in comes
 * back, in order; what cannot be saved or read back is refused with ERR_STATE.
 */
import { describe, expect, it } from 'vitest';
import {
  expectMap,
  expectNumber,
  expectObject,
  expectStrings,
  fromPlain,
  toPlain,
} from '../../src/state/codec.js';
import { thrownCode } from '../helpers/thrown.js';

describe('state codec', () => {
  it('round-trips nested maps, sets, arrays and objects through JSON, keeping order', () => {
    const memory = new Map<string, unknown>([
      ['b', { windows: [3, 1, 2], hosts: new Set(['z', 'a']), ports: new Map([[443, [1, 2]]]) }],
      ['a', new Map([['x', 1.5]])],
    ]);
    const back = fromPlain(JSON.parse(JSON.stringify(toPlain(memory)))) as Map<string, unknown>;
    expect(back).toEqual(memory);
    expect([...back.keys()]).toEqual(['b', 'a']);
    const hosts = (back.get('b') as { hosts: Set<string> }).hosts;
    expect([...hosts]).toEqual(['z', 'a']);
  });

  it('refuses to save a number JSON cannot hold', () => {
    expect(thrownCode(() => toPlain(new Map([['a', NaN]])))).toBe('ERR_STATE');
    expect(thrownCode(() => toPlain({ until: Infinity }))).toBe('ERR_STATE');
  });

  it('checks shapes and names what is wrong', () => {
    const m = fromPlain({ $map: [['02:00:00:00:00:01', { n: 1, names: ['a'] }]] });
    const ok = expectMap(m, 'memory', (x, w) =>
      expectObject<{ n: number; names: string[] }>(x, w, { n: expectNumber, names: expectStrings }),
    );
    expect(ok.get('02:00:00:00:00:01')).toEqual({ n: 1, names: ['a'] });
    expect(() => expectMap(m, 'memory', expectNumber)).toThrow(
      'memory[02:00:00:00:00:01] is not a number',
    );
    expect(() => expectMap({ a: 1 }, 'memory', expectNumber)).toThrow('memory is not a map');
    expect(() => expectMap(m, 'memory', expectNumber, true)).toThrow('key of the wrong type');
    expect(thrownCode(() => fromPlain({ $map: [['a']] }))).toBe('ERR_STATE');
    expect(thrownCode(() => fromPlain({ $set: 3 }))).toBe('ERR_STATE');
  });
});
