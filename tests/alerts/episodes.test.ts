import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AllowList } from '../../src/alerts/allow.js';
import { AlertManager, QUIET_S, UPDATE_S } from '../../src/alerts/episodes.js';
import { who } from '../../src/alerts/who.js';
import { createDetectors } from '../../src/detect/index.js';
import type { Finding } from '../../src/detect/types.js';
import type { AlertRecord } from '../../src/sinks/records.js';
import { Device, NameRank } from '../../src/devices/device.js';
import { device } from '../detect/window.js';

const T0 = 1_700_000_000;

function beacon(ts: number, contacts: number): Finding {
  return {
    behaviour: 'beaconing',
    key: '203.0.113.9:443',
    ts,
    score: 0.9,
    severity: 'medium',
    facts: {
      ip: '203.0.113.9',
      port: 443,
      name: '',
      dnsAnswered: false,
      periodS: 30,
      jitterS: 0.8,
      contacts,
      firstContact: T0,
      bytesPerContact: 120,
    },
  };
}

describe('AlertManager', () => {
  it('opens an episode, updates it at most every 5 minutes, closes it when quiet', () => {
    const out: AlertRecord[] = [];
    const m = new AlertManager(createDetectors(), (r) => out.push(r));
    const mac = '02:00:00:00:00:01';
    for (let i = 0; i < 12; i++) {
      const now = T0 + 60 * (i + 1);
      m.take(mac, 'Robot vacuum (Roborock, 192.168.1.23)', [beacon(now - 30, 6 + 2 * i)], now);
      m.tick(now);
    }
    expect(out.map((r) => r.state)).toEqual(['open', 'update', 'update']);
    expect(out[1].ts - out[0].ts).toBe(UPDATE_S);
    expect(m.hasOpen(mac)).toBe(true);
    m.tick(T0 + 12 * 60 + QUIET_S - 1);
    expect(m.hasOpen(mac)).toBe(true);
    m.tick(T0 + 12 * 60 + QUIET_S);
    expect(out.at(-1)?.state).toBe('closed');
    expect(new Set(out.map((r) => r.episode)).size).toBe(1);
    expect(m.opened).toBe(1);
    const open = out[0];
    expect(open.summary).toBe(
      'Robot vacuum (Roborock, 192.168.1.23) has contacted 203.0.113.9:443 every 30 s (±0.8 s) 6 times since 22:13 UTC; it never used this address before and looked no name up for it.',
    );
    expect(out.at(-1)?.summary).toMatch(/ 28 times since/);
    expect(open.evidence).toMatchObject({ ip: '203.0.113.9', periodS: 30, since: T0 + 30 });
    expect(String(open.evidence.advice)).toMatch(/block the address/);
  });

  it('keeps separate episodes per key and per device, and closes all at the end', () => {
    const out: AlertRecord[] = [];
    const m = new AlertManager(createDetectors(), (r) => out.push(r));
    const other = { ...beacon(T0, 6), key: '198.51.100.1:8883' };
    m.take('02:00:00:00:00:01', 'A', [beacon(T0, 6), other], T0 + 60);
    m.take('02:00:00:00:00:02', 'B', [beacon(T0, 6)], T0 + 60);
    expect(out.filter((r) => r.state === 'open')).toHaveLength(3);
    m.closeAll(T0 + 120);
    expect(out.filter((r) => r.state === 'closed')).toHaveLength(3);
    expect(m.openCount).toBe(0);
  });

  it('survives a restart through its snapshot with the same episode id', () => {
    const out: AlertRecord[] = [];
    const m = new AlertManager(createDetectors(), (r) => out.push(r));
    m.take('02:00:00:00:00:01', 'A', [beacon(T0, 6)], T0 + 60);
    const saved = JSON.parse(JSON.stringify(m.snapshot())) as unknown;
    const m2 = new AlertManager(createDetectors(), (r) => out.push(r));
    m2.restore(saved);
    m2.take('02:00:00:00:00:01', 'A', [beacon(T0 + 400, 20)], T0 + 460);
    expect(out.map((r) => r.state)).toEqual(['open', 'update']);
    expect(out[1].episode).toBe(out[0].episode);
    expect(() => m2.restore({})).toThrow(/episodes/);
  });
});

