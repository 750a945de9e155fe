/**
 * Connection features: failedConnections (which attempts count, and in which window),
 * inboundConnections and inboundAccepted. Frames are built byte by byte and fed to the pipeline
 * as a capture source would. (The real captures we have hold no connection from the internet to
 * a LAN device, so the inbound features are checked here only.)
 */
import { describe, expect, it } from 'vitest';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import type { WindowRecord } from '../../src/sinks/records.js';
import { MemorySink } from '../../src/sinks/memory.js';
import { ether, ipv4, tcp } from '../decode/helpers.js';

const DEVICE = [0x02, 0x11, 0x22, 0x33, 0x44, 0x55];
const ROUTER = [0xa0, 0xb1, 0xc2, 0xd3, 0xe4, 0xf5];
const DEVICE_IP = [192, 168, 1, 10];
const SYN = 0x02;
const SYN_ACK = 0x12;
const RST_ACK = 0x14;

/** Feeds (time, frame) pairs in order; returns the device's window records. */
function run(frames: [number, Buffer][]): WindowRecord[] {
  const sink = new MemorySink();
  const p = new Pipeline({ windowS: 60 }, sink);
  for (const [ts, f] of frames) p.onFrame(f, 0, f.length, f.length, ts, 1);
  p.finish();
  return sink.records.filter((r): r is WindowRecord => r.type === 'window');
}

/** The device to `remote`:`port` (from source port `sport`) with TCP `flags`. */
function out(remote: number[], port: number, flags: number, sport = 40000): Buffer {
  return ether(
    0x0800,
    ipv4(6, tcp(sport, port, '', { flags }), { src: DEVICE_IP, dst: remote }),
    ROUTER,
    DEVICE,
  );
}

/** `remote`:`port` back to the device. */
function back(remote: number[], port: number, flags: number, sport = 40000): Buffer {
  return ether(
    0x0800,
    ipv4(6, tcp(port, sport, '', { flags }), { src: remote, dst: DEVICE_IP }),
    DEVICE,
    ROUTER,
  );
}

const failed = (w: WindowRecord[]): number[] => w.map((r) => r.features.failedConnections);

describe('failedConnections', () => {
  const T0 = 1_700_000_000 - (1_700_000_000 % 60); // a window boundary

  it('counts a refused attempt in the window the RST arrives in', () => {
    const w = run([
      [T0 + 59.5, out([203, 0, 113, 5], 23, SYN)],
      [T0 + 59.6, back([203, 0, 113, 5], 23, RST_ACK)],
      // Packet time goes on with an answered connection (a refusal would count only at
      // expiry, >= 10 s later, in the second window, without the count at the RST).
      [T0 + 75, out([203, 0, 113, 6], 443, SYN, 40001)],
      [T0 + 75.1, back([203, 0, 113, 6], 443, SYN_ACK, 40001)],
    ]);
    expect(failed(w)).toEqual([1, 0]);
  });

  it('counts an unanswered attempt when it times out (20 s), in that window', () => {
    const w = run([
      [T0 + 50, out([203, 0, 113, 5], 23, SYN)],
      [T0 + 51, out([203, 0, 113, 5], 23, SYN)], // a retransmission: the same attempt
      [T0 + 80, out([203, 0, 113, 6], 80, SYN, 40001)],
      [T0 + 80.1, back([203, 0, 113, 6], 80, SYN_ACK, 40001)],
    ]);
    expect(failed(w)).toEqual([0, 1]);
  });

  it('never counts an answered attempt, nor a refusal of a connection the device did not open', () => {
    const w = run([
      [T0 + 1, out([203, 0, 113, 5], 443, SYN)],
      [T0 + 1.1, back([203, 0, 113, 5], 443, SYN_ACK)],
      [T0 + 2, back([203, 0, 113, 5], 443, RST_ACK)], // a reset after the answer
      // The remote opens, the device refuses: the remote's failure, not the device's.
      [T0 + 3, back([198, 51, 100, 7], 22, SYN, 50000)],
      [T0 + 3.1, out([198, 51, 100, 7], 22, RST_ACK, 50000)],
    ]);
    expect(failed(w)).toEqual([0]);
  });
});

describe('inboundConnections and inboundAccepted', () => {
  const T0 = 1_700_000_000 - (1_700_000_000 % 60);
  // The device's windows (a LAN peer sending through these frames' other MAC is a device too).
  const inbound = (w: WindowRecord[]): [number, number][] =>
    w
      .filter((r) => r.mac === '02:11:22:33:44:55')
      .map((r) => [r.features.inboundConnections, r.features.inboundAccepted]);

  it('counts a connection from the internet, and its acceptance when the device answers', () => {
    const w = run([
      [T0 + 1, out([203, 0, 113, 9], 443, SYN)], // the device exists from its first frame
      [T0 + 1.1, back([203, 0, 113, 9], 443, SYN_ACK)],
      // Port 8080 of the device, opened from outside (a UPnP mapping at work) and answered.
      [T0 + 10, back([198, 51, 100, 7], 8080, SYN, 51000)],
      [T0 + 10.1, out([198, 51, 100, 7], 8080, SYN_ACK, 51000)],
      [T0 + 10.2, back([198, 51, 100, 7], 8080, 0x10, 51000)],
      // Port 23, tried and refused; port 22 tried with no answer.
      [T0 + 20, back([198, 51, 100, 8], 23, SYN, 52000)],
      [T0 + 20.1, out([198, 51, 100, 8], 23, RST_ACK, 52000)],
      [T0 + 30, back([198, 51, 100, 8], 22, SYN, 52001)],
      [T0 + 31, back([198, 51, 100, 8], 22, SYN, 52001)], // retransmitted: one attempt
    ]);
    expect(inbound(w)).toEqual([[3, 1]]);
  });

  it('does not count LAN peers, nor connections the device opened', () => {
    const lanPeer = [192, 168, 1, 20];
    const w = run([
      [T0 + 1, out([203, 0, 113, 9], 443, SYN)],
      [T0 + 1.1, back([203, 0, 113, 9], 443, SYN_ACK)],
      [T0 + 2, back(lanPeer, 8080, SYN, 53000)],
      [T0 + 2.1, out(lanPeer, 8080, SYN_ACK, 53000)],
    ]);
    expect(inbound(w)).toEqual([[0, 0]]);
  });
});
