/**
 * Every packet of the fuzz-heavy third-party captures goes through decodeFrame: it never throws,
 * its results stay inside the frame, and garbage after the frame changes nothing.
 */
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DecodedPacket, DecodeStatus, decodeFrame } from '../../src/decode/index.js';
import { captureFiles, DATASETS, snapshot } from './helpers.js';
import { readFrames } from './pcap-walk.js';

const SETS = ['ndpi-tests', 'zeek-traces', 'tcpdump-tests/malformed'];

describe.each(SETS)('every packet of %s', (set) => {
  it('decodes without throwing, inside the frame, independent of the bytes after it', () => {
    const a = new DecodedPacket();
    const b = new DecodedPacket();
    const counts = [0, 0, 0];
    let packets = 0;
    for (const path of captureFiles(set)) {
      const name = relative(DATASETS, path);
      for (const f of readFrames(path)) {
        packets++;
        const n = f.data.length;
        // Same frame, followed by zeros in one buffer and by 0xff in the other.
        const zeros = Buffer.alloc(n + 64, 0x00);
        const ones = Buffer.alloc(n + 64, 0xff);
        f.data.copy(zeros, 0);
        f.data.copy(ones, 0);
        let status = DecodeStatus.Ok;
        expect(() => {
          status = decodeFrame(zeros, 0, n, f.wireLen, f.linkType, f.ts, a);
          decodeFrame(ones, 0, n, f.wireLen, f.linkType, f.ts, b);
        }, `${name} #${f.no}`).not.toThrow();
        counts[status]++;
        if (a.payloadCapLen > 0) {
          expect(a.payloadOffset + a.payloadCapLen, `${name} #${f.no}`).toBeLessThanOrEqual(n);
        }
        expect(snapshot(b, 0), `${name} #${f.no}`).toEqual(snapshot(a, 0));
      }
    }
    expect(packets).toBeGreaterThan(0);
    console.log(
      `${set}: ${packets} packets, ok ${counts[0]}, malformed ${counts[1]}, unsupported ${counts[2]}`,
    );
  });
});
