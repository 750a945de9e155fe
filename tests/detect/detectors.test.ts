/**
 * Each detector on built windows: it names its behaviour when the evidence is there, stays
 * silent on the trap that looks like it, and its sentence is built from the evidence.
 */
import { describe, expect, it } from 'vitest';
import { DeviceBaseline } from '../../src/baseline/device-baseline.js';
import type { Behaviour, Detector, Finding } from '../../src/detect/types.js';
import type { Device } from '../../src/devices/device.js';
import type { BeaconEvidence, WindowEvidence } from '../../src/features/evidence.js';
import { FEATURE_NAMES } from '../../src/features/schema.js';
import { detector, judge, learned, policy, T0 } from './harness.js';
import { closed, device, peer } from './window.js';

function run(
  b: Behaviour,
  d: Device,
  spec: { features?: Record<string, number>; evidence?: Partial<WindowEvidence>; start?: number },
  opts: { baseline?: DeviceBaseline; kind?: string; det?: Detector } = {},
): Finding[] {
  const w = closed(d, { start: spec.start ?? T0 + 7200, ...spec });
  return judge(opts.det ?? detector(b), w, opts);
}

function sentence(b: Behaviour, f: Finding): string {
  const s = detector(b).sentence({
    who: 'Robot vacuum (Roborock, 192.168.1.23)',
    since: f.ts,
    last: f.ts + 60,
    windows: 1,
    facts: f.facts,
  });
  expect(s).not.toMatch(/undefined|NaN|\[object|null/);
  return s;
}

describe('scan', () => {
  it('names an internet telnet sweep as Mirai-style', () => {
    const peers = Array.from({ length: 40 }, (_, i) =>
      peer(`198.51.${i}.${7 + i}`, i % 5 === 0 ? 2323 : 23, { failed: 1 }),
    );
    const f = run('scan', device(), { evidence: { peers } });
    expect(f).toHaveLength(1);
    expect(f[0].facts).toMatchObject({ target: 'internet', hosts: 40, mirai: true });
    expect(sentence('scan', f[0])).toMatch(
      /connect to 40 addresses on the internet since .* Mirai-style telnet scan/,
    );
  });

  it('sees a port scan of one host and a LAN sweep, not a busy browser', () => {
    const ports = [80, 443, 445, 3389, 3390, 3391].map((p) =>
      peer('192.168.1.2', p, { failed: 1 }),
    );
    expect(run('scan', device(), { evidence: { peers: ports } })[0].facts).toMatchObject({
      target: 'host',
      hostPorts: 6,
    });
    const sweep = Array.from({ length: 10 }, (_, i) =>
      peer(`192.168.1.${10 + i}`, 22, { failed: 1 }),
    );
    const lan = run('scan', device(), { evidence: { peers: sweep } });
    expect(lan[0].facts).toMatchObject({ target: 'lan' });
    expect(sentence('scan', lan[0])).toMatch(
      /tried to connect to port 22 of 10 addresses on your network since .*, 10 attempts failing: a network scan\./,
    );
    // A laptop on 60 new sites, a few refused: no scan.
    const browsing = Array.from({ length: 60 }, (_, i) =>
      peer(`203.0.${i}.1`, 443, {
        failed: i < 3 ? 1 : 0,
        name: `site${i}.example`,
        dnsAnswered: true,
      }),
    );
    expect(run('scan', device(), { evidence: { peers: browsing } })).toEqual([]);
  });

  it('adds up a slow sweep over five minutes', () => {
    const det = detector('scan');
    const d = device();
    let found: Finding[] = [];
    for (let i = 0; i < 5; i++) {
      const peers = Array.from({ length: 5 }, (_, j) =>
        peer(`198.51.100.${i * 10 + j}`, 23, { failed: 1 }),
      );
      found = run('scan', d, { start: T0 + i * 60, evidence: { peers } }, { det });
    }
    expect(found).toHaveLength(1);
  });
});

describe('brute_force', () => {
  it('counts short login sessions to one service over minutes', () => {
    const det = detector('brute_force');
    const d = device();
    const a = run(
      'brute_force',
      d,
      { evidence: { peers: [peer('192.168.1.1', 22, { flows: 5, shortSessions: 5 })] } },
      { det },
    );
    expect(a).toEqual([]);
    const b = run(
      'brute_force',
      d,
      {
        start: T0 + 7260,
        evidence: { peers: [peer('192.168.1.1', 22, { flows: 6, shortSessions: 6 })] },
      },
      { det },
    );
    expect(b).toHaveLength(1);
    expect(b[0].facts).toMatchObject({ attempts: 11, service: 'SSH (22)', local: true });
    expect(sentence('brute_force', b[0])).toMatch(
      /11 short login sessions to SSH on 192\.168\.1\.1:22 since/,
    );
  });

  it('counts web logins refused with 401/403, not short web sessions', () => {
    const web = run('brute_force', device(), {
      evidence: {
        peers: [peer('192.168.1.1', 80, { flows: 30, shortSessions: 30 })],
        httpAuth: [
          { ip: '192.168.1.1', port: 80, host: '192.168.1.1', requests: 12, failures: 12 },
        ],
      },
    });
    expect(web).toHaveLength(1);
    expect(web[0].facts).toMatchObject({ kind: 'http-auth', attempts: 12 });
    const polling = run('brute_force', device(), {
      evidence: { peers: [peer('192.168.1.1', 80, { flows: 30, shortSessions: 30 })] },
    });
    expect(polling).toEqual([]);
  });
});

describe('upnp_exposure and inbound_exposure', () => {
  it('reports a mapping request, not a NAT-PMP delete', () => {
    const map = (lifetimeS: number, via: 'upnp' | 'natpmp') => ({
      ts: T0 + 7210,
      via,
      protocol: 'TCP',
      externalPort: 8080,
      internalPort: 80,
      internalClient: '',
      router: '192.168.1.1',
      lifetimeS,
      description: '',
      count: 1,
    });
    const f = run('upnp_exposure', device(), { evidence: { portMappings: [map(0, 'upnp')] } });
    expect(f).toHaveLength(1);
    expect(f[0].severity).toBe('high');
    expect(sentence('upnp_exposure', f[0])).toMatch(
      /through UPnP to open port 8080 to the internet .*TCP 8080 → 192\.168\.1\.23:80/,
    );
    expect(
      run('upnp_exposure', device(), { evidence: { portMappings: [map(0, 'natpmp')] } }),
    ).toEqual([]);
    expect(
      run('upnp_exposure', device(), { evidence: { portMappings: [map(7200, 'natpmp')] } }),
    ).toHaveLength(1);
  });

  it('reports connections from the internet that the device accepted', () => {
    const inbound = [
      { ts: T0 + 7230, ip: '198.51.100.4', port: 8080, proto: 6, accepted: true },
      { ts: T0 + 7231, ip: '198.51.100.5', port: 8080, proto: 6, accepted: false },
    ];
    const f = run('inbound_exposure', device(), { evidence: { inbound } });
    expect(f[0].facts).toMatchObject({ accepted: 1, attempted: 2, ports: [8080] });
    expect(run('inbound_exposure', device(), { evidence: { inbound: [inbound[1]] } })).toEqual([]);
  });

  it('says when the internet reached the device over IPv6 (no NAT: the router’s firewall)', () => {
    const inbound = [
      { ts: T0 + 7230, ip: '2001:db8:f7e6::a244', port: 23, proto: 6, accepted: true },
      { ts: T0 + 7240, ip: '2001:db8:fc6c:d28f::31', port: 23, proto: 6, accepted: true },
    ];
    const f = run('inbound_exposure', device(), { evidence: { inbound } });
    expect(f[0].facts).toMatchObject({ accepted: 2, peerCount: 2, ports: [23] });
    expect(sentence('inbound_exposure', f[0])).toMatch(
      /2001:db8:f7e6::a244.*reachable from the internet over IPv6, where the router does no NAT/,
    );
    const v4 = run('inbound_exposure', device(), {
      evidence: { inbound: [{ ...inbound[0], ip: '198.51.100.4' }] },
    });
    expect(sentence('inbound_exposure', v4[0])).toMatch(/reachable from the internet\.$/);
  });

  it('counts UDP from the internet only on a port the device mapped on the router', () => {
    const det = detector('inbound_exposure');
    const d = device();
    const udp = [{ ts: T0 + 7300, ip: '198.51.100.9', port: 11935, proto: 17, accepted: true }];
    // A datagram answered on an unmapped port: a late reply, a P2P peer — not exposure.
    expect(run('inbound_exposure', d, { evidence: { inbound: udp } }, { det })).toEqual([]);
    const mapping = {
      ts: T0 + 7210,
      via: 'pcp' as const,
      protocol: 'UDP',
      externalPort: 35020,
      internalPort: 11935,
      internalClient: '',
      router: '192.168.1.1',
      lifetimeS: 604_800,
      description: '',
      count: 1,
    };
    run('upnp_exposure', d, { evidence: { portMappings: [mapping] } });
    run(
      'inbound_exposure',
      d,
      { start: T0 + 7200, evidence: { portMappings: [mapping] } },
      { det },
    );
    const f = run('inbound_exposure', d, { start: T0 + 7260, evidence: { inbound: udp } }, { det });
    expect(f).toHaveLength(1);
    expect(f[0].facts).toMatchObject({ ports: [11935], accepted: 1 });
  });
});

describe('malware_download', () => {
  const dl = (p: Partial<import('../../src/features/evidence.js').DownloadEvidence>) => ({
    ts: T0 + 7205,
    ip: '203.0.113.66',
    port: 80,
    host: '',
    bareIp: true,
    uri: '/bins/mips.elf',
    status: 200,
    contentType: 'application/octet-stream',
    magic: 'elf' as const,
    reason: 'magic' as const,
    ...p,
  });

  it('reports a program from a bare IP, and an opaque binary from a new host', () => {
    const f = run('malware_download', device(), { evidence: { downloads: [dl({})] } });
    expect(f[0].score).toBeGreaterThan(0.9);
    expect(sentence('malware_download', f[0])).toMatch(
      /downloaded a Linux program \(ELF\) from a bare IP address .*http:\/\/203\.0\.113\.66\/bins\/mips\.elf/,
    );
    const opaque = dl({
      host: 'cdn.evil.example',
      bareIp: false,
      magic: 'other',
      reason: 'content-type',
    });
    const d = device();
    expect(
      run('malware_download', d, { evidence: { downloads: [opaque] } }, { baseline: learned(d) }),
    ).toHaveLength(1);
  });

  it('while a device learns, a program from a named host is its vendor’s, not reported', () => {
    const firmware = dl({
      ip: '52.218.1.1',
      host: 's3-us-west-2.amazonaws.com',
      bareIp: false,
      uri: '/static-us-west.dch.dlink.com/firmware/agent/DCH-G020/D-Link-DCH-G020-1.1.0-AX',
    });
    expect(run('malware_download', device(), { evidence: { downloads: [firmware] } })).toEqual([]);
  });

  it('lets an opaque binary from a host the device knows pass', () => {
    const d = device();
    const b = learned(d);
    const update = dl({
      ip: '52.1.2.3',
      host: 'mqtt.roborock.com',
      bareIp: false,
      magic: 'other',
      reason: 'content-type',
    });
    expect(
      run('malware_download', d, { evidence: { downloads: [update] } }, { baseline: b }),
    ).toEqual([]);
  });
});

describe('crypto_mining and dns_anomaly', () => {
  it('names stratum traffic', () => {
    const stratum = [
      {
        ts: T0 + 7201,
        ip: '185.71.66.39',
        port: 9999,
        name: '',
        method: 'mining.subscribe',
        count: 1,
      },
      {
        ts: T0 + 7202,
        ip: '185.71.66.39',
        port: 9999,
        name: '',
        method: 'mining.authorize',
        count: 1,
      },
    ];
    const f = run('crypto_mining', device(), { evidence: { stratum } });
    expect(sentence('crypto_mining', f[0])).toMatch(
      /mining pool 185\.71\.66\.39:9999 .*2 stratum messages: mining\.subscribe and mining\.authorize/,
    );
  });

  it('names lookups of a pool domain and names under it, not lookalikes', () => {
    const lookups = (dnsNames: string[]): unknown =>
      run('crypto_mining', device(), { evidence: { dnsNames } })[0]?.facts;
    expect(lookups(['xmr-eu1.nanopool.org', 'mqtt.roborock.com'])).toMatchObject({
      lookups: ['xmr-eu1.nanopool.org'],
    });
    expect(lookups(['supportxmr.com'])).toMatchObject({ lookups: ['supportxmr.com'] });
    expect(lookups(['a.b.gulf.moneroocean.stream'])).toMatchObject({
      lookups: ['a.b.gulf.moneroocean.stream'],
    });
    for (const name of ['nanopool.org.example.com', 'notnanopool.org', 'org', 'nanopool.org.'])
      expect(lookups([name])).toBeUndefined();
  });

  it('sees a DNS tunnel and a DGA burst, not a phone looking up many CDN names', () => {
    const tunnel = {
      domain: 'pirate.sea',
      queries: 120,
      names: 110,
      nxdomain: 0,
      txtNull: 110,
      longestLabel: 62,
      maxEntropy: 4.9,
      example: 'paaaaa3dcfb5vbwgmkmzxxgi.pirate.sea',
    };
    expect(run('dns_anomaly', device(), { evidence: { dns: [tunnel] } })[0].facts).toMatchObject({
      kind: 'tunnel',
    });
    const nxNames = Array.from(
      { length: 20 },
      (_, i) =>
        `${'qzxjwkvbnm'.slice(i % 5)}${i}rtyplk.${['com', 'net', 'info', 'ru', 'biz'][i % 5]}`,
    );
    const dga = run('dns_anomaly', device(), {
      features: { dnsNxdomain: 20 },
      evidence: { nxNames },
    });
    expect(dga[0].facts).toMatchObject({ kind: 'dga', nxdomain: 20 });
    const cdn = {
      domain: 'akamaiedge.net',
      queries: 18,
      names: 16,
      nxdomain: 0,
      txtNull: 0,
      longestLabel: 6,
      maxEntropy: 3.1,
      example: 'e6858.dscx.akamaiedge.net',
    };
    expect(run('dns_anomaly', device(), { evidence: { dns: [cdn] } })).toEqual([]);
  });
});

describe('lateral_movement', () => {
  it('names ARP claims on the gateway address at once', () => {
    const arpClaims = [
      {
        ts: T0 + 7201,
        ip: '192.168.1.1',
        ownerMac: 'c8:bf:4c:77:a0:3a',
        ownerIsGateway: true,
        count: 1,
      },
    ];
    const f = run('lateral_movement', device(), { evidence: { arpClaims } });
    expect(sentence('lateral_movement', f[0])).toMatch(
      /answering ARP for 192\.168\.1\.1 \(the gateway\).*man in the middle/,
    );
  });

  it('after learning: a single-purpose device opening a shell on a neighbour, not a known service', () => {
    const d = device();
    const b = learned(d);
    const ssh = run(
      'lateral_movement',
      d,
      { evidence: { peers: [peer('192.168.1.40', 22)] } },
      { baseline: b },
    );
    expect(ssh).toHaveLength(1);
    expect(
      run(
        'lateral_movement',
        d,
        { evidence: { peers: [peer('192.168.1.1', 80)] } },
        { baseline: b },
      ),
    ).toEqual([]);
    // A phone opening one new web admin page is ordinary.
    expect(
      run(
        'lateral_movement',
        d,
        { evidence: { peers: [peer('192.168.1.40', 22), peer('192.168.1.41', 80)] } },
        { baseline: b, kind: 'phone' },
      ),
    ).toEqual([]);
  });

  it('writes an IPv6 neighbour’s service as [address]:port', () => {
    const d = device();
    const f = run(
      'lateral_movement',
      d,
      { evidence: { peers: [peer('fe80::72b7:782d:3226:58c9', 23, { local: true })] } },
      { baseline: learned(d) },
    );
    expect(sentence('lateral_movement', f[0])).toContain(
      'telnet on [fe80::72b7:782d:3226:58c9]:23',
    );
  });

  it('knows a neighbour at all its addresses: IPv4, link-local and global IPv6 are one device', () => {
    const d = device();
    const nas = '00:11:32:aa:bb:cc';
    const b = new DeviceBaseline(d.macStr, d.firstSeen, FEATURE_NAMES);
    for (let i = 0; i < 60; i++) {
      b.observe(
        closed(d, {
          start: d.firstSeen + i * 60,
          features: { bytesUp: 900 },
          evidence: {
            peers: [
              peer('192.168.1.30', 22, { mac: nas }),
              peer('192.168.1.30', 445, { mac: nas }),
            ],
          },
        }),
        true,
        policy,
      );
    }
    expect(b.learning).toBe(false);
    const v6 = (ip: string, port: number, mac: string) => peer(ip, port, { local: true, mac });
    // The same NAS reached over IPv6 (its link-local and global addresses): nothing new.
    const same = [v6('fe80::211:32ff:feaa:bbcc', 22, nas), v6('2001:db8:1::30', 445, nas)];
    expect(run('lateral_movement', d, { evidence: { peers: same } }, { baseline: b })).toEqual([]);
    // Another device's SSH at a new address: a shell on a neighbour it never used.
    const other = [v6('fe80::1:2ff:fe03:405', 22, '00:01:02:03:04:05')];
    expect(
      run('lateral_movement', d, { evidence: { peers: other } }, { baseline: b }),
    ).toHaveLength(1);
    // A known service at an address no device holds is judged by the address, as before.
    expect(b.knowsLanService('192.168.1.30', 22)).toBe(true);
    expect(b.knowsLanService('192.168.1.31', 22)).toBe(false);
  });

  it('counts a service or a peer once in an episode, however many windows reach it', () => {
    const d = device();
    const b = learned(d);
    const det = detector('lateral_movement');
    const window = (start: number, peers: ReturnType<typeof peer>[]): Finding =>
      run('lateral_movement', d, { start, evidence: { peers } }, { baseline: b, det })[0];
    // The same SSH neighbour in two windows (an episode of --learn 0, or a slow sweep), then
    // a second one with ADB on a third neighbour.
    const first = window(T0 + 7200, [peer('192.168.1.40', 22)]);
    const again = window(T0 + 7260, [peer('192.168.1.40', 22)]);
    const more = window(T0 + 7320, [peer('192.168.1.40', 22), peer('192.168.1.41', 5555)]);
    expect(det.merge).toBeDefined();
    const merged = [again, more].reduce((ep, f) => det.merge!(ep, f.facts), first.facts);
    expect(merged).toMatchObject({ newServices: 2, newPeers: 2 });
    const s = detector('lateral_movement').sentence({
      who: 'Robot vacuum (Roborock, 192.168.1.23)',
      since: first.ts,
      last: more.ts,
      windows: 3,
      facts: merged,
    });
    expect(s).toContain(
      '2 admin services on your network it never used (SSH on 192.168.1.40:22 and ADB (Android debugging) on 192.168.1.41:5555) and 2 LAN devices',
    );
  });
});

describe('beaconing', () => {
  const beacon = (p: Partial<BeaconEvidence>): BeaconEvidence => ({
    ip: '203.0.113.9',
    port: 443,
    name: '',
    dnsAnswered: false,
    score: 0.97,
    sizeScore: 0.95,
    periodS: 30,
    jitterS: 0.8,
    contacts: 8,
    firstContact: T0 + 6960,
    lastContact: T0 + 7200,
    bytesPerContact: 120,
    ...p,
  });

  it('names regular contact with an endpoint outside the baseline', () => {
    const d = device();
    const f = run(
      'beaconing',
      d,
      { evidence: { beacons: [beacon({})] } },
      { baseline: learned(d) },
    );
    expect(f).toHaveLength(1);
    expect(f[0].severity).toBe('high');
  });

  it('a stream fetched in chunks on one connection is no beacon, a check-in a connection each time is', () => {
    const d = device();
    const b = learned(d);
    const det = detector('beaconing');
    const tv = beacon({
      ip: '104.89.22.5',
      name: 'oca.nflxvideo.net',
      dnsAnswered: true,
      periodS: 5,
      contacts: 48,
    });
    const chunks = peer('104.89.22.5', 443, { flows: 0, bytesUp: 4_000, bytesDown: 100_000 });
    expect(
      run('beaconing', d, { evidence: { beacons: [tv], peers: [chunks] } }, { baseline: b, det }),
    ).toEqual([]);
    // A pause in the stream (less fetched in a window) does not make it a beacon within the hour.
    const pause = peer('104.89.22.5', 443, { flows: 0, bytesUp: 4_000, bytesDown: 9_000 });
    expect(
      run(
        'beaconing',
        d,
        { start: T0 + 7260, evidence: { beacons: [tv], peers: [pause] } },
        { baseline: b, det },
      ),
    ).toEqual([]);
    // A beacon over TLS, a connection each contact: the server's certificate each time.
    const c2 = beacon({ periodS: 130 });
    const checkIn = peer('203.0.113.9', 443, { flows: 1, bytesUp: 240, bytesDown: 4_500 });
    expect(
      run('beaconing', d, { evidence: { beacons: [c2], peers: [checkIn] } }, { baseline: b }),
    ).toHaveLength(1);
  });

  it('is silent for the device’s own cloud heartbeat, irregular contact, or too few contacts', () => {
    const d = device();
    const b = learned(d);
    const own = beacon({
      ip: '52.9.9.9',
      port: 8883,
      name: 'mqtt.roborock.com',
      dnsAnswered: true,
    });
    expect(run('beaconing', d, { evidence: { beacons: [own] } }, { baseline: b })).toEqual([]);
    expect(
      run('beaconing', d, { evidence: { beacons: [beacon({ score: 0.5 })] } }, { baseline: b }),
    ).toEqual([]);
    expect(
      run('beaconing', d, { evidence: { beacons: [beacon({ contacts: 4 })] } }, { baseline: b }),
    ).toEqual([]);
    // Five contacts: enough when they keep time like a clock (MAD within 5 % of the period),
    // not when they are jittered (a sixth is needed).
    const named = (p: Partial<BeaconEvidence>) =>
      run('beaconing', d, { evidence: { beacons: [beacon(p)] } }, { baseline: b }).length;
    expect(named({ contacts: 5, periodS: 240, jitterS: 2.4 })).toBe(1);
    expect(named({ contacts: 5, periodS: 240, jitterS: 24 })).toBe(0);
    expect(named({ contacts: 6, periodS: 240, jitterS: 24 })).toBe(1);
    // A laptop polling a new web app it looked up: its normal.
    const app = beacon({ name: 'app.example', dnsAnswered: true, contacts: 10 });
    expect(
      run('beaconing', d, { evidence: { beacons: [app] } }, { baseline: b, kind: 'computer' }),
    ).toEqual([]);
  });
});

describe('abnormal_upload', () => {
  const up = (bytes: number, p = {}) => ({
    ip: '203.0.113.50',
    port: 443,
    name: '',
    dnsAnswered: false,
    bytes,
    packets: 3000,
    durationS: 60,
    pacedS: 0,
    sizeCv: 0.05,
    gapCv: 0.1,
    ...p,
  });

  it('names a steady upload far above the device’s normal', () => {
    const d = device();
    const f = run(
      'abnormal_upload',
      d,
      { features: { bytesUp: 400_000, uploadLongestS: 60 }, evidence: { upload: up(380_000) } },
      { baseline: learned(d) },
    );
    expect(f).toHaveLength(1);
    expect(sentence('abnormal_upload', f[0])).toMatch(
      /steady .*kbit\/s, like a live audio or video stream .*never used before; normally it sends at most 1\.\d kB a minute/,
    );
  });

  it('is silent below the floor, and for a phone backing up to its usual cloud', () => {
    const d = device();
    const b = learned(d);
    expect(
      run(
        'abnormal_upload',
        d,
        { features: { bytesUp: 50_000 }, evidence: { upload: up(48_000) } },
        { baseline: b },
      ),
    ).toEqual([]);
    const backup = up(80e6, { ip: '52.1.2.3', name: 'mqtt.roborock.com' });
    expect(
      run(
        'abnormal_upload',
        d,
        { features: { bytesUp: 80e6, uploadLongestS: 60 }, evidence: { upload: backup } },
        { baseline: b, kind: 'phone' },
      ),
    ).toEqual([]);
  });

  it('for a camera, needs the upload to go on for minutes, not a motion clip', () => {
    const d = device();
    const b = learned(d);
    const det = detector('abnormal_upload');
    const clip = run(
      'abnormal_upload',
      d,
      {
        features: { bytesUp: 600_000, uploadLongestS: 12 },
        evidence: { upload: up(590_000, { sizeCv: 0.6 }) },
      },
      { baseline: b, kind: 'camera', det },
    );
    expect(clip).toEqual([]);
    const found: Finding[][] = [];
    for (let i = 0; i < 4; i++)
      found.push(
        run(
          'abnormal_upload',
          d,
          {
            start: T0 + 7200 + i * 60,
            features: { bytesUp: 600_000, uploadLongestS: 60 },
            evidence: { upload: up(590_000) },
          },
          { baseline: b, kind: 'camera', det },
        ),
      );
    // The third minute of continuous upload names it, reporting all three; the fourth its own.
    expect(found.map((x) => x.length)).toEqual([0, 0, 1, 1]);
    expect(found[2][0].ts).toBe(T0 + 7200);
    expect(found[2][0].facts).toMatchObject({ bytes: 1_800_000, seconds: 180 });
    expect(found[3][0].facts).toMatchObject({ bytes: 600_000 });
  });

  it('counts an upload that began mid-window at its rate: named a minute later', () => {
    const d = device();
    const b = learned(d);
    const det = detector('abnormal_upload');
    const toKnownCloud = up(0, { ip: '52.1.2.3', name: 'mqtt.roborock.com' });
    const first = run(
      'abnormal_upload',
      d,
      {
        features: { bytesUp: 60_000, uploadLongestS: 30 },
        evidence: { upload: { ...toKnownCloud, bytes: 58_000 } },
      },
      { baseline: b, det },
    );
    const second = run(
      'abnormal_upload',
      d,
      {
        start: T0 + 7260,
        features: { bytesUp: 120_000, uploadLongestS: 60 },
        evidence: { upload: { ...toKnownCloud, bytes: 118_000 } },
      },
      { baseline: b, det },
    );
    expect(first).toEqual([]);
    expect(second).toHaveLength(1);
    expect(second[0].facts).toMatchObject({ known: true, bytes: 180_000 });
  });
});

describe('abnormal_upload by hour of day', () => {
  /** Midnight UTC. */
  const D0 = 1_699_920_000 + 86400;

  /** A device that uploads 200 kB a minute by day (08–20 h) and 1 kB at night, for `days`. */
  function dayUploader(d: Device, days: number): DeviceBaseline {
    const b = new DeviceBaseline(d.macStr, D0, FEATURE_NAMES);
    for (let t = D0; t < D0 + days * 86400; t += 60) {
      const h = ((t - D0) % 86400) / 3600;
      const bytesUp = h >= 8 && h < 20 ? 200_000 + (t % 7) * 1000 : 900 + (t % 5) * 50;
      b.observe(closed(d, { start: t, features: { bytesUp } }), true, policy);
    }
    return b;
  }

  const leak = {
    ip: '203.0.113.50',
    port: 443,
    name: '',
    dnsAnswered: false,
    bytes: 290_000,
    packets: 300,
    durationS: 50,
    pacedS: 0,
    sizeCv: 0.5,
    gapCv: 0.9,
  };
  const at = (days: number, hour: number): number => D0 + days * 86400 + hour * 3600;

  it('sees a night-time leak its daytime peak hid, once the night has days of evidence', () => {
    const d = device('02:00:00:00:00:43', '192.168.1.43', D0);
    const spec = (start: number) => ({
      start,
      features: { bytesUp: 300_000, uploadLongestS: 15 },
      evidence: { upload: leak },
    });
    // After two days the night bucket may not judge: the all-day normal (its daytime peak) does.
    const two = dayUploader(d, 2);
    expect(run('abnormal_upload', d, spec(at(2, 3)), { baseline: two })).toEqual([]);
    const four = dayUploader(d, 4);
    const night = run('abnormal_upload', d, spec(at(4, 3)), { baseline: four });
    expect(night).toHaveLength(1);
    expect((night[0].facts as { normalBytes: number }).normalBytes).toBeLessThan(2000);
    // The same minute by day is its normal.
    expect(run('abnormal_upload', d, spec(at(4, 13)), { baseline: four })).toEqual([]);
  });

  it('does not take a job the device runs every night for a leak', () => {
    const d = device('02:00:00:00:00:44', '192.168.1.44', D0);
    const b = new DeviceBaseline(d.macStr, D0, FEATURE_NAMES);
    // Quiet nights, busy days, and every night at 03:00 two minutes of sync (under 1 % of the hours' windows) to its cloud.
    const sync = (t: number): boolean =>
      (t - D0) % 86400 < 3 * 3600 + 120 && (t - D0) % 86400 >= 3 * 3600;
    const features = (t: number): Record<string, number> => {
      const h = ((t - D0) % 86400) / 3600;
      if (sync(t)) return { bytesUp: 400_000, uploadLongestS: 60 };
      return {
        bytesUp: h >= 8 && h < 20 ? 200_000 : 1000,
        uploadLongestS: h >= 8 && h < 20 ? 30 : 0,
      };
    };
    for (let t = D0; t < D0 + 5 * 86400; t += 60)
      b.observe(closed(d, { start: t, features: features(t) }), true, policy);
    const det = detector('abnormal_upload');
    const cloud = { ...leak, ip: '52.1.2.3', bytes: 390_000, sizeCv: 0.1, gapCv: 0.2 };
    const found: Finding[] = [];
    for (let t = at(5, 3); t < at(5, 3) + 120; t += 60)
      found.push(
        ...run(
          'abnormal_upload',
          d,
          { start: t, features: features(t), evidence: { upload: cloud } },
          { baseline: b, det },
        ),
      );
    expect(found).toEqual([]);
    // Its normal high at 03:00 is the job's, not the quiet night's 1 kB.
    expect(b.hourly.ready(at(5, 3))).toBe(true);
    expect(b.highAt('bytesUp', 0.99, at(5, 3))).toBeGreaterThan(150_000);
  });
});

describe('a Mirai scan that logs into the hosts that answered', () => {
  /** A minute of a telnet sweep: SYNs to many hosts, and a login on two that answered. */
  function sweepPeers(): ReturnType<typeof peer>[] {
    const out = [];
    for (let i = 0; i < 60; i++)
      out.push(peer(`198.51.${i}.7`, i % 10 === 0 ? 2323 : 23, { failed: 1, probes: 1 }));
    out.push(peer('203.0.113.9', 2323, { shortSessions: 1, bytesUp: 310, bytesDown: 90 }));
    out.push(peer('203.0.113.77', 23, { shortSessions: 1, bytesUp: 280, bytesDown: 80 }));
    return out;
  }
  const login = {
    ip: '203.0.113.9',
    port: 2323,
    name: '',
    dnsAnswered: false,
    bytes: 310,
    packets: 12,
    durationS: 50,
    pacedS: 0,
    sizeCv: 0.1,
    gapCv: 0.2,
  };
  // The sweep's SYNs alone are 120 kB of frames: 80 times the device's normal minute.
  const features = { bytesUp: 120_000, failedConnections: 60, remoteIps: 62, uploadLongestS: 0 };

  it('is one incident: the scan, not also an upload to the telnet hosts', () => {
    const d = device();
    const b = learned(d);
    const evidence = { peers: sweepPeers(), upload: login };
    expect(run('scan', d, { features, evidence }, { baseline: b })).toHaveLength(1);
    expect(run('abnormal_upload', d, { features, evidence }, { baseline: b })).toEqual([]);
  });

  it('still names a leak to elsewhere in the same minute', () => {
    const d = device();
    const b = learned(d);
    const leak = { ...login, ip: '192.0.2.200', port: 443, bytes: 900_000, packets: 700 };
    const peers = [
      ...sweepPeers(),
      peer('192.0.2.200', 443, { bytesUp: 900_000, bytesDown: 20_000 }),
    ];
    const f = run(
      'abnormal_upload',
      d,
      { features: { ...features, bytesUp: 1_050_000 }, evidence: { peers, upload: leak } },
      { baseline: b },
    );
    expect(f).toHaveLength(1);
    expect(f[0].facts).toMatchObject({ ip: '192.0.2.200', port: 443, bytes: 900_000 });
    // Even when the peer list was full and the leak is only the window's top upload.
    const g = run(
      'abnormal_upload',
      d,
      {
        features: { ...features, bytesUp: 1_050_000 },
        evidence: { peers: sweepPeers(), upload: leak },
      },
      { baseline: b },
    );
    expect(g).toHaveLength(1);
    expect(g[0].facts).toMatchObject({ ip: '192.0.2.200', bytes: 900_000 });
    // And when the leak goes to a bare address on a port the device is sweeping.
    const on23 = { ...leak, port: 23 };
    const h = run(
      'abnormal_upload',
      d,
      {
        features: { ...features, bytesUp: 1_050_000 },
        evidence: {
          peers: [...sweepPeers(), peer('192.0.2.200', 23, { bytesUp: 900_000 })],
          upload: on23,
        },
      },
      { baseline: b },
    );
    expect(h).toHaveLength(1);
    expect(h[0].facts).toMatchObject({ ip: '192.0.2.200', port: 23, bytes: 900_000 });
  });
});

describe('new_device', () => {
  it('announces a device that joins after the home’s learning phase, once', () => {
    const late = device('02:00:00:00:00:99', '192.168.1.99', T0 + 4000);
    const f = run('new_device', late, {});
    expect(sentence('new_device', f[0])).toMatch(
      /A new device joined the network at .*MAC 02:00:00:00:00:99/,
    );
    const early = device('02:00:00:00:00:98', '192.168.1.98', T0 + 100);
    expect(run('new_device', early, {})).toEqual([]);
    const b = new DeviceBaseline(late.macStr, late.firstSeen, FEATURE_NAMES);
    b.observe(closed(late, { start: T0 + 4000 }), false, policy);
    expect(run('new_device', late, {}, { baseline: b })).toEqual([]);
  });
});
