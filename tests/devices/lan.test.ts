import { describe, expect, it } from 'vitest';
import {
  isBroadcast4,
  isMulticast4,
  isMulticast6,
  isSpecial4,
  LanMatcher,
  MAX_LEARNED6,
  parseCidr,
  parseIpv6,
} from '../../src/devices/lan.js';
import { HomewatchError } from '../../src/util/errors.js';
import { ip4, ip6 } from './packets.js';

const lan = new LanMatcher();

describe('LanMatcher default IPv4 ranges', () => {
  const cases: [string, boolean][] = [
    ['9.255.255.255', false],
    ['10.0.0.0', true],
    ['10.255.255.255', true],
    ['11.0.0.0', false],
    ['172.15.255.255', false],
    ['172.16.0.0', true],
    ['172.31.255.255', true],
    ['172.32.0.0', false],
    ['192.167.255.255', false],
    ['192.168.0.0', true],
    ['192.168.255.255', true],
    ['192.169.0.0', false],
    ['169.253.255.255', false],
    ['169.254.0.1', true],
    ['169.254.255.255', true],
    ['169.255.0.0', false],
    ['100.64.0.1', false], // CGNAT is not local unless configured
    ['8.8.8.8', false],
    ['0.0.0.0', false],
    ['127.0.0.1', false],
    ['224.0.0.251', false],
    ['255.255.255.255', false],
  ];
  it.each(cases)('%s local=%s', (addr, local) => {
    expect(lan.isLocal4(ip4(addr))).toBe(local);
  });

  it('classifies multicast, broadcast and special addresses as neither local nor remote', () => {
    for (const a of ['224.0.0.0', '239.255.255.250', '224.0.0.251']) {
      expect(isMulticast4(ip4(a))).toBe(true);
      expect(lan.isRemote4(ip4(a))).toBe(false);
    }
    expect(isMulticast4(ip4('223.255.255.255'))).toBe(false);
    expect(isMulticast4(ip4('240.0.0.0'))).toBe(false);
    expect(isBroadcast4(ip4('255.255.255.255'))).toBe(true);
    expect(isBroadcast4(ip4('192.168.1.255'))).toBe(false);
    expect(lan.isRemote4(ip4('255.255.255.255'))).toBe(false);
    expect(lan.isRemote4(ip4('0.0.0.0'))).toBe(false);
    expect(lan.isRemote4(ip4('127.0.0.1'))).toBe(false);
    expect(isSpecial4(ip4('8.8.8.8'))).toBe(false);
    expect(lan.isRemote4(ip4('8.8.8.8'))).toBe(true);
    expect(lan.isRemote4(ip4('223.255.255.255'))).toBe(true);
    expect(lan.isRemote4(ip4('192.168.1.1'))).toBe(false);
  });
});

describe('LanMatcher default IPv6 ranges', () => {
  const cases: [string, boolean][] = [
    ['fe80::1', true],
    ['febf:ffff::1', true], // last of fe80::/10
    ['fec0::1', false],
    ['fe7f::1', false],
    ['fc00::1', true],
    ['fdff:ffff::1', true],
    ['fbff::1', false],
    ['fe00::1', false],
    ['2001:db8::1', false],
    ['::1', false],
    ['ff02::fb', false],
  ];
  it.each(cases)('%s local=%s', (addr, local) => {
    expect(lan.isLocal6(ip6(addr))).toBe(local);
  });

  it('separates multicast and unspecified from remote', () => {
    expect(isMulticast6(ip6('ff02::fb'))).toBe(true);
    expect(isMulticast6(ip6('fe80::1'))).toBe(false);
    expect(lan.isRemote6(ip6('ff02::c'))).toBe(false);
    expect(lan.isRemote6(ip6('::'))).toBe(false);
    expect(lan.isRemote6(ip6('::1'))).toBe(false);
    expect(lan.isRemote6(ip6('2a00:1450:4001::200e'))).toBe(true);
    expect(lan.isRemote6(ip6('fd00::5'))).toBe(false);
  });
});

