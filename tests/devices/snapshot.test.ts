import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nameFacts } from '../../src/devices/kind-facts.js';
import { DHCP_CLASS_ROWS, NAME_ROWS } from '../../src/devices/kind-tables.js';
import { LanMatcher, MAX_LEARNED6, parseIpv6 } from '../../src/devices/lan.js';
import { DeviceRegistry } from '../../src/devices/registry.js';
import type { DeviceRegistrySnapshot } from '../../src/devices/snapshot.js';
import { HomewatchError } from '../../src/util/errors.js';
import { BROADCAST, ipPacket, mac } from './packets.js';

const GW = 'c8:bf:4c:77:a0:3a';
const PLUG = 'f4:21:ae:9e:8f:cb';
const CAM = '78:df:72:24:69:4d';
const opts = () => ({ lan: new LanMatcher() });

/** A registry with names, IPv4 + IPv6, history and a decided gateway. */
function populated(): DeviceRegistry {
  const reg = new DeviceRegistry(opts());
  reg.observe(
    ipPacket({
      ts: 100,
      srcMac: PLUG,
      dstMac: BROADCAST,
      src: '192.168.1.221',
      dst: '255.255.255.255',
      app: {
        kind: 'dhcp',
        op: 1,
        messageType: 3,
        clientMac: mac(PLUG),
        clientIp: '',
        yourIp: '',
        hostname: 'plug',
        vendorClass: 'udhcp',
      },
    }),
  );
  reg.observe(
    ipPacket({
      ts: 101,
      srcMac: PLUG,
      dstMac: CAM,
      src: 'fe80::f621:aeff:fe9e:8fcb',
      dst: 'fe80::1',
    }),
  );
  reg.observe(
    ipPacket({ ts: 102, srcMac: CAM, dstMac: GW, src: '192.168.1.165', dst: '110.43.68.16' }),
  );
  for (let i = 0; i < 12; i++) {
    reg.observe(
      ipPacket({ ts: 103 + i, srcMac: GW, dstMac: CAM, src: '110.43.68.16', dst: '192.168.1.165' }),
    );
  }
  reg.observe(
    ipPacket({ ts: 120, srcMac: GW, dstMac: CAM, src: '192.168.1.1', dst: '192.168.1.165' }),
  );
  const cam = reg.lookup(mac(CAM));
  cam?.history.endpoints.addIsNew('110.43.68.16:443', 102);
  cam?.history.endpoints.addIsNew('42.157.163.171:80', 103);
  cam?.history.names.addIsNew('api.example.cn', 101);
  return reg;
}

