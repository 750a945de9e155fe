/**
 * Failed connection attempts on real scans, against tshark: the per-device sum of
 * `failedConnections` over all windows equals the TCP connections the device opened (a SYN
 * without ACK from its MAC) whose first answer was a reset or that got no answer at all.
 *
 * Captures (../shared/datasets, INDEX.md SCAN): an nmap SYN scan of scanme.nmap.org (1,994
 * probes, 3 open ports), a small pcapng scan, and a VNC scanner's one connection.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHARED, records, runCli, tool } from '../helpers/cli.js';

const SCANS = [
  'ndpi-tests/pcap/synscan.pcap',
  'ndpi-tests/pcap/tcp_scan.pcapng',
  'zeek-traces/rfb/vnc-scanner.pcap',
];

/** Failed attempts per initiating MAC, from tshark's fields. */
function oracle(file: string): Map<string, number> {
  const out = tool('tshark', [
    '-r',
    file,
    '-Y',
    'tcp && !icmp',
    '-T',
    'fields',
    '-E',
    'separator=/t',
    '-e',
    'eth.src',
    '-e',
    'ip.src',
    '-e',
    'tcp.srcport',
    '-e',
    'ip.dst',
    '-e',
    'tcp.dstport',
    '-e',
    'tcp.flags.syn',
    '-e',
    'tcp.flags.ack',
    '-e',
    'tcp.flags.reset',
  ]);
  const attempts = new Map<string, { mac: string; answer: 'none' | 'reset' | 'answered' }>();
  for (const line of out.split('\n')) {
    if (line === '') continue;
    const [mac, src, sport, dst, dport, syn, ack, rst] = line.split('\t');
    const fwd = `${src}:${sport}>${dst}:${dport}`;
    const rev = `${dst}:${dport}>${src}:${sport}`;
    if (syn === '1' && ack === '0') {
      if (!attempts.has(fwd) && !attempts.has(rev)) attempts.set(fwd, { mac, answer: 'none' });
      continue;
    }
    const a = attempts.get(rev);
    if (a !== undefined && a.answer === 'none') a.answer = rst === '1' ? 'reset' : 'answered';
  }
  const failed = new Map<string, number>();
  for (const a of attempts.values()) {
    if (a.answer !== 'answered') failed.set(a.mac, (failed.get(a.mac) ?? 0) + 1);
  }
  return failed;
}

describe('failedConnections against tshark on real scans', () => {
  for (const rel of SCANS) {
    it(rel, () => {
      const file = join(SHARED, rel);
      const r = runCli(['replay', file, '--out', '-']);
      expect(r.code, r.stderr).toBe(0);
      const got = new Map<string, number>();
      for (const rec of records(r.stdout)) {
        if (rec.type !== 'window') continue;
        const f = (rec.features as Record<string, number>).failedConnections;
        const mac = rec.mac as string;
        if (f > 0) got.set(mac, (got.get(mac) ?? 0) + f);
      }
      expect(got).toEqual(oracle(file));
    });
  }

  it('the nmap scan: 1,991 of 1,994 probes failed, counted for the scanning device', () => {
    const failed = oracle(join(SHARED, SCANS[0]));
    expect([...failed]).toEqual([['00:25:b3:bf:91:ee', 1991]]);
  });
});
