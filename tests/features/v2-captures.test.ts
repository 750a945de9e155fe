/**
 * Features v2 and their evidence on the real captures that hold each behaviour, against an
 * independent oracle built from tshark's per-frame fields (no TCP reassembly, as our peeks).
 */
import { parse } from 'tldts';
import { describe, expect, it } from 'vitest';
import {
  EXECUTABLE_EXTENSIONS,
  OPAQUE_CONTENT_TYPES,
  pathExtension,
} from '../../src/features/downloads.js';
import { dataset, hasTshark, tsharkFields } from '../decode/helpers.js';
import { replayWindows, total } from './replay-evidence.js';

const WINDOW = 60;
const win = (ts: number): number => Math.floor(ts / WINDOW) * WINDOW;

describe.runIf(hasTshark())('features v2 on real captures', () => {
  it('mining.pcapng: stratum requests per device, as counted in tshark\u2019s payloads', () => {
    const path = dataset('ndpi-tests/pcap/mining.pcapng');
    // One miner uses a public address as its LAN address.
    const windows = replayWindows([path], { lanCidrs: ['147.229.13.0/24'] });
    const rows = tsharkFields(path, ['eth.src', 'ip.src', 'tcp.payload'], 'tcp.len > 0');
    const request =
      /"method"\s*:\s*"(mining\.(?:subscribe|authorize|submit|extranonce\.subscribe)|login|submit|getjob|keepalived|eth_(?:submitLogin|getWork|submitWork|submitHashrate))"/;
    const want = new Map<string, number>();
    const methods = new Map<string, Set<string>>();
    for (const [, [mac, ip, hex]] of rows) {
      if (!/^(192\.168\.|147\.229\.13\.)/.test(ip)) continue;
      for (const line of Buffer.from(hex, 'hex').toString('latin1').split('\n')) {
        const m = line.startsWith('{') ? request.exec(line) : null;
        if (m === null) continue;
        want.set(mac, (want.get(mac) ?? 0) + 1);
        if (!methods.has(mac)) methods.set(mac, new Set());
        methods.get(mac)?.add(m[1]);
      }
    }
    expect(want.size).toBe(3);
    for (const [mac, n] of want) {
      expect(total(windows, 'stratumMessages', mac)).toBe(n);
      const seen = new Set(
        windows
          .filter((w) => w.record.mac === mac)
          .flatMap((w) => w.evidence.stratum.map((s) => s.method)),
      );
      expect(seen).toEqual(methods.get(mac));
    }
    expect(total(windows, 'stratumMessages')).toBe([...want.values()].reduce((a, b) => a + b));
  });

  it('natpmp.pcap: map requests per device, and the mappings with their ports', () => {
    const path = dataset('ndpi-tests/pcap/natpmp.pcap');
    const windows = replayWindows([path]);
    const rows = tsharkFields(path, ['eth.src', 'nat-pmp.opcode', 'nat-pmp.pml'], 'nat-pmp');
    const want = new Map<string, number>();
    for (const [, [mac, op, pml]] of rows) {
      if ((op === '1' || op === '2') && Number(pml) > 0) want.set(mac, (want.get(mac) ?? 0) + 1);
    }
    expect(want.size).toBe(2);
    for (const [mac, n] of want) expect(total(windows, 'portMapRequests', mac)).toBe(n);
    const maps = windows.flatMap((w) =>
      w.evidence.portMappings.map(
        (m) =>
          `${w.record.mac} ${m.via} ${m.protocol} ${m.internalPort}->${m.externalPort} via ${m.router} x${m.count}`,
      ),
    );
    expect(maps.sort()).toEqual([
      '3c:a9:f4:a8:1f:ec natpmp TCP 51413->51413 via 192.168.1.254 x1',
      '60:38:e0:c5:35:a0 natpmp TCP 22000->20216 via 192.168.2.1 x4',
      '60:38:e0:c5:35:a0 natpmp TCP 22000->6243 via 192.168.2.1 x2',
    ]);
  });

  it('DNS tunnels (dnscat, iodine): TXT/NULL queries, longest label and entropy per window', () => {
    const files = [
      'ndpi-tests/pcap/dns_exfiltration.pcap',
      'ndpi-tests/pcap/dns-tunnel-iodine.pcap',
    ];
    for (const rel of files) {
      const path = dataset(rel);
      const windows = replayWindows([path]);
      const rows = tsharkFields(
        path,
        ['frame.time_epoch', 'eth.src', 'dns.flags.response', 'dns.qry.type', 'udp.payload'],
        'dns && udp.port == 53',
      );
      // Per (device, window): TXT/NULL questions, longest label, highest entropy, from the raw
      // question name octets, letters in lower case (DNS names compare case-insensitively).
      // The entropy is of the part left of the registrable domain when the name ends in a
      // public suffix (tldts says which), of the whole name otherwise.
      const want = new Map<string, [number, number, number]>();
      for (const [, [ts, mac, resp, qtype, hex]] of rows) {
        if (resp !== '0') continue;
        const key = `${mac} ${win(Number(ts))}`;
        const v = want.get(key) ?? [0, 0, 0];
        if (qtype === '16' || qtype === '10') v[0]++;
        const msg = Buffer.from(hex, 'hex');
        const labels: Buffer[] = [];
        for (let pos = 12; msg[pos] !== 0; pos += 1 + msg[pos]) {
          const label = Buffer.from(msg.subarray(pos + 1, pos + 1 + msg[pos]));
          for (let i = 0; i < label.length; i++)
            if (label[i] >= 0x41 && label[i] <= 0x5a) label[i] |= 0x20;
          labels.push(label);
        }
        for (const l of labels) v[1] = Math.max(v[1], l.length);
        const text = labels.map((l) => l.toString('latin1')).join('.');
        const p = parse(text, {
          allowPrivateDomains: true,
          extractHostname: false,
          validateHostname: false,
        });
        const known = p.isIcann === true || p.isPrivate === true;
        const domainLabels = known && p.domain !== null ? p.domain.split('.').length : 0;
        const sub = Buffer.concat(labels.slice(0, labels.length - domainLabels));
        if (sub.length >= 10) {
          const counts = new Map<number, number>();
          for (const b of sub) counts.set(b, (counts.get(b) ?? 0) + 1);
          let h = 0;
          for (const c of counts.values()) h -= (c / sub.length) * Math.log2(c / sub.length);
          v[2] = Math.max(v[2], h);
        }
        want.set(key, v);
      }
      const got = new Map<string, [number, number, number]>();
      for (const w of windows) {
        const f = w.record.features;
        if (f.dnsQueries === 0) continue;
        got.set(`${w.record.mac} ${w.record.start}`, [
          f.dnsTxtNullQueries,
          f.dnsLongestLabel,
          f.dnsMaxEntropy,
        ]);
      }
      expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
      for (const [key, [txt, label, h]] of want) {
        const g = got.get(key) as [number, number, number];
        expect([g[0], g[1]], key).toEqual([txt, label]);
        expect(g[2], key).toBeCloseTo(h, 4);
      }
      expect([...want.values()].some(([txt]) => txt > 0)).toBe(true);
    }
  });

  it('downloads: opaque bodies in exe_download, exe_download_as_png, emotet, trickbot', () => {
    const MAGIC = [Buffer.from('MZ'), Buffer.from('\x7fELF', 'latin1'), Buffer.from('#!')];
    for (const rel of [
      'exe_download.pcap',
      'exe_download_as_png.pcap',
      'emotet.pcap',
      'trickbot.pcap',
    ]) {
      const path = dataset(`ndpi-tests/pcap/${rel}`);
      const rows = tsharkFields(
        path,
        [
          'tcp.stream',
          'tcp.srcport',
          'http.request.method',
          'http.request.uri',
          'http.response.code',
          'http.content_type',
          'tcp.payload',
        ],
        'tcp.len > 0',
      );
      // Per stream: requests in order, each response paired with the oldest; the body's first
      // bytes are after the header's blank line, or in the server's next segment.
      const pending = new Map<string, { method: string; uri: string }[]>();
      const waiting = new Map<string, { ct: string; uri: string }>();
      let want = 0;
      // Binary passed off as text: control bytes, or bytes that are not UTF-8, in the first 64.
      // Compressed bodies (gzip, zip: Content-Encoding) are archives, not disguised binaries.
      const binary = (body: Buffer): boolean => {
        if (body[0] === 0x1f && body[1] === 0x8b) return false;
        if (body.subarray(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1'))) return false;
        const head = body.subarray(0, 64);
        const controls = [...head].filter(
          (b) => (b < 0x20 && ![0x09, 0x0a, 0x0c, 0x0d].includes(b)) || b === 0x7f,
        ).length;
        let utf8 = true;
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, head.length - 3));
        } catch {
          utf8 = false;
        }
        return controls >= 4 || !utf8;
      };
      const textual = (type: string): boolean =>
        type === '' || type.startsWith('text/') || type === 'application/json';
      const judge = (body: Buffer, ct: string, uri: string): void => {
        const magic = MAGIC.some((m) => body.subarray(0, m.length).equals(m));
        const type = ct.split(';')[0].trim().toLowerCase();
        if (
          magic ||
          OPAQUE_CONTENT_TYPES.has(type) ||
          EXECUTABLE_EXTENSIONS.has(pathExtension(uri)) ||
          (textual(type) && binary(body))
        )
          want++;
      };
      for (const [, [stream, sport, method, uri, code, ct, hex]] of rows) {
        const payload = Buffer.from(hex, 'hex');
        if (method !== '') {
          pending.set(stream, [...(pending.get(stream) ?? []), { method, uri }]);
        } else if (code !== '') {
          const req = pending.get(stream)?.shift();
          const status = Number(code);
          if (status < 200 || status >= 300 || status === 204 || req?.method === 'HEAD') continue;
          const end = payload.indexOf('\r\n\r\n');
          const body = payload.subarray(end + 4);
          if (body.length >= 2) judge(body, ct, req?.uri ?? '');
          else waiting.set(stream, { ct, uri: req?.uri ?? '' });
        } else if (waiting.has(stream) && sport !== '') {
          const w = waiting.get(stream) as { ct: string; uri: string };
          waiting.delete(stream);
          judge(payload, w.ct, w.uri);
        }
      }
      const windows = replayWindows([path]);
      expect(total(windows, 'opaqueDownloads'), rel).toBe(want);
      const downloads = windows.flatMap((w) => w.evidence.downloads);
      expect(downloads.length, rel).toBe(want);
      for (const d of downloads) expect(d.status).toBe(200);
    }
  });

  it('brute force (sshguess, ftp bruteforce): short sessions per service, window by window', () => {
    for (const rel of ['zeek-traces/ssh/sshguess.pcap', 'zeek-traces/ftp/bruteforce.pcap']) {
      const path = dataset(rel);
      const rows = tsharkFields(path, [
        'tcp.stream',
        'frame.time_epoch',
        'tcp.flags',
        'tcp.len',
        'ip.src',
        'ip.dst',
        'tcp.dstport',
        'tcp.srcport',
      ]);
      interface S {
        init: string;
        service: string;
        first: number;
        syn: boolean;
        synack: boolean;
        up: number;
        down: number;
        fin: Set<string>;
        closeTs: number;
      }
      const streams = new Map<string, S>();
      for (const [, [stream, ts, flagsHex, len, src, dst, dport]] of rows) {
        const t = Number(ts);
        const flags = parseInt(flagsHex, 16);
        let s = streams.get(stream);
        if (s === undefined) {
          s = {
            init: src,
            service: `${dst}:${dport}`,
            first: t,
            syn: false,
            synack: false,
            up: 0,
            down: 0,
            fin: new Set(),
            closeTs: -1,
          };
          streams.set(stream, s);
        }
        const fwd = src === s.init;
        if (fwd && flags & 2 && !(flags & 16)) s.syn = true;
        if (!fwd && flags & 2 && flags & 16) s.synack = true;
        if (s.closeTs < 0) {
          if (fwd) s.up += Number(len);
          else s.down += Number(len);
          if (flags & 1) s.fin.add(fwd ? 'up' : 'down');
          if (flags & 4 || s.fin.size === 2) s.closeTs = t;
        }
      }
      const want = new Map<number, Map<string, number>>();
      let short = 0;
      for (const s of streams.values()) {
        const ok =
          s.syn &&
          s.synack &&
          s.closeTs >= 0 &&
          s.closeTs - s.first <= 30 &&
          s.up > 0 &&
          s.down > 0 &&
          s.up < 4096 &&
          s.down < 4096;
        if (!ok) continue;
        short++;
        const w = win(s.closeTs);
        const m = want.get(w) ?? new Map<string, number>();
        m.set(s.service, (m.get(s.service) ?? 0) + 1);
        want.set(w, m);
      }
      expect(short, rel).toBe(streams.size); // every attempt here is one
      const windows = replayWindows([path]).filter((w) => w.record.features.shortSessionsMax > 0);
      expect(windows.map((w) => w.record.start).sort(), rel).toEqual([...want.keys()].sort());
      for (const w of windows) {
        const m = want.get(w.record.start) as Map<string, number>;
        expect(w.record.features.shortSessionsMax).toBe(Math.max(...m.values()));
        const peers = w.evidence.peers.filter((p) => p.shortSessions > 0);
        expect(new Map(peers.map((p) => [`${p.ip}:${p.port}`, p.shortSessions]))).toEqual(m);
      }
    }
  });
});