describe('LanMatcher with --lan CIDRs', () => {
  const custom = new LanMatcher([
    '100.64.0.0/10',
    '203.0.113.128/25',
    '2001:db8:1::/48',
    '0.0.0.0/0',
  ]);
  const narrow = new LanMatcher(['100.64.0.0/10', '203.0.113.128/25', '2001:db8:1::/48']);

  it('adds IPv4 ranges with exact boundaries', () => {
    expect(narrow.isLocal4(ip4('100.63.255.255'))).toBe(false);
    expect(narrow.isLocal4(ip4('100.64.0.0'))).toBe(true);
    expect(narrow.isLocal4(ip4('100.127.255.255'))).toBe(true);
    expect(narrow.isLocal4(ip4('100.128.0.0'))).toBe(false);
    expect(narrow.isLocal4(ip4('203.0.113.127'))).toBe(false);
    expect(narrow.isLocal4(ip4('203.0.113.128'))).toBe(true);
    expect(narrow.isLocal4(ip4('203.0.113.255'))).toBe(true);
    // built-in ranges still hold
    expect(narrow.isLocal4(ip4('192.168.1.1'))).toBe(true);
    expect(narrow.isLocal4(ip4('8.8.8.8'))).toBe(false);
  });

  it('adds IPv6 ranges with exact boundaries', () => {
    expect(narrow.isLocal6(ip6('2001:db8:1::'))).toBe(true);
    expect(narrow.isLocal6(ip6('2001:db8:1:ffff:ffff:ffff:ffff:ffff'))).toBe(true);
    expect(narrow.isLocal6(ip6('2001:db8:2::'))).toBe(false);
    expect(narrow.isLocal6(ip6('2001:db8:0:ffff::1'))).toBe(false);
    expect(narrow.isLocal6(ip6('fe80::1'))).toBe(true);
  });

  it('handles /0 and /32 and /128', () => {
    expect(custom.isLocal4(ip4('8.8.8.8'))).toBe(true);
    const host = new LanMatcher(['198.51.100.7/32', '2001:db8::7/128']);
    expect(host.isLocal4(ip4('198.51.100.7'))).toBe(true);
    expect(host.isLocal4(ip4('198.51.100.6'))).toBe(false);
    expect(host.isLocal6(ip6('2001:db8::7'))).toBe(true);
    expect(host.isLocal6(ip6('2001:db8::8'))).toBe(false);
    expect(host.extra).toEqual(['198.51.100.7/32', '2001:db8::7/128']);
  });

  it('rejects bad CIDRs with ERR_USAGE and a message naming the CIDR and the problem', () => {
    const bad: [string, RegExp][] = [
      ['192.168.1.0', /--lan 192\.168\.1\.0: expected ADDRESS\/PREFIX/],
      ['192.168.1.0/33', /prefix length must be a number from 0 to 32/],
      ['192.168.1.0/-1', /prefix length/],
      ['192.168.1.0/', /prefix length/],
      ['2001:db8::/129', /from 0 to 128/],
      ['300.1.1.0/24', /'300\.1\.1\.0' is not an IPv4 address/],
      ['2001:db8:::/48', /is not an IPv6 address/],
      ['192.168.1.5/24', /host bits set; did you mean 192\.168\.1\.0\/24\?/],
      ['2001:db8::1/64', /host bits set below \/64/],
      ['fe80::1%eth0/64', /not an IPv6 address/],
      ['', /expected ADDRESS\/PREFIX/],
    ];
    for (const [cidr, message] of bad) {
      let err: unknown;
      try {
        new LanMatcher([cidr]);
      } catch (e) {
        err = e;
      }
      expect(err, cidr).toBeInstanceOf(HomewatchError);
      expect((err as HomewatchError).code).toBe('ERR_USAGE');
      expect((err as HomewatchError).message).toMatch(message);
    }
  });

  it('parses CIDRs into base and mask', () => {
    const c = parseCidr(' 10.1.0.0/16 ');
    expect(c.family).toBe(4);
    if (c.family === 4) {
      expect(c.base >>> 0).toBe(ip4('10.1.0.0'));
      expect(c.mask >>> 0).toBe(0xffff0000);
    }
  });
});

describe('parseIpv6', () => {
  it('parses compressed, full and IPv4-tailed forms', () => {
    expect([...(parseIpv6('::') ?? [])]).toEqual([0, 0, 0, 0]);
    expect([...(parseIpv6('2001:db8::1') ?? [])]).toEqual([0x20010db8, 0, 0, 1]);
    expect([...(parseIpv6('1:2:3:4:5:6:7:8') ?? [])]).toEqual([0x10002, 0x30004, 0x50006, 0x70008]);
    expect([...(parseIpv6('::ffff:192.0.2.1') ?? [])]).toEqual([0, 0, 0xffff, 0xc0000201]);
    expect([...(parseIpv6('FE80::ABCD') ?? [])]).toEqual([0xfe800000, 0, 0, 0xabcd]);
  });
  it('rejects malformed text', () => {
    for (const t of [
      '',
      ':::',
      '1::2::3',
      '1:2:3:4:5:6:7',
      '1:2:3:4:5:6:7:8:9',
      '12345::',
      'g::1',
      '1:2:3:4:5:6:7::8',
    ]) {
      expect(parseIpv6(t), t).toBeNull();
    }
  });
});

describe('LanMatcher learned IPv6 prefixes', () => {
  it('learns the /64 of a global unicast address, once, and bounded', () => {
    const m = new LanMatcher();
    expect(m.isLocal6(ip6('2001:db8:4a1:100::5'))).toBe(false);
    expect(m.learn6(ip6('2001:db8:4a1:100:a:b:c:d'))).toBe(true);
    expect(m.learn6(ip6('2001:db8:4a1:100::9'))).toBe(false); // known already
    expect(m.isLocal6(ip6('2001:db8:4a1:100::5'))).toBe(true);
    expect(m.isLocal6(ip6('2001:db8:4a1:101::5'))).toBe(false);
    expect(m.isRemote6(ip6('2001:db8:4a1:100::5'))).toBe(false);
    expect(m.learnedPrefixes6()).toEqual(['2001:db8:4a1:100::/64']);
    // Not global unicast: multicast, link-local, ULA (local anyway), loopback, 4000::/3.
    for (const a of ['ff02::1', 'fe80::1', 'fd00::1', '::1', '4000::1'])
      expect(m.learn6(ip6(a))).toBe(false);
    for (let i = 1; i < MAX_LEARNED6; i++) expect(m.learn6(ip6(`2a00:${i}::1`))).toBe(true);
    expect(m.learn6(ip6('2a01:1::1'))).toBe(false); // full
    expect(m.isLocal6(ip6('2a01:1::1'))).toBe(false);
    expect(m.learnedPrefixes6()).toHaveLength(MAX_LEARNED6);
  });
});
