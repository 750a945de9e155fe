import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lookupVendor, ouiTable } from '../../src/devices/oui.js';
import { mac } from './packets.js';

const vendor = (m: string): string => lookupVendor(mac(m)).vendor;

/**
 * Reference lookup written the way the package's README shows it: JSON.parse the whole file and
 * try the 9-, 7-, then 6-hex-digit prefix; vendor = first line, trimmed.
 */
const registry = JSON.parse(
  readFileSync(createRequire(import.meta.url).resolve('oui-data'), 'utf8'),
) as Record<string, string>;
function reference(m: number): string {
  const hex = m.toString(16).padStart(12, '0').toUpperCase();
  const v = registry[hex.slice(0, 9)] ?? registry[hex.slice(0, 7)] ?? registry[hex.slice(0, 6)];
  return v === undefined ? '' : v.split('\n')[0].trim();
}

describe('lookupVendor', () => {
  it('names the vendors of the IoT Sentinel and lifecycle devices (MA-L, 24 bits)', () => {
    expect(vendor('00:17:88:24:76:ff')).toBe('Philips Lighting BV');
    expect(vendor('50:c7:bf:00:fc:a3')).toBe('TP-LINK TECHNOLOGIES CO.,LTD.');
    expect(vendor('94:10:3e:41:c2:05')).toBe('Belkin International Inc.');
    expect(vendor('74:da:38:80:7a:08')).toBe('Edimax Technology Co. Ltd.');
    expect(vendor('b0:c5:54:25:5b:0e')).toBe('D-Link International');
    // The registry still lists 00:03:7f under Atheros (acquired by Qualcomm in 2011).
    expect(vendor('00:03:7f:96:d8:ec')).toBe('Atheros Communications, Inc.');
    expect(vendor('f4:21:ae:9e:8f:cb')).toBe('Shanghai Xiaodu Technology Limited');
    expect(lookupVendor(mac('00:17:88:24:76:ff')).prefixBits).toBe(24);
  });

  it('prefers an MA-M (28-bit) entry over its IEEE-RA parent block', () => {
    const info = lookupVendor(mac('c8:5c:e2:7a:bc:de'));
    expect(info).toEqual({
      vendor: 'SYNERGY SYSTEMS AND SOLUTIONS',
      randomMac: false,
      prefixBits: 28,
    });
    expect(vendor('c8:5c:e2:8f:00:00')).toBe('LYNX Technik AG');
  });

  it('prefers an MA-S (36-bit) entry', () => {
    const info = lookupVendor(mac('70:b3:d5:00:1a:bc'));
    expect(info.prefixBits).toBe(36);
    expect(info.vendor).toBe('SOREDI touch systems GmbH');
    expect(vendor('70:b3:d5:00:2f:ff')).toBe('Gogo BA');
  });

  it('decodes escapes and non-ASCII names as the registry has them', () => {
    expect(vendor('00:04:35:00:00:01')).toBe('InfiNet LLC');
    expect(vendor('00:13:01:00:00:01')).toBe('IronGate S.L.');
    expect(vendor('5c:f8:38:d0:00:00')).toBe('Watts A\\S'); // JSON "A\\S": one backslash
    expect(vendor('00:00:5a:00:00:01')).toBe('SysKonnect GmbH');
  });

  it('flags locally administered (randomised) MACs and gives no vendor', () => {
    for (const m of [
      'da:a1:19:12:34:56',
      '02:00:00:00:00:01',
      'f6:21:ae:9e:8f:cb',
      '3a:17:88:00:00:00',
    ]) {
      expect(lookupVendor(mac(m)), m).toEqual({ vendor: '', randomMac: true, prefixBits: 0 });
    }
  });

  it('gives an empty vendor for an unregistered prefix', () => {
    // 00:00:00 is Xerox; find a globally administered prefix absent from the registry.
    let m = -1;
    for (let p = 0x0c0000; p < 0x0d0000; p++) {
      const hex = p.toString(16).padStart(6, '0').toUpperCase();
      if (registry[hex] === undefined && (p & 0x020000) === 0) {
        m = p * 0x1000000 + 0x123456;
        break;
      }
    }
    expect(m).toBeGreaterThan(0);
    expect(lookupVendor(m)).toEqual({ vendor: '', randomMac: false, prefixBits: 0 });
  });

  it('relies on an order the shipped registry file has: by digit count, then value', () => {
    // The lookup binary-searches the file's lines; a release of oui-data that reorders them
    // must fail here (and in the reference comparison below), not give wrong vendors quietly.
    const keys = [
      ...readFileSync(createRequire(import.meta.url).resolve('oui-data'), 'latin1').matchAll(
        /^\s*"([0-9A-F]+)":/gm,
      ),
    ].map((m) => m[1]);
    expect(keys.length).toBe(Object.keys(registry).length);
    const out: string[] = [];
    for (let i = 1; i < keys.length; i++) {
      const a = keys[i - 1];
      const b = keys[i];
      if (a.length > b.length || (a.length === b.length && parseInt(a, 16) >= parseInt(b, 16)))
        out.push(`${a} before ${b}`);
    }
    expect(out).toEqual([]);
  });

  it('agrees with a JSON.parse reference on every registered prefix', () => {
    const t = ouiTable();
    const sizes = t.sizes;
    expect(sizes.ma24 + sizes.ma28 + sizes.ma36).toBe(Object.keys(registry).length);
    let checked = 0;
    const mismatches: string[] = [];
    for (const key of Object.keys(registry)) {
      const m = parseInt(key.padEnd(12, '7'), 16);
      if ((Math.floor(m / 0x10000000000) & 0x02) !== 0) continue; // random bit set
      const got = lookupVendor(m).vendor;
      if (got !== reference(m)) mismatches.push(`${key}: ${got}`);
      checked++;
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBeGreaterThan(50_000);
    expect(t.loadMs).toBeGreaterThan(0);
  });

  it('agrees with the reference on random globally administered MACs', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffffff }),
        fc.integer({ min: 0, max: 0xffffff }),
        (hi, lo) => {
          const m = (hi & ~0x020000) * 0x1000000 + lo;
          expect(lookupVendor(m).vendor).toBe(reference(m));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