describe('AllowList', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hw-allow-'));
  const file = (name: string, text: string): string => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  it('drops what the household accepts, by mac, behaviour and endpoint, and counts it', () => {
    const p = file(
      'ok.json',
      JSON.stringify([
        {
          mac: '02:00:00:00:00:01',
          behaviour: 'beaconing',
          endpoint: '203.0.113.9',
          reason: 'vendor telemetry',
        },
        { mac: '*', behaviour: 'upnp_exposure', reason: 'the console maps its ports' },
      ]),
    );
    const a = AllowList.load(p);
    expect(a.allows('02:00:00:00:00:01', beacon(T0, 6))).toBe(true);
    expect(a.allows('02:00:00:00:00:02', beacon(T0, 6))).toBe(false);
    expect(
      a.allows('02:00:00:00:00:01', { ...beacon(T0, 6), key: '198.51.100.1:443', facts: {} }),
    ).toBe(false);
    expect(a.allows('02:00:00:00:00:09', { ...beacon(T0, 6), behaviour: 'upnp_exposure' })).toBe(
      true,
    );
    expect(a.suppressed).toEqual([1, 1]);
  });

  it('matches IPv6 endpoints bare or as [address]:port, never one address by another’s prefix', () => {
    const v6 = { ...beacon(T0, 6), key: '2001:db8::9:443', facts: {} };
    const allows = (endpoint: string, f = v6): boolean =>
      AllowList.load(
        file(
          'v6.json',
          JSON.stringify([{ mac: '*', behaviour: 'beaconing', endpoint, reason: 'r' }]),
        ),
      ).allows('02:00:00:00:00:01', f);
    expect(allows('2001:db8::9')).toBe(true);
    expect(allows('[2001:DB8::9]:443')).toBe(true);
    expect(allows('[2001:db8::9]')).toBe(true);
    expect(allows('[2001:db8::9]:8443')).toBe(false);
    // 2001:db8::9:443 is an address too, but the key's last colon is its port's.
    expect(allows('2001:db8::9:44')).toBe(false);
    expect(allows('2001:db8::9', { ...v6, key: '2001:db8::9:5:443' })).toBe(false);
    expect(allows('203.0.113.9', { ...v6, key: '203.0.113.9:443' })).toBe(true);
  });

  it('takes an IPv6 endpoint in any valid textual form, written at load as findings write it', () => {
    const load = (endpoint: string): AllowList =>
      AllowList.load(
        file(
          'forms.json',
          JSON.stringify([{ mac: '*', behaviour: 'beaconing', endpoint, reason: 'r' }]),
        ),
      );
    const v6 = { ...beacon(T0, 6), key: '2001:db8::9:443', facts: {} };
    for (const endpoint of [
      '2001:0db8:0000:0000:0000:0000:0000:0009',
      '2001:DB8:0:0:0:0:0:9',
      '2001:db8::0009',
      '[2001:0DB8::9]',
      '[2001:db8:0:0::9]:443',
      ' [2001:db8::9]:0443 ',
    ]) {
      expect(load(endpoint).entries[0].endpoint, endpoint).toMatch(
        /^(\[2001:db8::9\](:443)?|2001:db8::9)$/,
      );
      expect(load(endpoint).allows('02:00:00:00:00:01', v6), endpoint).toBe(true);
    }
    expect(load('[2001:db8:0:0::9]:8443').allows('02:00:00:00:00:01', v6)).toBe(false);
    // A key with its address written another way in the facts of an exposure.
    const exposed = { ...beacon(T0, 6), key: '', facts: { ip: 'fd00::5', port: 8080 } };
    expect(load('FD00:0:0::0005').allows('02:00:00:00:00:01', exposed)).toBe(true);
    expect(load('[fd00::0:5]:8080').allows('02:00:00:00:00:01', exposed)).toBe(true);
    // IPv4 without leading zeros; names in lower case.
    expect(load('203.0.113.009:443').entries[0].endpoint).toBe('203.0.113.9:443');
    expect(load('Telemetry.Example').entries[0].endpoint).toBe('telemetry.example');
  });

  it('refuses an endpoint that is not a valid address, in one line naming the file and the entry', () => {
    const cases: [string, RegExp][] = [
      ['2001:db8::g', /entry 2: endpoint '2001:db8::g' is not an IPv6 address$/],
      ['2001:db8::1::2', /entry 2: endpoint .* not an IPv6 address/],
      ['1:2:3:4:5:6:7:8:9', /not an IPv6 address/],
      ['[2001:db8::9', /must be \[IPv6 address\]/],
      ['[2001:db8::9]:70000', /port '70000'/],
      ['[203.0.113.9]:443', /'203\.0\.113\.9', which is not an IPv6 address/],
      ['203.0.113.256', /'203\.0\.113\.256' is not an IPv4 address/],
      ['203.0.113.9:http', /port 'http'/],
    ];
    for (const [endpoint, re] of cases) {
      const p = file(
        'bad-endpoint.json',
        JSON.stringify([
          { mac: '*', behaviour: 'scan', reason: 'r' },
          { mac: '*', behaviour: 'beaconing', endpoint, reason: 'r' },
        ]),
      );
      let message = '';
      try {
        AllowList.load(p);
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message, endpoint).toMatch(re);
      expect(message).toContain(`--allow ${p}: entry 2`);
      expect(message).not.toContain('\n');
    }
  });

  it('says in one line what is wrong with the file', () => {
    const cases: [string, RegExp][] = [
      ['{', /not JSON/],
      ['{"x":1}', /expected a JSON array/],
      ['[{"mac":"zz","behaviour":"scan","reason":"r"}]', /entry 1: mac/],
      ['[{"mac":"*","behaviour":"hacking","reason":"r"}]', /unknown behaviour 'hacking'/],
      ['[{"mac":"*","behaviour":"scan"}]', /reason/],
    ];
    for (const [text, re] of cases) {
      const p = file('bad.json', text);
      expect(() => AllowList.load(p)).toThrow(re);
      try {
        AllowList.load(p);
      } catch (err) {
        expect((err as Error).message).toContain(p);
        expect((err as Error).message).not.toContain('\n');
      }
    }
    expect(() => AllowList.load(join(dir, 'missing.json'))).toThrow(/no such file/);
  });
});

describe('who', () => {
  it('names a device by kind, vendor and address, or by vendor alone', () => {
    const d = device();
    expect(who(d)).toBe('Robot vacuum (Roborock, 192.168.1.23)');
    const other = new Device({
      id: 99,
      mac: 0x020000000077,
      vendor: 'Hon Hai Precision Ind. Co.,Ltd.',
      firstSeen: 0,
      maxIps: 2,
    });
    other.addIp4(0xc0a80128);
    expect(who(other)).toBe('Hon Hai Precision device (192.168.1.40)');
    d.offerName('rockrobo', NameRank.Dhcp);
    expect(who(d)).toMatch(/^Robot vacuum 'rockrobo' \(Roborock, 192\.168\.1\.23\)$/);
  });
});