describe('DeviceRegistry snapshot / restore', () => {
  it('round-trips through JSON with the same devices, names, ips, history and gateway', () => {
    const reg = populated();
    const snap = reg.snapshot();
    expect(snap.version).toBe(2);
    expect(snap.devices.map((d) => d.mac)).toEqual([PLUG, CAM, GW]);
    expect(snap.gatewayMac).toBe(GW);
    const json = JSON.parse(JSON.stringify(snap)) as unknown;
    const back = DeviceRegistry.restore(json, opts());
    expect(back.snapshot()).toEqual(snap);
    expect(back.gateway()?.macStr).toBe(GW);
    const plug = back.lookup(mac(PLUG));
    expect(plug?.name).toBe('plug');
    expect(plug?.nameSource).toBe('dhcp');
    expect(plug?.ipList()).toEqual(['192.168.1.221', 'fe80::f621:aeff:fe9e:8fcb']);
    const cam = back.lookup(mac(CAM));
    expect(cam?.history.endpoints.keys()).toEqual(['110.43.68.16:443', '42.157.163.171:80']);
    expect(cam?.history.endpoints.addIsNew('42.157.163.171:80', 200)).toBe(false);
    expect(cam?.history.names.addIsNew('api.example.cn', 200)).toBe(false);
    expect(back.drainChanged()).toEqual([]);
  });

  it('restored devices are not new, keep their ids, and new ones continue the numbering', () => {
    const back = DeviceRegistry.restore(populated().snapshot(), opts());
    back.observe(
      ipPacket({ ts: 500, srcMac: CAM, dstMac: GW, src: '192.168.1.165', dst: '110.43.68.16' }),
    );
    expect(back.isNew).toBe(false);
    expect(back.src?.id).toBe(1);
    expect(back.src?.firstSeen).toBe(102);
    expect(back.src?.lastSeen).toBe(500);
    back.observe(
      ipPacket({
        ts: 501,
        srcMac: '00:17:88:24:76:ff',
        dstMac: GW,
        src: '192.168.1.30',
        dst: '1.1.1.1',
      }),
    );
    expect(back.isNew).toBe(true);
    expect(back.src?.id).toBe(3);
    // A forwarded packet still counts towards the restored gateway, which stays.
    back.observe(
      ipPacket({ ts: 502, srcMac: GW, dstMac: CAM, src: '1.1.1.1', dst: '192.168.1.165' }),
    );
    expect(back.gatewayMac()).toBe(mac(GW));
  });

  it('drops the SSDP SERVER banners earlier versions kept as names; the other names stay in place', () => {
    const snap = populated().snapshot();
    const cam = snap.devices[1];
    const banner = 'Linux/3.10 UPnP/1.0 Camera/2.1';
    const older = {
      ...snap,
      devices: [
        { ...snap.devices[0], names: [...snap.devices[0].names, [banner, 1, 9, 100]] },
        { ...cam, name: banner, nameSource: 'ssdp', names: [[banner, 1, 3, 102]] },
        // Version 1 state: no name counts, only the name and its source.
        { ...snap.devices[2], name: banner, nameSource: 'ssdp', names: [] },
      ],
    };
    const back = DeviceRegistry.restore(JSON.parse(JSON.stringify(older)) as unknown, opts());
    const [plug, camBack, gw] = back.devices();
    expect([plug.name, plug.nameSource, plug.aliases()]).toEqual(['plug', 'dhcp', []]);
    expect([camBack.name, camBack.nameSource, camBack.names.all()]).toEqual(['', '', []]);
    expect([gw.name, gw.nameSource, gw.names.all()]).toEqual(['', '', []]);
    expect(back.drainChanged()).toEqual([]);
  });

  it('reads kind facts saved under row positions as the rows they named, without counting them twice', () => {
    const snap = populated().snapshot();
    const plug = snap.devices[0];
    const saved = plug.kindFacts;
    expect(saved.some(([key]) => key.startsWith('name:'))).toBe(true);
    // Before 2026-12-05 a pattern row's facts were saved as `table:position`.
    const positional = saved.map(([key, label, kind, weight]) => {
      const [table, pattern] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
      const rows = { name: NAME_ROWS, dhcp60: DHCP_CLASS_ROWS }[table];
      const at = rows?.findIndex((r) => r.re.source === pattern) ?? -1;
      return [at >= 0 ? `${table}:${at}` : key, label, kind, weight];
    });
    expect(positional).not.toEqual(saved);
    const older = {
      ...snap,
      devices: [{ ...plug, kindFacts: positional }, ...snap.devices.slice(1)],
    };
    const back = DeviceRegistry.restore(JSON.parse(JSON.stringify(older)) as unknown, opts());
    expect(back.snapshot().devices[0].kindFacts).toEqual(saved);
    const [fresh, again] = [populated().devices()[0], back.devices()[0]];
    expect([again.kind, again.kindConfidence]).toEqual([fresh.kind, fresh.kindConfidence]);
    // The same DHCP name seen again after the restart adds nothing.
    expect(again.addKindFacts(nameFacts('plug', 'DHCP'))).toBe(false);
    expect(again.kindState.facts()).toHaveLength(saved.length);
  });

  it("keeps the home's learned IPv6 prefixes (at most MAX_LEARNED6); older state has none", () => {
    const lan = new LanMatcher();
    const reg = new DeviceRegistry({ lan });
    for (let i = 0; i < MAX_LEARNED6 + 2; i++)
      lan.learn6(parseIpv6(`2001:db8:4a1:${(0x100 + i).toString(16)}::1`) as Uint32Array);
    const snap = JSON.parse(JSON.stringify(reg.snapshot())) as DeviceRegistrySnapshot;
    expect(snap.prefixes6).toHaveLength(MAX_LEARNED6);
    expect(snap.prefixes6?.[0]).toBe('2001:db8:4a1:100::/64');
    const back = new LanMatcher();
    DeviceRegistry.restore(snap, { lan: back });
    expect(back.learnedPrefixes6()).toEqual(snap.prefixes6);
    expect(back.isLocal6(parseIpv6('2001:db8:4a1:100::77') as Uint32Array)).toBe(true);
    // Saved before the prefixes were kept: it loads, with none learned.
    const older = new LanMatcher();
    DeviceRegistry.restore({ ...snap, prefixes6: undefined }, { lan: older });
    expect(older.learnedPrefixes6()).toEqual([]);
  });

  it('keeps the first maxDevices devices of a larger snapshot and counts the rest as refused', () => {
    const back = DeviceRegistry.restore(populated().snapshot(), { ...opts(), maxDevices: 2 });
    expect(back.devices().map((d) => d.macStr)).toEqual([PLUG, CAM]);
    expect(back.refused).toBe(1);
  });

  const damaged: [
    string,
    (s: DeviceRegistrySnapshot & Record<string, unknown>) => unknown,
    RegExp,
  ][] = [
    ['not an object', () => 'hello', /top level: must be an object/],
    ['null', () => null, /top level/],
    ['wrong version', (s) => ({ ...s, version: 3 }), /version: expected 1 or 2, found 3/],
    ['missing version', (s) => ({ ...s, version: undefined }), /version: expected 1 or 2/],
    ['devices not an array', (s) => ({ ...s, devices: {} }), /devices: must be an array/],
    [
      'bad MAC',
      (s) => ({ ...s, devices: [{ ...s.devices[0], mac: 'zz:00' }] }),
      /devices\[0\]: mac 'zz:00'/,
    ],
    [
      'bad ip',
      (s) => ({ ...s, devices: [{ ...s.devices[0], ips: ['1.2.3'] }] }),
      /devices\[0\]\.ips\[0\]/,
    ],
    ['duplicate MAC', (s) => ({ ...s, devices: [s.devices[0], s.devices[0]] }), /appears twice/],
    [
      'bad nameSource',
      (s) => ({ ...s, devices: [{ ...s.devices[0], nameSource: 'x' }] }),
      /nameSource 'x'/,
    ],
    [
      'NaN time',
      (s) => ({ ...s, devices: [{ ...s.devices[0], firstSeen: 'soon' }] }),
      /firstSeen must be a finite number/,
    ],
    [
      'isGateway',
      (s) => ({ ...s, devices: [{ ...s.devices[0], isGateway: 1 }] }),
      /isGateway must be a boolean/,
    ],
    [
      'history entry',
      (s) => ({
        ...s,
        devices: [
          {
            ...s.devices[1],
            history: {
              names: { entries: [['a']], evicted: 0 },
              endpoints: s.devices[1].history.endpoints,
            },
          },
        ],
      }),
      /history\.names\.entries\[0\]/,
    ],
    [
      'history missing',
      (s) => ({ ...s, devices: [{ ...s.devices[1], history: undefined }] }),
      /history must be an object/,
    ],
    ['gatewayMac', (s) => ({ ...s, gatewayMac: 'router' }), /gatewayMac/],
    ['routerIp', (s) => ({ ...s, routerIp: 5 }), /routerIp must be a string/],
    ['prefixes6 not a list', (s) => ({ ...s, prefixes6: 'x' }), /prefixes6: must be an array/],
    [
      'a prefix not global',
      (s) => ({ ...s, prefixes6: ['fd00:1::/64'] }),
      /prefixes6: "fd00:1::\/64" is not a global IPv6 \/64 prefix/,
    ],
    [
      'a prefix with host bits',
      (s) => ({ ...s, prefixes6: ['2001:db8::1/64'] }),
      /prefixes6: "2001:db8::1\/64"/,
    ],
  ];
  it.each(damaged)('rejects a damaged snapshot (%s) with ERR_STATE', (_label, damage, message) => {
    const snap = populated().snapshot() as DeviceRegistrySnapshot & Record<string, unknown>;
    let err: unknown;
    try {
      DeviceRegistry.restore(damage(snap), opts());
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(HomewatchError);
    expect((err as HomewatchError).code).toBe('ERR_STATE');
    expect((err as HomewatchError).message).toMatch(message);
  });

  it('never crashes on arbitrary JSON: restores or throws ERR_STATE', () => {
    const base = JSON.parse(JSON.stringify(populated().snapshot())) as unknown;
    const mutate = (v: unknown, path: number[], repl: unknown): unknown => {
      if (path.length === 0 || v === null || typeof v !== 'object') return repl;
      const entries = Object.entries(v as Record<string, unknown>);
      if (entries.length === 0) return repl;
      const [k, child] = entries[path[0] % entries.length];
      const copy: Record<string, unknown> | unknown[] = Array.isArray(v)
        ? [...v]
        : { ...(v as object) };
      (copy as Record<string, unknown>)[k] = mutate(child, path.slice(1), repl);
      return copy;
    };
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 6 }), fc.jsonValue(), (path, repl) => {
        try {
          DeviceRegistry.restore(mutate(base, path, repl), opts());
        } catch (e) {
          expect(e).toBeInstanceOf(HomewatchError);
          expect((e as HomewatchError).code).toBe('ERR_STATE');
        }
      }),
      { numRuns: 500 },
    );
  });
});
