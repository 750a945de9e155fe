/**
 * Probes (TCP flows without a byte of payload: what a port scanner leaves) against tshark's
 * streams on real scans, and binary bodies passed off as text.
 */
import { describe, expect, it } from 'vitest';
import { sniffBody } from '../../src/decode/app/body.js';
import { downloadReason } from '../../src/features/downloads.js';
import { dataset, hasTshark, tsharkFields } from '../decode/helpers.js';
import { replayWindows } from './replay-evidence.js';

describe.runIf(hasTshark())('probes on real scans', () => {
  for (const [rel, mac, ip] of [
    ['ndpi-tests/pcap/tcp_scan.pcapng', '28:37:37:00:6d:c8', '192.168.1.178'],
    ['ndpi-tests/pcap/synscan.pcap', '00:25:b3:bf:91:ee', '172.16.0.8'],
  ] as const) {
    it(`${rel}: every stream the scanner opened without payload is a probe of its port`, () => {
      const path = dataset(rel);
      const rows = tsharkFields(path, [
        'tcp.stream',
        'ip.src',
        'ip.dst',
        'tcp.dstport',
        'tcp.len',
        'frame.time_epoch',
      ]);
      const streams = new Map<string, { port: number; payload: number; t0: number; t1: number }>();
      for (const [, [stream, src, dst, dport, len, t]] of rows) {
        if (stream === '') continue;
        let s = streams.get(stream);
        if (s === undefined) {
          if (src !== ip) continue; // opened by someone else
          streams.set(stream, (s = { port: Number(dport), payload: 0, t0: Number(t), t1: 0 }));
        }
        s.payload += Number(len);
        s.t1 = Number(t);
        void dst;
      }
      const want = new Map<number, number>();
      for (const s of streams.values())
        if (s.payload === 0 && s.t1 - s.t0 <= 30) want.set(s.port, (want.get(s.port) ?? 0) + 1);
      const got = new Map<number, number>();
      for (const w of replayWindows([path]))
        if (w.device.macStr === mac)
          for (const p of w.evidence.peers)
            if (p.probes > 0) got.set(p.port, (got.get(p.port) ?? 0) + p.probes);
      expect(want.size).toBeGreaterThan(5);
      // The evidence lists at most 256 peers a window: compare the ports it lists.
      for (const [port, n] of got) expect(n, `port ${port}`).toBe(want.get(port));
      expect(got.size).toBe(Math.min(want.size, 256));
    });
  }
});

describe('binary bodies', () => {
  it('tells binary from text in any language', () => {
    const random = Buffer.from(
      '3a1424f9d7e400d6bab3dbd6d718e8fc4bd092f99f5ee7e14c88a9ad48e9770bf51df063bfad604f084b1d8a',
      'hex',
    );
    expect(sniffBody(random, 0, random.length)).toBe('binary');
    const chinese = Buffer.from('<html><body>设备已连接，欢迎使用智能插座</body></html>');
    expect(sniffBody(chinese, 0, chinese.length)).toBe('other');
    const json = Buffer.from('{"code":0,"msg":"ok","data":{"ts":1700000000}}\r\n');
    expect(sniffBody(json, 0, json.length)).toBe('other');
  });

  it('a binary body declared as text is disguised; as an image or a video it is not', () => {
    expect(downloadReason('binary', 'text/html; charset=UTF-8', '/OK21pq')).toBe('disguised');
    expect(downloadReason('binary', '', '/x')).toBe('disguised');
    expect(downloadReason('binary', 'image/png', '/logo.png')).toBeNull();
    expect(downloadReason('binary', 'video/mp2t', '/seg1.ts')).toBeNull();
    expect(downloadReason('other', 'text/html', '/index.html')).toBeNull();
  });
});
