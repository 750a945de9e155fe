/**
 * Device kinds from each evidence source, on whole frames through the real decoder and registry;
 * the floor, the hysteresis, the bounds; what a sentence calls a device; and that nothing of the
 * payload is kept beyond the derived facts.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DhcpInfo } from '../../src/decode/app/types.js';
import { DecodedPacket, decodeFrame } from '../../src/decode/index.js';
import type { Device } from '../../src/devices/device.js';
import { KindEvidence, MAX_FACTS } from '../../src/devices/kind.js';
import { DEVICE_KINDS, deviceTitle, KIND_LABELS, shortVendor } from '../../src/devices/kinds.js';
import { LanMatcher } from '../../src/devices/lan.js';
import { DeviceRegistry } from '../../src/devices/registry.js';
import {
  clientHello,
  dhcpRequest,
  dnsQuery,
  httpRequest,
  httpRequestLine,
  httpRequestTo,
  mdnsQuery,
  mdnsResponse,
  ssdp,
} from './frames.js';
import { mac } from './packets.js';

const GW = '02:00:00:00:00:01';
/** A MAC whose OUI says nothing (locally administered). */
const ANON = { mac: '02:11:22:33:44:55', ip: '192.168.1.50' };
const ROBOROCK = { mac: '24:9e:7d:01:02:03', ip: '192.168.1.23' };
const SONOS = { mac: '34:7e:5c:01:02:03', ip: '192.168.1.60' };

class Home {
  readonly reg = new DeviceRegistry({ lan: new LanMatcher() });
  readonly #pkt = new DecodedPacket();

