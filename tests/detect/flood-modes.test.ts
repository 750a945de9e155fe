/**
 * The attack modes of Mirai, Gafgyt and Mozi that a flood (src/detect/flood.ts) must name, and
 * the streams that look like them, judged as shapes and appended to the demo capture:
 * - forged sources (Mirai's `source=`, random or from the LAN's /24): named "from N forged
 *   source addresses", even to the device's own cloud; the device keeps its own address;
 * - GRE (`greip`) and ICMP echo floods to an internet host, answered or not;
 * - HTTP floods: a new host, and the device's own cloud (hundreds of connections a second are
 *   nothing its cloud explains);
 * - one port of a LAN host flooded with unanswered UDP of one small size (`udpplain`), not a
 *   media stream (sizes that vary, or a speaker's raw audio);
 * - SYNs to random ports of one host: a flood from a camera, a port scan from a phone (nmap).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseIpv4 } from '../../src/decode/addr.js';
import { TCP_ACK, TCP_RST, TCP_SYN, type Frames } from '../../datasets/generator/frames.js';
import { records, runCli, SHARED } from '../helpers/cli.js';
import {
  CAMERA,
  cameraPortScan,
  CAMERA_MAC,
  conn,
  demoWith,
  greStream,
  httpFlood,
  paced,
  PHONE,
  pings,
  synFlood,
  TOY,
  udpFlood,
  xorshift,
} from './flood-capture.js';
import { CLOUD, judgeShape, randomPorts, TARGET } from './flood-shapes.js';
import { peer } from './window.js';

const floods = (f: ReturnType<typeof judgeShape>) => f.filter((x) => x.facts.flood !== undefined);

describe('flood shapes', () => {
  const synsToCloud = {
    packetsUp: 60_000,
    packetsDown: 0,
    flowsStarted: 60_000,
    bytesUp: 3_600_000,
    peers: [peer(CLOUD, 443, { flows: 60_000, name: 'api.camera.example' })],
  };

  it('forged sources: named even at its own cloud, with the count; not for a router or a computer', () => {
    const forged = { forgedPackets: 60_000, forgedSources: 4096 };
    const f = judgeShape(synsToCloud, 'camera', forged);
    expect(f.map((x) => x.facts.flood?.forgedSources)).toEqual([4096]);
    // A stream to its cloud from forged sources: no device's stream does that either.
    const stream = {
      ...synsToCloud,
      flowsStarted: 1,
      peers: [
        peer(CLOUD, 443, {
          proto: 17,
          name: 'api.camera.example',
          bytesUp: 30_000_000,
          packetsUp: 60_000,
        }),
      ],
    };
    expect(floods(judgeShape(stream, 'camera', forged))).toHaveLength(1);
    expect(floods(judgeShape(stream, 'camera'))).toEqual([]);
    // A router or a computer may forward others' packets (a VPN server): judged as any flood,
    // and this one goes to a host it knows.
    expect(floods(judgeShape(stream, 'router', forged))).toEqual([]);
    expect(floods(judgeShape(stream, 'computer', forged))).toEqual([]);
    // Under FORGED_SHARE of the packets, the device's own: no count.
    const few = judgeShape(
      { ...synsToCloud, peers: [peer(TARGET, 80, { flows: 60_000 })] },
      'camera',
      {
        forgedPackets: 100,
        forgedSources: 100,
      },
    );
    expect(few.map((x) => x.facts.flood?.forgedSources)).toEqual([0]);
  });

  it('its own cloud: hundreds of new connections a second are a flood, from a camera not a computer', () => {
    expect(floods(judgeShape(synsToCloud))).toHaveLength(1);
    expect(floods(judgeShape(synsToCloud, 'computer'))).toEqual([]);
  });

  it('pings at a flood’s rate, answered: a flood from a camera, not from a computer (ping -f)', () => {
    const echo = {
      packetsUp: 24_000,
      packetsDown: 24_000,
      flowsStarted: 1,
      bytesUp: 2_400_000,
      peers: [peer(TARGET, 0, { proto: 1, bytesUp: 1_344_000, packetsUp: 24_000 })],
    };
    expect(judgeShape(echo).map((x) => x.facts.flood?.pings)).toEqual([true]);
    expect(floods(judgeShape(echo, 'computer'))).toEqual([]);
  });

  it('one port of a LAN host, unanswered: a flood when every payload is one small size', () => {
    const nvr = '192.168.1.30';
    const oneSize = (bytes: number, sizeCvUp: number) => ({
      packetsUp: 60_000,
      packetsDown: 0,
      flowsStarted: 1,
      bytesUp: 60_000 * (bytes + 42),
      peers: [peer(nvr, 9000, { proto: 17, bytesUp: 60_000 * bytes, packetsUp: 60_000, sizeCvUp })],
    });
    expect(judgeShape(oneSize(512, 0)).map((x) => x.facts.flood?.local)).toEqual([true]);
    // RTP video to a recorder: sizes vary with the frames.
    expect(floods(judgeShape(oneSize(1_100, 0.3)))).toEqual([]);
    // MPEG-TS over UDP: one size, but a media packet's (7 × 188 bytes).
    expect(floods(judgeShape(oneSize(1_316, 0)))).toEqual([]);
    // Raw audio in fixed chunks from a speaker to another (a group), or a phone's stream.
    expect(floods(judgeShape(oneSize(512, 0), 'speaker'))).toEqual([]);
    expect(floods(judgeShape(oneSize(512, 0), 'phone'))).toEqual([]);
  });

  it('a speaker’s multicast audio and one new internet host: no flood on that host', () => {
    const f = judgeShape({
      packetsUp: 18_000,
      packetsDown: 10,
      flowsStarted: 2,
      bytesUp: 20_000_000,
      features: { lanByteShare: 0.99 },
      peers: [peer('198.51.100.123', 123, { proto: 17, bytesUp: 48, packetsUp: 1 })],
    });
    expect(floods(f)).toEqual([]);
  });

  it('SYNs to random ports of one host: a flood from a camera; from a computer, scan’s', () => {
    const syns = {
      packetsUp: 24_000,
      packetsDown: 0,
      flowsStarted: 24_000,
      bytesUp: 1_440_000,
      peers: randomPorts(256, 6, 0),
    };
    expect(floods(judgeShape(syns, 'camera', { dropped: 20_000 }))).toHaveLength(1);
    expect(floods(judgeShape(syns, 'computer', { dropped: 20_000 }))).toEqual([]);
  });
});

describe('flood modes in a capture', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hw-flood-modes-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The demo home with `build`'s traffic appended: its open alerts other than the vacuum's. */
  function alerts(name: string, build: (f: Frames, t0: number) => void) {
    const recs = records(runCli(['replay', demoWith(dir, name, build), '--out', '-']).stdout);
    const devices = recs.filter((r) => r.type === 'device');
    const ipsOf = (mac: string) => devices.filter((d) => d.mac === mac).pop()?.ips;
    const opened = recs.filter(
      (r) => r.type === 'alert' && r.state === 'open' && r.mac !== 'b0:4a:39:57:c5:d4',
    );
    return { opened, ipsOf };
  }
  const flood = { from: CAMERA, to: '203.0.113.50', port: 80, pps: 400, seconds: 90 };

  it('forged random sources: the camera’s flood, from thousands of forged addresses', () => {
    const r = xorshift(7);
    const { opened, ipsOf } = alerts('forged', (f, t0) =>
      udpFlood(f, t0, { ...flood, size: 512 }, () => r()),
    );
    expect(opened.map((a) => [a.mac, a.behaviour])).toEqual([[CAMERA_MAC, 'abnormal_upload']]);
    expect(opened[0].summary).toMatch(
      /\(Arlo, 192\.168\.1\.2\) has sent [\d,]+ packets \([\d.]+ MB\) from 4,096 forged source addresses or more to 203\.0\.113\.50 \(UDP port 80\)/,
    );
    expect(ipsOf(CAMERA_MAC)).toEqual(['192.168.1.2']);
  });

  it('sources forged from the LAN’s /24: named with their count, the camera keeps its address', () => {
    const r = xorshift(11);
    const lan = parseIpv4('192.168.1.0');
    const { opened, ipsOf } = alerts('forged-lan', (f, t0) =>
      udpFlood(f, t0, { ...flood, size: 512 }, () => lan + 1 + (r() % 254)),
    );
    expect(opened.map((a) => a.behaviour)).toEqual(['abnormal_upload']);
    expect(opened[0].summary).toMatch(
      /\(Arlo, 192\.168\.1\.2\) .* from 25\d forged source addresses to /,
    );
    expect(ipsOf(CAMERA_MAC)).toEqual(['192.168.1.2']);
  });

  it('GRE and ICMP echo floods to one host (the pings answered): named', () => {
    const gre = alerts('gre', (f, t0) => greStream(f, t0, { ...flood, size: 512 }, false));
    expect(gre.opened.map((a) => a.behaviour)).toEqual(['abnormal_upload']);
    expect(gre.opened[0].summary).toMatch(/to 203\.0\.113\.50 \(GRE\).*denial-of-service flood/);
    const echo = alerts('echo', (f, t0) => pings(f, t0, flood, true));
    expect(echo.opened.map((a) => a.behaviour)).toEqual(['abnormal_upload']);
    expect(echo.opened[0].summary).toMatch(/\(ICMP\).*pinging it \(ICMP echo requests\):/);
  });

  it('HTTP floods, 100 connections a second answered: to a new host and to its own cloud', () => {
    for (const to of ['203.0.113.50', '54.16.39.3']) {
      const { opened } = alerts(`http-${to}`, (f, t0) =>
        httpFlood(f, t0, { from: CAMERA, to, cps: 100, seconds: 90 }),
      );
      expect(opened.map((a) => a.behaviour)).toEqual(['abnormal_upload']);
      expect(opened[0].summary).toContain(`to ${to} (TCP port 80)`);
      expect(opened[0].summary).toContain('opening a new connection every few packets');
    }
  });

  it('unanswered UDP of one size at one port of a LAN host: named; RTP video there is not', () => {
    const lanFlood = { from: CAMERA, to: '192.168.1.7', port: 9000, pps: 1000, seconds: 90 };
    const { opened } = alerts('lan-udp', (f, t0) =>
      udpFlood(f, t0, { ...lanFlood, size: 512 }, null, TOY.mac),
    );
    expect(opened.map((a) => a.behaviour)).toEqual(['abnormal_upload']);
    expect(opened[0].summary).toContain('to 192.168.1.7, a device on your network (UDP port 9000)');
    // RTP video at 600 packets a second: frames cut to the MTU with a smaller last packet.
    const video = alerts('lan-rtp', (f, t0) => {
      const c = conn(CAMERA, '192.168.1.7', 16_400, 16_402, TOY.mac);
      const r = xorshift(5);
      paced(t0, 600, 90, (i, ts) => {
        f.beginUdp(false);
        f.endUdp(ts, c, true, 0, i % 4 === 3 ? 200 + (r() % 1000) : 1400);
      });
    });
    expect(video.opened).toEqual([]);
  });

  it('SYNs to random ports of one host: a flood from the camera, a port scan from the phone', () => {
    const cam = alerts('syn-random', (f, t0) => synFlood(f, t0, { ...flood, port: 0 }));
    expect(cam.opened.map((a) => a.behaviour)).toEqual(['abnormal_upload']);
    expect(cam.opened[0].summary).toMatch(/\(TCP, \d+ ports or more\)/);
    // nmap -p- from the phone at 250 a second: each port once, closed ones refused.
    const nmap = alerts('nmap', (f, t0) => {
      const c = conn(PHONE, '203.0.113.50', 51_234, 0);
      paced(t0, 250, 240, (i, ts) => {
        c.portB = 1 + ((i * 7_919) % 65_535);
        f.beginTcp(false, true, false);
        f.endTcp(ts, c, true, TCP_SYN, 1000, 0, 0, 0);
        f.beginTcp(false, false);
        f.endTcp(ts + 20_000, c, false, TCP_RST | TCP_ACK, 0, 1001, 0, 0);
      });
    });
    expect(nmap.opened.map((a) => [a.mac, a.behaviour])).toEqual([['f0:d1:a9:b8:ab:7f', 'scan']]);
  });

  it('a SYN flood that starts mid-window is one flood; a camera’s short fast port scan is still a scan', () => {
    // 300 a second from 30 s into a minute: its first window holds half the rate, short of a
    // flood's, and looks like a port scan of one host until the next window shows the flood.
    const late = alerts('syn-late', (f, t0) =>
      synFlood(f, Math.ceil(t0 / 60e6) * 60e6 + 30e6, {
        ...flood,
        port: 0,
        pps: 300,
        seconds: 120,
      }),
    );
    expect(late.opened.map((a) => a.behaviour)).toEqual(['abnormal_upload']);
    // The camera probes 7,500 ports of one host in 30 s, refused, and falls silent: held back
    // one window (it could have been a flood's start), then named a port scan since its first
    // window, although the camera has no next window (released when the next windows close).
    const start = { at: 0 };
    const probe = alerts('cam-portscan', (f, t0) => {
      start.at = cameraPortScan(f, t0);
    });
    expect(probe.opened.map((a) => [a.mac, a.behaviour])).toEqual([[CAMERA_MAC, 'scan']]);
    const first = Math.floor(start.at / 60e6) * 60;
    expect((probe.opened[0].evidence as { since: number }).since).toBe(first);
    expect(probe.opened[0].ts).toBeLessThanOrEqual(first + 180);
    // The capture ends with the scan: named at the end of input.
    const last = alerts('cam-portscan-last', (f, t0) => {
      const c = conn(CAMERA, '203.0.113.50', 51_234, 0);
      paced(Math.ceil(t0 / 60e6) * 60e6 + 10e6, 250, 30, (i, ts) => {
        c.portB = 1 + ((i * 7_919) % 65_535);
        f.beginTcp(false, true, false);
        f.endTcp(ts, c, true, TCP_SYN, 1000, 0, 0, 0);
      });
    });
    expect(last.opened.map((a) => [a.mac, a.behaviour])).toEqual([[CAMERA_MAC, 'scan']]);
  });

  it('nmap’s scan of one host in a real capture stays a port scan', () => {
    const path = join(SHARED, 'ndpi-tests/pcap/synscan.pcap');
    const recs = records(runCli(['replay', path, '--out', '-']).stdout);
    const opened = recs.filter((r) => r.type === 'alert' && r.state === 'open');
    expect(opened.map((r) => r.behaviour)).toEqual(['scan']);
  });

  it('traps: a traceroute, a few seconds of ping -f, a VPN over GRE, multicast audio', () => {
    const { opened } = alerts('traps', (f, t0) => {
      // The phone: a traceroute (UDP to 33434 and up, 3 probes a hop, TTL rising, 30 hops) …
      const c = conn(PHONE, '198.51.100.80', 40_000, 33_434);
      for (let hop = 1; hop <= 30; hop++)
        for (let k = 0; k < 3; k++) {
          c.ttlA = hop;
          c.portB = 33_434 + (hop - 1) * 3 + k;
          f.beginUdp(false);
          f.endUdp(t0 + (hop * 3 + k) * 50_000, c, true, 0, 32);
        }
      // … then 5 s of ping -f at a thousand a second, answered …
      pings(f, t0 + 10e6, { from: PHONE, to: '198.51.100.80', pps: 1000, seconds: 5 }, true);
      // … then a VPN over GRE to its server, 500 packets a second each way for 90 s.
      greStream(
        f,
        t0 + 20e6,
        { from: PHONE, to: '198.51.100.90', pps: 500, seconds: 90, size: 900 },
        true,
      );
      // The Echo (unknown kind) sends multicast audio at 300 a second and asks one new host the time.
      const echo = { mac: 0x74754805ad1f, ip: parseIpv4('192.168.1.3') };
      const group = conn(echo, '239.255.0.100', 50_000, 50_000, 0x01005e7f0064);
      const ntp = conn(echo, '198.51.100.123', 123, 123);
      paced(t0 + 120e6, 300, 90, (i, ts) => {
        f.beginUdp(false);
        f.endUdp(ts, group, true, 0, 1_000 + (i % 7) * 40);
        if (i % 9000 === 0) {
          f.beginUdp(false);
          f.endUdp(ts + 10, ntp, true, 0, 48);
        }
      });
    });
    expect(opened.filter((a) => a.behaviour === 'abnormal_upload')).toEqual([]);
    expect(opened.filter((a) => a.behaviour === 'scan')).toEqual([]);
  });
});
