/**
 * Names and kinds that do not churn (issue 9 item 2, issue 10): a device renewing DHCP under two
 * host names in turn gets one `device` record, keeps its name and kind, and keeps the other name
 * as an alias; across a restart (`--state`) too, without storing anything of the payloads.
 */
import { describe, expect, it } from 'vitest';
import { LanMatcher } from '../../src/devices/lan.js';
import { COUNT_CAP, NameCounts, USE_GAP_S } from '../../src/devices/name-counts.js';
import { DeviceRegistry } from '../../src/devices/registry.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import type { DeviceRecord } from '../../src/sinks/records.js';
import { MemorySink } from '../../src/sinks/memory.js';
import { clientHello, dhcpRequest, dnsQuery, httpRequest, mdnsResponse, ssdp } from './frames.js';

/** PIN GENIE, INC. DBA LOCKLY (IEEE MA-M 90:15:64:2). */
const LOCK_HUB = { mac: '90:15:64:2a:bc:de', ip: '192.168.1.40' };
const HOUR = 3600;

function feed(p: Pipeline, frame: Buffer, ts: number): void {
  p.onFrame(frame, 0, frame.length, frame.length, ts, 1);
}

function deviceRecords(sink: MemorySink): DeviceRecord[] {
  return sink.records.filter((r): r is DeviceRecord => r.type === 'device');
}

