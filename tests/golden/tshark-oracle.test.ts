/**
 * Window features against an independent oracle: for real captures, the per-device sums over all
 * windows must equal what tshark counts for the same device: packets and bytes each way, DNS
 * queries, TLS ClientHellos, SSDP messages.
 *
 * "Up" is a frame from the device's MAC with a local source address (the outer IP header, or
 * the ARP sender); "down" is a frame to its MAC with a local destination, from the moment the
 * device first sent
 * (before that the MAC is not a device yet: DESIGN.md, Devices).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHARED, REPO, records, runCli, tool } from '../helpers/cli.js';
import { first, isLocal } from './addresses.js';

interface Totals {
  packetsUp: number;
  packetsDown: number;
  bytesUp: number;
  bytesDown: number;
  dnsQueries: number;
  tlsHandshakes: number;
  ssdpMessages: number;
}

const FEATURES: (keyof Totals)[] = [
  'packetsUp',
  'packetsDown',
  'bytesUp',
  'bytesDown',
  'dnsQueries',
  'tlsHandshakes',
  'ssdpMessages',
];

/** What tshark sees for `mac`, from `since` on for the down direction. */
function oracle(rows: string[][], mac: string, since: number): Totals {
  const t: Totals = {
    packetsUp: 0,
    packetsDown: 0,
    bytesUp: 0,
    bytesDown: 0,
    dnsQueries: 0,
    tlsHandshakes: 0,
    ssdpMessages: 0,
  };
  for (const row of rows) {
    const [time, len, esrc, edst, ip4s, ip4d, ip6s, ip6d, dnsResp, udpPorts, hsType, ssdp] = row;
    const [arpSrc, arpDst] = row.slice(12);
    // ARP from a local sender address is the device's traffic too (that is how quiet ones show).
    const src = first(ip4s) || first(ip6s) || (arpSrc ?? '');
    const dst = first(ip4d) || first(ip6d) || (arpDst ?? '');
    if (esrc === mac && isLocal(src)) {
      t.packetsUp++;
      t.bytesUp += Number(len);
      const ports = udpPorts.split(',');
      if (dnsResp === '0' && ports.includes('53') && !ports.includes('5353')) t.dnsQueries++;
      if (hsType.split(',').includes('1')) t.tlsHandshakes++;
      if (ssdp !== '') t.ssdpMessages++;
    }
    if (edst === mac && isLocal(dst) && Number(time) >= since) {
      t.packetsDown++;
      t.bytesDown += Number(len);
    }
  }
  return t;
}

const CASES: { name: string; files: string[] }[] = [
  {
    name: 'nku-home (8 files, gzip, one timeline)',
    files: [
      'datasets/nku-home/xiaodu_plug.pcap.gz',
      'datasets/nku-home/xiaobai_Y2camera_setup.pcap.gz',
      'datasets/nku-home/xiaobai_Y2camera_speak_local.pcap.gz',
    ].map((f) => join(REPO, f)),
  },
  {
    name: 'Mon(IoT)r Blink hub, 9 h idle (pcapng)',
    files: [join(SHARED, 'moniotr-blink-hub/2019-04-25_idle.pcap')],
  },
  { name: 'Yi camera recording', files: [join(SHARED, 'neu-intl-iot/yi_camera_sample.pcap')] },
  { name: 'Alexa app (pcapng)', files: [join(SHARED, 'ndpi-tests/pcap/alexa-app.pcapng')] },
  {
    name: 'D-Link camera setup (UPnP)',
    files: [join(SHARED, 'iot-sentinel/captures_IoT-Sentinel/D-LinkCam/Setup-A-1-STA.pcap')],
  },
];

describe('window features agree with tshark', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const r = runCli(['replay', ...c.files, '--out', '-']);
      expect(r.code).toBe(0);
      const recs = records(r.stdout);
      const rows: string[][] = [];
      let capinfos = 0;
      for (const f of c.files) {
        capinfos += Number(
          tool('capinfos', ['-c', '-M', f]).match(/Number of packets:\s+(\d+)/)?.[1],
        );
        const out = tool('tshark', [
          '-r',
          f,
          '-T',
          'fields',
          '-E',
          'separator=\t',
          '-e',
          'frame.time_epoch',
          '-e',
          'frame.len',
          '-e',
          'eth.src',
          '-e',
          'eth.dst',
          '-e',
          'ip.src',
          '-e',
          'ip.dst',
          '-e',
          'ipv6.src',
          '-e',
          'ipv6.dst',
          '-e',
          'dns.flags.response',
          '-e',
          'udp.port',
          '-e',
          'tls.handshake.type',
          '-e',
          'ssdp',
          '-e',
          'arp.src.proto_ipv4',
          '-e',
          'arp.dst.proto_ipv4',
        ]);
        for (const line of out.split('\n')) if (line !== '') rows.push(line.split('\t'));
      }
      const summary = recs.find((x) => x.type === 'summary');
      expect(summary?.packets).toBe(capinfos);
      const devices = recs.filter((x) => x.type === 'device');
      expect(devices.length).toBeGreaterThan(0);
      const totals = new Map<string, Totals>();
      for (const w of recs.filter((x) => x.type === 'window')) {
        const f = w.features as Record<string, number>;
        const t =
          totals.get(w.mac as string) ??
          (Object.fromEntries(FEATURES.map((k) => [k, 0])) as unknown as Totals);
        for (const k of FEATURES) t[k] += f[k];
        totals.set(w.mac as string, t);
      }
      for (const d of devices) {
        const mac = d.mac as string;
        expect({ mac, ...totals.get(mac) }).toEqual({
          mac,
          ...oracle(rows, mac, d.firstSeen as number),
        });
      }
    });
  }
});
