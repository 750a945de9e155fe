/**
 * Floods (src/detect/flood.ts): what a botnet's member sends when told to attack is named
 * `abnormal_upload` with a sentence that says so, whatever the device's kind; the traffic that
 * looks like it (a camera's live view sent peer to peer, a backup, a scan) is not a flood; and
 * the connections of a flood are never called a beacon.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MIN_PERIOD_S } from '../../src/detect/beaconing.js';
import { FLOOD_PPS, FLOOD_RATIO } from '../../src/detect/flood.js';
import type { BeaconEvidence } from '../../src/features/evidence.js';
import { records, runCli } from '../helpers/cli.js';
import { CAMERA, CAMERA_MAC, conn, demoWith } from './flood-capture.js';
import { detector, judge, policy, T0 } from './harness.js';
import { closed, device, peer } from './window.js';
import { camera, CLOUD, judgeShape, randomPorts, type Shape, TARGET } from './flood-shapes.js';

describe('floods', () => {
  it('a UDP flood to random ports of one host, unanswered: named, and said to be a flood', () => {
    const f = judgeShape({
      packetsUp: 120_000,
      packetsDown: 40,
      flowsStarted: 110_000,
      bytesUp: 66_000_000,
      peers: [
        peer(CLOUD, 443, { name: 'api.camera.example', flows: 2 }),
        ...randomPorts(64, 17, 512),
      ],
    });
    expect(f).toHaveLength(1);
    expect(f[0].severity).toBe('high');
    expect(f[0].facts.flood).toMatchObject({ target: TARGET, proto: 17, unanswered: true });
    const who = 'Camera (192.168.1.7)';
    const sentence = detector('abnormal_upload').sentence({
      who,
      since: T0 + 7200,
      last: T0 + 7260,
      windows: 1,
      facts: f[0].facts,
    });
    expect(sentence).toContain(
      `${who} has sent 120,000 packets (66.0 MB) to ${TARGET} (UDP, 64 ports or more)`,
    );
    expect(sentence).toContain('about 2,000 a second');
    expect(sentence).toContain('denial-of-service flood');
  });

  it('a SYN flood on one port that the target answers: a new connection every packet', () => {
    const f = judgeShape({
      packetsUp: 30_000,
      packetsDown: 15_000,
      flowsStarted: 15_000,
      bytesUp: 1_800_000,
      peers: [peer(TARGET, 80, { flows: 15_000, failed: 0, probes: 15_000 })],
    });
    expect(f.map((x) => x.facts.flood?.port)).toEqual([80]);
    expect(f[0].facts.flood?.unanswered).toBe(false);
  });

  it('a flood on a device of the LAN: a SYN flood on one port, a UDP flood over many', () => {
    const nvr = '192.168.1.30';
    const syn = judgeShape({
      packetsUp: 60_000,
      packetsDown: 0,
      flowsStarted: 60_000,
      bytesUp: 3_600_000,
      peers: [peer(nvr, 80, { flows: 60_000 })],
    });
    expect(syn.map((x) => x.facts.flood?.local)).toEqual([true]);
    const who = 'Camera (192.168.1.7)';
    expect(
      detector('abnormal_upload').sentence({
        who,
        since: T0 + 7200,
        last: T0 + 7260,
        windows: 1,
        facts: syn[0].facts,
      }),
    ).toContain(`to ${nvr}, a device on your network (TCP port 80)`);
    const udpShape: Shape = {
      packetsUp: 60_000,
      packetsDown: 0,
      flowsStarted: 60_000,
      bytesUp: 30_000_000,
      peers: Array.from({ length: 64 }, (_, i) =>
        peer(nvr, 1024 + i, { proto: 17, bytesUp: 468_000, packetsUp: 937 }),
      ),
    };
    const udp = judgeShape(udpShape);
    expect(udp.map((x) => x.facts.flood?.local)).toEqual([true]);
    // A SYN flood is judged for a computer too (an attacker's laptop); a port scan of the host
    // (a connection for every port) is not a flood.
    expect(
      judgeShape({ ...udpShape, peers: [peer(nvr, 80, { flows: 60_000 })] }, 'computer'),
    ).toHaveLength(1);
    const portScan = judgeShape(
      {
        ...udpShape,
        peers: Array.from({ length: 64 }, (_, i) => peer(nvr, 1 + i, { failed: 1 })),
      },
      'computer',
    );
    expect(portScan.filter((x) => x.facts.flood !== undefined)).toEqual([]);
  });

  it('LAN traps: a camera streaming to a new recorder, a phone mirroring its screen to the TV', () => {
    // RTP over UDP to a recorder added today: 600 packets a second, one flow, no replies.
    const stream = {
      packetsUp: 36_000,
      packetsDown: 0,
      flowsStarted: 1,
      bytesUp: 40_000_000,
      peers: [peer('192.168.1.30', 50_000, { proto: 17, bytesUp: 40_000_000 })],
    };
    expect(judgeShape(stream).filter((x) => x.facts.flood !== undefined)).toEqual([]);
    // The same from a phone, over many ports (a mirroring protocol's streams): phones and
    // computers are not judged on LAN floods.
    const mirror = {
      ...stream,
      peers: randomPorts(20, 17, 2_000_000).map((p) => ({
        ...p,
        ip: '192.168.1.40',
        local: true,
        packetsUp: 1_800,
        sizeCvUp: 0.3,
      })),
    };
    expect(judgeShape(mirror, 'phone').filter((x) => x.facts.flood !== undefined)).toEqual([]);
    expect(judgeShape(mirror, 'camera').map((x) => x.facts.flood?.local)).toEqual([true]);
  });

  it('is not a flood under FLOOD_PPS or under FLOOD_RATIO × its normal', () => {
    const slow = FLOOD_PPS * 60 - 600;
    const under = judgeShape({
      packetsUp: slow,
      packetsDown: 0,
      flowsStarted: slow,
      bytesUp: slow * 60,
      peers: randomPorts(64, 17, 60),
    });
    expect(under.filter((x) => x.facts.flood !== undefined)).toEqual([]);
    // A device whose normal is 20,000 packets a minute sending 30,000: not a flood.
    const busy = camera();
    const many = closed(busy.d, {
      start: T0 + 7200,
      features: { packetsUp: 30_000, packetsDown: 0, flowsStarted: 30_000, bytesUp: 1_800_000 },
      evidence: { peers: randomPorts(64, 17, 60) },
    });
    for (let i = 0; i < 60; i++) {
      busy.b.observe(
        closed(busy.d, {
          start: busy.d.firstSeen + 3600 + i * 60,
          features: { packetsUp: 20_000, packetsDown: 20_000, bytesUp: 1_000_000 },
        }),
        true,
        policy,
      );
    }
    expect(30_000).toBeLessThan(FLOOD_RATIO * 20_000);
    const f = judge(detector('abnormal_upload'), many, { baseline: busy.b, kind: 'camera' });
    expect(f).toEqual([]);
  });

  it('traps: a live view sent peer to peer with its receiver’s feedback, a backup, a flood to its own cloud', () => {
    // 4K video to a phone on another network (WebRTC): 1,800 packets a second, the phone's
    // RTCP and congestion feedback coming back (5 %), one connection.
    const live = judgeShape({
      packetsUp: 108_000,
      packetsDown: 5_400,
      flowsStarted: 1,
      bytesUp: 130_000_000,
      peers: [
        peer('198.51.100.7', 50_000, { proto: 17, bytesUp: 130_000_000, bytesDown: 200_000 }),
      ],
    });
    expect(live.filter((x) => x.facts.flood !== undefined)).toEqual([]);
    // A backup over one TCP connection: answered by ACKs.
    const backup = judgeShape(
      {
        packetsUp: 60_000,
        packetsDown: 30_000,
        flowsStarted: 1,
        bytesUp: 80_000_000,
        peers: [peer('198.51.100.9', 443, { bytesUp: 80_000_000 })],
      },
      'plug',
    );
    expect(backup.filter((x) => x.facts.flood !== undefined)).toEqual([]);
    // A host in the baseline (its own cloud) explains a stream, unanswered at 2,000 packets a
    // second: not a flood. Hundreds of new connections a second it does not explain (below).
    const cloud = judgeShape({
      packetsUp: 120_000,
      packetsDown: 0,
      flowsStarted: 1,
      bytesUp: 130_000_000,
      peers: [
        peer(CLOUD, 443, {
          proto: 17,
          name: 'api.camera.example',
          bytesUp: 126_000_000,
          packetsUp: 120_000,
          sizeCvUp: 0.4,
        }),
      ],
    });
    expect(cloud.filter((x) => x.facts.flood !== undefined)).toEqual([]);
    // A sweep over many hosts is a scan, not a flood on one.
    const sweep = judgeShape({
      packetsUp: 60_000,
      packetsDown: 0,
      flowsStarted: 60_000,
      bytesUp: 3_600_000,
      peers: Array.from({ length: 64 }, (_, i) => peer(`198.51.${i}.9`, 23, { failed: 1 })),
    });
    expect(sweep.filter((x) => x.facts.flood !== undefined)).toEqual([]);
  });

  it('the connections of a flood, a second apart, are never a beacon; a 2-second check-in is', () => {
    const d = device();
    const b = camera().b;
    const beacon = (periodS: number): BeaconEvidence => ({
      ip: TARGET,
      port: 80,
      name: '',
      dnsAnswered: false,
      score: 1,
      sizeScore: 1,
      periodS,
      jitterS: 0,
      contacts: 48,
      firstContact: T0 + 7152,
      lastContact: T0 + 7200,
      bytesPerContact: 0,
    });
    const at = (periodS: number) =>
      judge(
        detector('beaconing'),
        closed(d, { start: T0 + 7200, evidence: { beacons: [beacon(periodS)] } }),
        { baseline: b },
      );
    expect(1).toBeLessThan(MIN_PERIOD_S);
    expect(at(1)).toEqual([]);
    expect(at(2.2)).toHaveLength(1);
  });
});

describe('a flood in a capture', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hw-flood-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /**
   * The demo home with, after its last packet, its camera (192.168.1.2) sending a UDP flood:
   * `pps` datagrams of 512 bytes a second to random ports of one internet host for `seconds`.
   */
  function demoWithFlood(pps: number, seconds: number): string {
    return demoWith(dir, `flood-${pps}`, (f, t0) => {
      const c = conn(CAMERA, '203.0.113.50', 0, 0);
      for (let i = 0; i < pps * seconds; i++) {
        c.portA = 1024 + ((i * 7919) % 60_000);
        c.portB = 1 + ((i * 104_729) % 65_000);
        f.beginUdp(false);
        f.endUdp(t0 + (i * 1e6) / pps, c, true, 0, 512);
      }
    });
  }

  it('a camera flooding a host for 90 s: one abnormal_upload saying so, no beaconing', () => {
    const recs = records(runCli(['replay', demoWithFlood(400, 90), '--out', '-']).stdout);
    const camera = recs.filter((r) => r.type === 'alert' && r.mac === CAMERA_MAC);
    const opened = camera.filter((r) => r.state === 'open');
    expect(opened.map((r) => r.behaviour)).toEqual(['abnormal_upload']);
    expect(opened[0].summary).toMatch(
      /has sent [\d,]+ packets \([\d.]+ MB\) to 203\.0\.113\.50 \(UDP, \d+ ports or more\).*denial-of-service flood/,
    );
    // The vacuum's three behaviours are still named, and nothing else.
    const vacuum = recs.filter(
      (r) => r.type === 'alert' && r.state === 'open' && r.mac !== CAMERA_MAC,
    );
    expect(vacuum.map((r) => r.behaviour).sort()).toEqual([
      'beaconing',
      'inbound_exposure',
      'upnp_exposure',
    ]);
  });
});