  feed(frame: Buffer, ts = 1000): this {
    decodeFrame(frame, 0, frame.length, frame.length, 1, ts, this.#pkt);
    this.reg.observe(this.#pkt);
    return this;
  }

  device(m: string): Device {
    const d = this.reg.lookup(mac(m));
    if (d === undefined) throw new Error(`no device ${m}`);
    return d;
  }
}

describe('device kinds: the vocabulary', () => {
  it('labels every kind and documents every kind in the README', () => {
    const readme = readFileSync('README.md', 'utf8');
    for (const k of DEVICE_KINDS) {
      expect(KIND_LABELS[k], k).toMatch(/^[A-Z]/);
      expect(readme, `README lists ${k}`).toContain(`| \`${k}\` |`);
    }
    expect(DEVICE_KINDS).toHaveLength(22);
  });

  it('names a device for a sentence: kind and vendor, the vendor alone when unknown, else the MAC', () => {
    const base = { mac: '24:9e:7d:01:02:03', ips: ['192.168.1.23', 'fe80::1'] };
    expect(
      deviceTitle({ ...base, kind: 'vacuum', vendor: 'Beijing Roborock Technology Co., Ltd.' }),
    ).toBe('Robot vacuum (Roborock, 192.168.1.23)');
    expect(deviceTitle({ ...base, kind: 'unknown', vendor: 'Belkin International Inc.' })).toBe(
      'Belkin device (192.168.1.23)',
    );
    expect(deviceTitle({ ...base, kind: 'unknown', vendor: '' })).toBe(
      'Device 24:9e:7d:01:02:03 (192.168.1.23)',
    );
    expect(deviceTitle({ ...base, ips: [], kind: 'tv', vendor: '' })).toBe('TV');
    expect(shortVendor('eQ-3 Entwicklung GmbH')).toBe('eQ-3');
    expect(shortVendor('Shanghai Xiaodu Technology Limited')).toBe('Xiaodu');
    expect(shortVendor('LG Electronics (Mobile Communications)')).toBe('LG');
  });
});

describe('device kinds: each source of evidence', () => {
  it('the OUI vendor of a one-kind maker', () => {
    const home = new Home().feed(dnsQuery(ROBOROCK, 'example.org'));
    const d = home.device(ROBOROCK.mac);
    expect([d.kind, d.kindEvidence]).toEqual([
      'vacuum',
      ['OUI Beijing Roborock Technology Co., Ltd.'],
    ]);
    expect(d.kindConfidence).toBe(0.9);
    // A toy maker's OUI says toy, but not surely.
    const TOY = { mac: '00:22:ae:01:02:03', ip: '192.168.1.70' };
    const toy = new Home().feed(dnsQuery(TOY, 'example.org')).device(TOY.mac);
    expect([toy.kind, toy.kindConfidence, toy.kindEvidence]).toEqual([
      'toy',
      0.6,
      ['OUI Mattel Inc.'],
    ]);
    // A maker of many kinds says nothing.
    const anon = new Home().feed(dnsQuery(ANON, 'example.org')).device(ANON.mac);
    expect([anon.kind, anon.kindConfidence, anon.kindEvidence]).toEqual(['unknown', 0, []]);
  });

  it('DHCP: host name patterns, vendor class and the option 55 fingerprint', () => {
    const cam = new Home().feed(dhcpRequest(ANON, { hostname: 'DCS-935L' })).device(ANON.mac);
    expect([cam.kind, cam.kindEvidence]).toEqual(['camera', ['DHCP name DCS-935L']]);
    // Arlo's model numbers: a VMC camera, a VMB base station (the hub its cameras pair with).
    for (const [hostname, kind] of [
      ['VMC4040P-969A67', 'camera'],
      ['VMB4000-1A2B3C', 'hub'],
      // Shelly's default names say which product: a plug, an H&T sensor, a radiator valve.
      ['shellyplug-s-776F89', 'plug'],
      ['shellyplusplugs-c4d8d5', 'plug'],
      ['shellyht-6A9B2C', 'sensor'],
      ['shellytrv-60A423', 'thermostat'],
    ]) {
      const d = new Home().feed(dhcpRequest(ANON, { hostname })).device(ANON.mac);
      expect([d.kind, d.kindEvidence]).toEqual([kind, [`DHCP name ${hostname}`]]);
    }

    // Shelly's relays and energy meters are none of the kinds: their names say nothing.
    for (const hostname of ['shelly1pm-84CCA8', 'shellyplus2pm-a8032ab1', 'shellyem-3494546']) {
      const d = new Home().feed(dhcpRequest(ANON, { hostname })).device(ANON.mac);
      expect([hostname, d.kind]).toEqual([hostname, 'unknown']);
    }

    const windows = [1, 3, 6, 15, 31, 33, 43, 44, 46, 47, 119, 121, 249, 252];
    const home = new Home();
    const frame = dhcpRequest(ANON, { vendorClass: 'MSFT 5.0', paramList: windows });
    const pkt = new DecodedPacket();
    decodeFrame(frame, 0, frame.length, frame.length, 1, 1000, pkt);
    expect((pkt.app as DhcpInfo).paramList).toBe(windows.join(','));
    const pc = home.feed(frame).device(ANON.mac);
    expect(pc.kind).toBe('computer');
    expect(pc.kindEvidence).toEqual(['DHCP vendor class MSFT 5.0', 'DHCP fingerprint Windows']);
    expect(pc.kindConfidence).toBeGreaterThan(0.85);

    // An embedded DHCP client's list and an anonymous host name say nothing.
    const esp = new Home()
      .feed(dhcpRequest(ANON, { hostname: 'ESP_06D902', paramList: [1, 3, 28, 6] }))
      .device(ANON.mac);
    expect(esp.kind).toBe('unknown');
  });

  it('mDNS: service types and instance names a device announces, never what it asks for', () => {
    const cast = new Home()
      .feed(
        mdnsResponse(ANON, [
          {
            name: '_googlecast._tcp.local',
            type: 12,
            data: 'Chromecast-8f2a1b._googlecast._tcp.local',
          },
          { name: 'Chromecast-8f2a1b._googlecast._tcp.local', type: 33, data: '8f2a1b.local' },
        ]),
      )
      .device(ANON.mac);
    expect(cast.kind).toBe('streamer');
    expect(cast.kindEvidence).toEqual(['mDNS name chromecast-8f2a1b', 'mDNS _googlecast']);

    const printer = new Home()
      .feed(
        mdnsResponse(ANON, [
          { name: '_ipp._tcp.local', type: 12, data: 'Office._ipp._tcp.local' },
          { name: '_printer._sub._http._tcp.local', type: 12, data: 'Office._http._tcp.local' },
        ]),
      )
      .device(ANON.mac);
    expect([printer.kind, printer.kindEvidence]).toEqual([
      'printer',
      ['mDNS _printer', 'mDNS _ipp'],
    ]);

    // A phone browsing for Chromecasts is not one; a service type used by many kinds alone is
    // not enough (wrong is worse than unknown).
    const home = new Home()
      .feed(mdnsQuery(ANON, ['_googlecast._tcp.local', '_printer._tcp.local']))
      .feed(mdnsResponse(SONOS, [{ name: '_googlecast._tcp.local', type: 12, data: 'x' }]));
    expect(home.device(ANON.mac).kind).toBe('unknown');
    const anonCast = new Home()
      .feed(
        mdnsResponse(ANON, [
          { name: '_googlecast._tcp.local', type: 12, data: 'a1b2c3._googlecast._tcp.local' },
        ]),
      )
      .device(ANON.mac);
    expect(anonCast.kind).toBe('unknown');
  });

  it('SSDP: device types and SERVER of NOTIFYs, never the targets of its own M-SEARCH', () => {
    const plug = new Home()
      .feed(
        ssdp(ANON, 'NOTIFY', {
          nt: 'urn:Belkin:device:controllee:1',
          usn: 'uuid:Socket-1_0-221519K1100F55::urn:Belkin:device:controllee:1',
          server: 'Unspecified, UPnP/1.0, Unspecified',
          location: 'http://192.168.1.50:49153/setup.xml',
        }),
      )
      .device(ANON.mac);
    expect([plug.kind, plug.kindEvidence]).toEqual(['plug', ['SSDP belkin:device:controllee']]);
    // The SERVER banner is evidence, not a name.
    expect([plug.name, plug.aliases()]).toEqual(['', []]);

    const bridge = new Home()
      .feed(
        ssdp(ANON, 'NOTIFY', {
          nt: 'upnp:rootdevice',
          server: 'Linux/3.14.0 UPnP/1.0 IpBridge/1.9.0',
        }),
      )
      .device(ANON.mac);
    expect([bridge.kind, bridge.name]).toEqual(['hub', '']);

    const client = new Home()
      .feed(ssdp(ANON, 'M-SEARCH', { st: 'urn:schemas-upnp-org:device:InternetGatewayDevice:1' }))
      .device(ANON.mac);
    expect(client.kind).toBe('unknown');
    const igd = new Home()
      .feed(ssdp(ANON, 'NOTIFY', { nt: 'urn:schemas-upnp-org:device:InternetGatewayDevice:1' }))
      .device(ANON.mac);
    expect(igd.kind).toBe('router');
  });

  it('domains: DNS questions, TLS SNI and HTTP Host, by the longest suffix in the table', () => {
    for (const frame of [
      dnsQuery(ANON, 'api-eu.roborock.com'),
      clientHello(ANON, GW, 'api-eu.roborock.com'),
      httpRequest(ANON, GW, 'api-eu.roborock.com:80', '/x'),
    ]) {
      const d = new Home().feed(frame).device(ANON.mac);
      expect([d.kind, d.kindEvidence]).toEqual(['vacuum', ['domain roborock.com']]);
    }
    const toy = new Home().feed(dnsQuery(ANON, 'api.toytalk.com')).device(ANON.mac);
    expect([toy.kind, toy.kindEvidence]).toEqual(['toy', ['domain toytalk.com']]);
    const other = new Home().feed(dnsQuery(ANON, 'roborock.com.evil.example')).device(ANON.mac);
    expect(other.kind).toBe('unknown');
  });

  it('HTTP API paths: what a device asks of its vendor, by Host or by the name it looked up', () => {
    const scale = new Home()
      .feed(httpRequest(ANON, GW, 'www.fitbit.com', '/scale/upload'))
      .device(ANON.mac);
    expect([scale.kind, scale.kindConfidence, scale.kindEvidence]).toEqual([
      'sensor',
      0.85,
      ['HTTP fitbit.com/scale/'],
    ]);

    // The request line alone (its Host in the next segment): the name looked up names the host.
    const uri = '/scale/register?serialNumber=20F85E000001&token=s3cr3tT0ken&ssid=Home';
    const split = new Home()
      .feed(dnsQuery(ANON, 'www.fitbit.com'))
      .feed(httpRequestLine(ANON, GW, uri))
      .device(ANON.mac);
    expect([split.kind, split.kindEvidence]).toEqual(['sensor', ['HTTP fitbit.com/scale/']]);
    // Only the row's label is kept, never the request's path or query.
    const kept = JSON.stringify(split.kindState.facts());
    expect(kept).not.toMatch(/register|serialNumber|s3cr3tT0ken|20F85E000001/);

    // The same path to a server it never named, or to another host, says nothing.
    for (const frame of [
      httpRequestLine(ANON, GW, uri),
      httpRequest(ANON, GW, 'scale.example.org', '/scale/upload'),
      httpRequest(ANON, GW, 'notfitbit.com', '/scale/upload'),
    ]) {
      expect(new Home().feed(frame).device(ANON.mac).kind).toBe('unknown');
    }
  });

  it('HTTP API paths a device serves to another device of the LAN (its app), never to the internet', () => {
    const phone = { mac: '02:aa:bb:cc:dd:ee', ip: '192.168.1.70' };
    const home = new Home()
      .feed(dnsQuery(ANON, 'example.org'))
      .feed(dnsQuery(SONOS, 'example.org'));
    home.feed(httpRequestTo(phone, ANON, '/smartplug.cgi'));
    const plug = home.device(ANON.mac);
    expect([plug.kind, plug.kindConfidence, plug.kindEvidence]).toEqual([
      'plug',
      0.75,
      ['serves HTTP /smartplug.cgi'],
    ]);
    // The client is not what it talks to.
    expect(home.device(phone.mac).kind).toBe('unknown');

    const bridge = { mac: '02:11:22:33:44:66', ip: '192.168.1.51' };
    home.feed(dnsQuery(bridge, 'example.org'));
    home.feed(httpRequestTo(phone, bridge, '/api/0123abcdef/lights/3/state', 'PUT'));
    expect([home.device(bridge.mac).kind, home.device(bridge.mac).kindEvidence]).toEqual([
      'hub',
      ['serves HTTP /api/<user>/… (Hue)'],
    ]);

    // A path in a query string is not the path; a request from the internet (a port forward, a
    // scanner) says what the sender hopes, not what the device is.
    const other = { mac: '02:11:22:33:44:77', ip: '192.168.1.52' };
    home.feed(dnsQuery(other, 'example.org'));
    home.feed(httpRequestTo(phone, other, '/index.cgi?next=/smartplug.cgi'));
    home.feed(httpRequestTo(phone, other, '/api/3/sensors', 'GET')); // not a Hue user name
    const remote = { mac: GW, ip: '203.0.113.9' };
    home.feed(httpRequestTo(remote, other, '/onvif/device_service'));
    home.feed(httpRequestTo(remote, other, '/smartplug.cgi'));
    expect(home.device(other.mac).kindState.facts()).toEqual([]);
  });

  it('the gateway role says router, and only while the device has it', () => {
    const home = new Home();
    home.feed(dnsQuery({ mac: GW, ip: '192.168.1.1' }, 'example.org'));
    const gw = home.device(GW);
    expect(gw.kind).toBe('unknown');
    // The router carries a LAN device's traffic to the internet: the registry's gateway role.
    for (let i = 0; i < 12; i++) home.feed(clientHello(ANON, GW, 'example.org'), 1000 + i);
    expect(home.reg.gatewayMac()).toBe(mac(GW));
    expect([gw.kind, gw.kindEvidence]).toEqual(['router', ['gateway role']]);
    // Its resolver looks names up for the devices behind it: not evidence of what it is.
    home.feed(dnsQuery({ mac: GW, ip: '192.168.1.1' }, 'api-eu.roborock.com'), 2000);
    expect(gw.kindState.facts()).toEqual([]);
  });
});

describe('device kinds: floor, hysteresis, bounds', () => {
  it('a maker of cameras and their hub: camera, never confidently (its sync module shows the same)', () => {
    const blink = { mac: '3c:a0:70:01:02:03', ip: '192.168.1.80' }; // Blink by Amazon
    const d = new Home().feed(dnsQuery(blink, 'rest-prod.immedia-semi.com')).device(blink.mac);
    expect(d.kind).toBe('camera');
    expect(d.kindConfidence).toBeGreaterThanOrEqual(0.5);
    expect(d.kindConfidence).toBeLessThan(0.8);
  });

  it('a phone with a vacuum app stays a phone: evidence for many kinds lowers, not flips', () => {
    const phone = { mac: 'bc:f5:ac:01:02:03', ip: '192.168.1.70' }; // LG Electronics (Mobile Communications)
    const home = new Home().feed(dhcpRequest(phone, { hostname: 'android-1c1335ec95a27318' }));
    const d = home.device(phone.mac);
    expect(d.kind).toBe('phone');
    const before = d.kindConfidence;
    home.feed(dnsQuery(phone, 'api-eu.roborock.com')).feed(dnsQuery(phone, 'api.sonos.com'));
    expect(d.kind).toBe('phone');
    expect(d.kindConfidence).toBeLessThan(before);
    expect(d.kindConfidence).toBeGreaterThan(0.5);
  });

  it('a decided kind changes only when another kind clearly outweighs it', () => {
    const fact = (key: string, kind: 'camera' | 'speaker', weight: number) => ({
      key,
      label: key,
      kind,
      weight,
    });
    const ev = new KindEvidence();
    expect(ev.add([fact('a', 'camera', 0.8)])).toBe(true);
    expect([ev.kind, ev.confidence]).toEqual(['camera', 0.8]);
    // Contrary evidence as strong in total: the kind stays, less sure.
    expect(ev.add([fact('b', 'speaker', 0.5), fact('c', 'speaker', 0.6)])).toBe(false);
    expect([ev.kind, ev.confidence]).toEqual(['camera', 0.4]);
    // A repeat of a fact already held is no new evidence.
    expect(ev.add([fact('b', 'speaker', 0.5)])).toBe(false);
    // Contradicted beyond what it can keep, without a clear winner: unknown, never a guess.
    expect(ev.add([fact('d', 'speaker', 0.6)])).toBe(true);
    expect([ev.kind, ev.confidence, ev.evidence]).toEqual(['unknown', 0, []]);
    // A clear winner takes it.
    expect(ev.add([fact('e', 'speaker', 0.9)])).toBe(true);
    expect(ev.kind).toBe('speaker');
    expect(ev.evidence).toEqual(['e', 'c', 'd']);

    // Straight from one kind to another when the other clearly outweighs it.
    const direct = new KindEvidence();
    direct.add([fact('a', 'camera', 0.6)]);
    expect(direct.add([fact('b', 'speaker', 0.95)])).toBe(true);
    expect([direct.kind, direct.confidence]).toEqual(['speaker', 0.65]);
  });

  it('keeps at most MAX_FACTS facts, replacing the weakest with stronger ones', () => {
    const ev = new KindEvidence();
    for (let i = 0; i < 100; i++) {
      ev.add([{ key: `k${i}`, label: `k${i}`, kind: 'plug', weight: 0.1 + (i % 10) / 20 }]);
    }
    expect(ev.facts().length).toBe(MAX_FACTS);
    expect(Math.min(...ev.facts().map((f) => f.weight))).toBeGreaterThanOrEqual(0.4);
    expect(ev.refused).toBeGreaterThan(0);
    expect(ev.kind).toBe('plug');
  });
});
