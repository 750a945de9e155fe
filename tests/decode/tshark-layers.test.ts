/**
 * Cross-check of link, network and transport fields against tshark on real captures of every
 * supported link type: for each frame we decode without error, each field tshark reports for
 * the outermost header must equal ours.
 */
import { describe, expect, it } from 'vitest';
import { ipv4ToString, ipv6ToString, macToString } from '../../src/decode/addr.js';
import { DecodedPacket, DecodeStatus, L3, decodeFrame } from '../../src/decode/index.js';
import { dataset, hasTshark, tsharkFields } from './helpers.js';
import { readFrames } from './pcap-walk.js';

const FILES = [
  'iot-sentinel/captures_IoT-Sentinel/Aria/Setup-A-1-STA.pcap',
  'iot-sentinel/captures_IoT-Sentinel/D-LinkCam/Setup-A-1-STA.pcap',
  'iot-sentinel/captures_IoT-Sentinel/WeMoSwitch/Setup-A-1-STA.pcap',
  'nku-lifecycle/xiaodu_plug_lifecycle/xiaodu_plug_setup.pcap',
  'ndpi-tests/pcap/bot.pcap',
  'ndpi-tests/pcap/rtsp.pcap',
  'ndpi-tests/pcap/http_ipv6.pcap',
  'ndpi-tests/pcap/ip_fragmented_garbage.pcap',
  'zeek-traces/http-qinq-0.pcap',
  'zeek-traces/linuxsll-arp.pcap',
  'zeek-traces/linux_dlt_sll2.pcap',
  'zeek-traces/mixed-vlan-mpls.pcap',
  'tcpdump-tests/linktypes-protocols/LINKTYPE_IPV4.pcap',
  'tcpdump-tests/linktypes-protocols/LINKTYPE_RAW_ipv6.pcap',
  'tcpdump-tests/malformed/dns-badcookie.pcap',
];

const FIELDS = [
  'eth.src',
  'vlan.id',
  'ip.src',
  'ip.dst',
  'ipv6.src',
  'ipv6.dst',
  'tcp.srcport',
  'tcp.dstport',
  'tcp.flags',
  'tcp.seq_raw',
  'udp.srcport',
  'udp.dstport',
  'arp.opcode',
  'arp.src.proto_ipv4',
  'icmp.type',
  'icmpv6.type',
];

describe.skipIf(!hasTshark())('layers agree with tshark', () => {
  for (const file of FILES) {
    it(file, () => {
      const path = dataset(file);
      const rows = tsharkFields(path, FIELDS);
      const out = new DecodedPacket();
      let compared = 0;
      for (const f of readFrames(path)) {
        decodeFrame(f.data, 0, f.data.length, f.wireLen, f.linkType, f.ts, out);
        const t = rows.get(f.no);
        if (t === undefined || out.status !== DecodeStatus.Ok) continue;
        const [
          ethSrc,
          vlan,
          ipSrc,
          ipDst,
          v6Src,
          v6Dst,
          tSport,
          tDport,
          tFlags,
          tSeq,
          uSport,
          uDport,
        ] = t;
        const [arpOp, arpSpa, icmpType, icmp6Type] = t.slice(12);
        const at = `${file} frame ${f.no}`;
        if (ethSrc !== '' && f.linkType === 1) expect(macToString(out.srcMac), at).toBe(ethSrc);
        if (vlan !== '') expect(out.vlan, at).toBe(Number(vlan));
        if (out.l3 === L3.IPv4) {
          expect(ipv4ToString(out.src4), at).toBe(ipSrc);
          expect(ipv4ToString(out.dst4), at).toBe(ipDst);
        }
        if (out.l3 === L3.IPv6) {
          expect(ipv6ToString(out.src6), at).toBe(v6Src);
          expect(ipv6ToString(out.dst6), at).toBe(v6Dst);
        }
        if (out.ipProto === 6 && !out.laterFragment && tSport !== '') {
          expect([out.sport, out.dport, out.tcpFlags, out.tcpSeq], at).toEqual([
            Number(tSport),
            Number(tDport),
            Number(tFlags) & 0xff,
            Number(tSeq),
          ]);
        }
        if (out.ipProto === 17 && !out.laterFragment && uSport !== '') {
          expect([out.sport, out.dport], at).toEqual([Number(uSport), Number(uDport)]);
        }
        if (out.l3 === L3.ARP) {
          expect(out.arpOp, at).toBe(Number(arpOp));
          expect(ipv4ToString(out.arpSenderIp), at).toBe(arpSpa);
        }
        if (out.ipProto === 1 && icmpType !== '') expect(out.icmpType, at).toBe(Number(icmpType));
        if (out.ipProto === 58 && icmp6Type !== '')
          expect(out.icmpType, at).toBe(Number(icmp6Type));
        compared++;
      }
      expect(compared).toBeGreaterThan(0);
    });
  }
});
