import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParseState, PcapParser } from '../../../src/capture/file/index.js';
import { buildPcap, frame, type TestRecord } from './build.js';
import { parseBuffer } from './util.js';

const RECS: TestRecord[] = [
  { sec: 1_700_000_000, frac: 1, data: frame(60, 1) },
  { sec: 1_700_000_000, frac: 999_999, data: frame(0, 2) },
  { sec: 1_700_000_001, frac: 500_000, data: frame(1514, 3), wireLen: 9000 },
];

describe('classic pcap parser', () => {
  for (const le of [true, false]) {
    it(`reads microsecond records (${le ? 'little' : 'big'}-endian)`, async () => {
      const { records, parser, result } = await parseBuffer(buildPcap(RECS, { le, linkType: 113 }));
      expect(result).toMatchObject({ ended: 'eof', leftover: 0 });
      expect(parser.state).toBe(ParseState.Ok);
      expect(records.map((r) => r.capLen)).toEqual([60, 0, 1514]);
      expect(records.map((r) => r.wireLen)).toEqual([60, 0, 9000]);
      expect(records.every((r) => r.linkType === 113)).toBe(true);
      expect(records[0].hex).toBe(frame(60, 1).toString('hex'));
      expect(records[2].hex).toBe(frame(1514, 3).toString('hex'));
      expect(records[0].ts).toBeCloseTo(1_700_000_000.000001, 6);
      expect(records[1].ts).toBeCloseTo(1_700_000_000.999999, 6);
      expect(records[2].ts).toBeCloseTo(1_700_000_001.5, 6);
    });

    it(`reads nanosecond records (${le ? 'little' : 'big'}-endian)`, async () => {
      const recs = [
        { sec: 1_000, frac: 123_456_789, data: frame(10, 1) },
        { sec: 1_001, frac: 1, data: frame(20, 2) },
      ];
      const { records } = await parseBuffer(buildPcap(recs, { le, nano: true }));
      expect(records[0].ts).toBeCloseTo(1000.123456789, 9);
      expect(records[1].ts).toBeCloseTo(1001.000000001, 9);
    });
  }

  it('gives the same records whatever the chunk size (records straddle chunk boundaries)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 17, max: 700 }),
        fc.boolean(),
        async (lens, chunk, le) => {
          const recs = lens.map((n, i) => ({ sec: 1000 + i, frac: i, data: frame(n, i) }));
          const file = buildPcap(recs, { le });
          const whole = await parseBuffer(file);
          const chunked = await parseBuffer(file, chunk);
          expect(whole.records).toHaveLength(lens.length);
          expect(chunked.records).toEqual(whole.records);
          expect(chunked.result.leftover).toBe(0);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('reports a record cut at the end of the input as leftover bytes, keeping those before', async () => {
    const file = buildPcap(RECS);
    const cut = file.subarray(0, file.length - 10);
    for (const chunk of [64, 1 << 20]) {
      const { records, result, parser } = await parseBuffer(cut, chunk);
      expect(records).toHaveLength(2);
      expect(result).toMatchObject({ ended: 'eof', leftover: 16 + 1514 - 10 });
      expect(parser.needed).toBe(16 + 1514);
    }
  });

  it('stops at an impossible record length: capLen > max(snaplen, 262144)', async () => {
    const recs = [...RECS, { sec: 5, frac: 0, data: frame(262_145, 9) }, ...RECS];
    const { records, parser, result } = await parseBuffer(buildPcap(recs, { snaplen: 65535 }));
    expect(records).toHaveLength(3);
    expect(result.ended).toBe('parser');
    expect(parser.state).toBe(ParseState.Damaged);
    expect(parser.problem).toMatch(/record 4 at byte \d+: captured length 262145 exceeds/);
    // With a larger snaplen the same record is fine.
    const big = await parseBuffer(buildPcap(recs, { snaplen: 300_000 }), 4096);
    expect(big.records).toHaveLength(7);
    expect(big.records[3].capLen).toBe(262_145);
  });

  it('reports wireLen = capLen when a record claims fewer bytes on the wire than captured', async () => {
    const { records } = await parseBuffer(
      buildPcap([{ sec: 1, frac: 0, data: frame(100, 1), wireLen: 40 }]),
    );
    expect(records[0]).toMatchObject({ capLen: 100, wireLen: 100 });
  });

  it('rejects headers it cannot read: bad version, reserved link-type bits', () => {
    const p = new PcapParser();
    p.parse(buildPcap([], { major: 1 }), 0, 24, () => {});
    expect(p.state).toBe(ParseState.BadHeader);
    expect(p.problem).toBe('unsupported pcap version 1.4');
    const q = new PcapParser();
    q.parse(buildPcap([], { linkType: 0x00300001 }), 0, 24, () => {});
    expect(q.state).toBe(ParseState.BadHeader);
    expect(q.problem).toMatch(/reserved bits/);
    const ok = new PcapParser();
    ok.parse(buildPcap([], { linkType: 0x10000001 }), 0, 24, () => {}); // FCS bits are allowed
    expect(ok.state).toBe(ParseState.Ok);
    expect(ok.linkType).toBe(1);
  });

  it('halt() from the handler returns after the current record', () => {
    const file = buildPcap(RECS);
    const p = new PcapParser();
    let calls = 0;
    const used = p.parse(file, 0, file.length, () => {
      calls++;
      p.halt();
    });
    expect(calls).toBe(1);
    expect(used).toBe(24 + 16 + 60);
    expect(p.packets).toBe(1);
  });
});