describe('stable names', () => {
  it('a lock hub renewing DHCP as lockly-hub-01 and PGH200 in turn: one record, one name, one kind', () => {
    const sink = new MemorySink();
    const p = new Pipeline({}, sink);
    const t0 = 1_700_000_000;
    for (let i = 0; i < 181; i++) {
      const hostname = i % 2 === 0 ? 'lockly-hub-01' : 'PGH200';
      feed(p, dhcpRequest(LOCK_HUB, { hostname, vendorClass: 'udhcp 1.24.1' }), t0 + i * HOUR);
      feed(p, dnsQuery(LOCK_HUB, 'api.lockly.com'), t0 + i * HOUR + 1);
    }
    p.finish();
    const records = deviceRecords(sink);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ name: 'lockly-hub-01', kind: 'lock' });
    expect(records[0].kindConfidence).toBeGreaterThanOrEqual(0.8);
    const dev = p.registry.lookup(0x9015642abcde);
    expect(dev?.name).toBe('lockly-hub-01');
    expect(dev?.aliases()).toEqual(['PGH200']);
    expect(dev?.names.all().map((u) => [u.name, u.count])).toEqual([
      ['lockly-hub-01', 91],
      ['PGH200', 90],
    ]);
  });

  it('a name used clearly more takes over once (a renamed device), then stays', () => {
    const sink = new MemorySink();
    const p = new Pipeline({}, sink);
    const t0 = 1_700_000_000;
    for (let i = 0; i < 10; i++)
      feed(p, dhcpRequest(LOCK_HUB, { hostname: 'old-name' }), t0 + i * HOUR);
    for (let i = 10; i < 40; i++)
      feed(p, dhcpRequest(LOCK_HUB, { hostname: 'new-name' }), t0 + i * HOUR);
    p.finish();
    expect(deviceRecords(sink).map((r) => r.name)).toEqual(['old-name', 'new-name']);
  });

  it('counts a burst of sightings as one use, and halves counts at the cap', () => {
    const n = new NameCounts();
    for (let i = 0; i < 10; i++) n.use('a', 4, 100 + i); // DISCOVER, REQUEST, retries
    expect(n.all()[0].count).toBe(1);
    n.use('a', 4, 100 + USE_GAP_S);
    expect(n.all()[0].count).toBe(2);
    n.use('b', 4, 100);
    for (let i = 2; i < COUNT_CAP; i++) n.use('a', 4, 100 + USE_GAP_S * i);
    expect(n.all().map((u) => u.count)).toEqual([COUNT_CAP / 2, 1]);
    // Tie: the first keeps its place; a stronger source wins at once.
    const t = new NameCounts();
    t.use('first', 3, 0);
    t.use('second', 3, 0);
    expect(t.choose(null)?.name).toBe('first');
    t.use('dhcp-name', 4, 0);
    expect(t.choose(t.all()[0])?.name).toBe('dhcp-name');
  });

  it('keeps names, aliases, the kind and its evidence across a restart, and nothing of the payloads', () => {
    const reg = new DeviceRegistry({ lan: new LanMatcher() });
    const p = new Pipeline({}, new MemorySink(), reg);
    const t0 = 1_700_000_000;
    const secret = 'xq7-secret-token';
    for (let i = 0; i < 6; i++) {
      const hostname = i % 2 === 0 ? 'lockly-hub-01' : 'PGH200';
      feed(p, dhcpRequest(LOCK_HUB, { hostname }), t0 + i * HOUR);
    }
    feed(p, dnsQuery(LOCK_HUB, `${secret}.api.lockly.com`), t0 + 10);
    feed(p, clientHello(LOCK_HUB, '02:00:00:00:00:01', `${secret}.example.org`), t0 + 11);
    feed(p, httpRequest(LOCK_HUB, '02:00:00:00:00:01', 'example.org', `/${secret}`), t0 + 12);
    feed(p, ssdp(LOCK_HUB, 'NOTIFY', { nt: 'upnp:rootdevice', usn: `uuid:${secret}` }), t0 + 13);
    feed(
      p,
      mdnsResponse(LOCK_HUB, [
        { name: '_http._tcp.local', type: 12, data: `${secret}._http._tcp.local` },
      ]),
      t0 + 14,
    );
    p.finish();
    const snap = JSON.parse(JSON.stringify(reg.snapshot())) as unknown;
    // The DNS names a device queried are the features' history (a derived field by design);
    // everything else, and every kind fact, holds nothing of the names or payloads seen.
    const { history: _history, ...rest } = reg.snapshot().devices[0];
    const text = JSON.stringify(rest);
    expect(text).not.toContain(secret);
    expect(JSON.stringify(reg.snapshot().devices[0].history.endpoints)).not.toContain(secret);
    expect(text).toContain('domain lockly.com');

    const back = DeviceRegistry.restore(snap, { lan: new LanMatcher() });
    const dev = back.lookup(0x9015642abcde);
    expect(dev?.name).toBe('lockly-hub-01');
    expect(dev?.aliases()).toEqual(['PGH200']);
    expect(dev?.kind).toBe('lock');
    expect(dev?.kindEvidence).toEqual(reg.lookup(0x9015642abcde)?.kindEvidence);
    expect(back.snapshot()).toEqual(snap);
    // The same renewals after the restart: nothing new to say, no record.
    const sink = new MemorySink();
    const again = new Pipeline({}, sink, back);
    for (let i = 0; i < 6; i++) {
      const hostname = i % 2 === 0 ? 'lockly-hub-01' : 'PGH200';
      feed(again, dhcpRequest(LOCK_HUB, { hostname }), t0 + i * HOUR);
    }
    again.finish();
    expect(deviceRecords(sink)).toEqual([]);
  });

  it('reads a version 1 snapshot: the kind comes from its vendor and name', () => {
    const v1 = {
      version: 1,
      gatewayMac: '',
      routerIp: '',
      devices: [
        {
          mac: '50:c7:bf:00:c7:03',
          vendor: 'TP-LINK TECHNOLOGIES CO.,LTD.',
          name: 'HS110(EU)',
          nameSource: 'dhcp',
          dhcpVendorClass: 'udhcp 0.9.9-pre',
          ips: ['10.10.10.20'],
          firstSeen: 1,
          lastSeen: 2,
          isGateway: false,
          history: { names: { entries: [], evicted: 0 }, endpoints: { entries: [], evicted: 0 } },
        },
      ],
    };
    const reg = DeviceRegistry.restore(v1, { lan: new LanMatcher() });
    const plug = reg.devices()[0];
    expect([plug.name, plug.kind, plug.version]).toEqual(['HS110(EU)', 'plug', 0]);
    expect(reg.snapshot().version).toBe(2);
    expect(reg.snapshot().devices[0].names).toEqual([['HS110(EU)', 4, 1, 2]]);
  });
});
