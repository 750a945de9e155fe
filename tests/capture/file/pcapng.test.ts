import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParseState } from '../../../src/capture/file/index.js';
import { block, epb, frame, idb, option, pb, shb, spb } from './build.js';
import { parseBuffer } from './util.js';

const T0 = 1_700_000_000n;

describe('pcapng parser', () => {
  for (const le of [true, false]) {
    it(`reads EPBs with the default microsecond resolution (${le ? 'LE' : 'BE'})`, async () => {
      const file = Buffer.concat([
        shb(le),
        idb(le, 1),
        epb(le, 0, T0 * 1_000_000n + 250_000n, frame(61, 1)),
        epb(le, 0, T0 * 1_000_000n + 750_001n, frame(3, 2), 1500),
      ]);
      const { records, parser, result } = await parseBuffer(file);
      expect(result).toMatchObject({ ended: 'eof', leftover: 0 });
      expect(parser.state).toBe(ParseState.Ok);
      expect(parser.linkType).toBe(1);
      expect(records).toHaveLength(2);
      expect(records[0]).toMatchObject({ capLen: 61, wireLen: 61, linkType: 1 });
      expect(records[0].hex).toBe(frame(61, 1).toString('hex'));
      expect(records[1]).toMatchObject({ capLen: 3, wireLen: 1500 });
      expect(records[0].ts).toBeCloseTo(1_700_000_000.25, 6);
      expect(records[1].ts).toBeCloseTo(1_700_000_000.750001, 6);
    });
  }

  it('resets interfaces at each section, whatever its byte order', async () => {
    const file = Buffer.concat([
      shb(true),
      idb(true, 1),
      epb(true, 0, 1_000_000n, frame(10, 1)),
      shb(false),
      idb(false, 113),
      idb(false, 101),
      epb(false, 1, 2_000_000n, frame(11, 2)),
      epb(false, 0, 3_000_000n, frame(12, 3)),
      shb(true),
      idb(true, 276),
      epb(true, 0, 4_000_000n, frame(13, 4)),
      // Interface 1 existed in section 2 only: damage.
      epb(true, 1, 5_000_000n, frame(14, 5)),
    ]);
    const { records, parser } = await parseBuffer(file, 64);
    expect(records.map((r) => [r.linkType, r.capLen, r.ts])).toEqual([
      [1, 10, 1],
      [101, 11, 2],
      [113, 12, 3],
      [276, 13, 4],
    ]);
    expect(parser.state).toBe(ParseState.Damaged);
    expect(parser.problem).toMatch(/packet for interface 1 that was not described/);
  });

  it('applies if_tsresol (decimal and power-of-2) and if_tsoffset per interface', async () => {
    const le = true;
    const file = Buffer.concat([
      shb(le),
      idb(le, 1, { tsresol: 9 }), // nanoseconds
      idb(le, 1, { tsresol: 0x80 | 10 }), // 1/1024 s
      idb(le, 1, { tsresol: 3, tsoffset: 1_600_000_000n }), // ms since the offset
      idb(le, 1, { tsoffset: -10n }),
      epb(le, 0, T0 * 1_000_000_000n + 123_456_789n, frame(1, 1)),
      epb(le, 1, T0 * 1024n + 512n, frame(1, 2)),
      epb(le, 2, 2_500n, frame(1, 3)),
      epb(le, 3, 20_000_000n, frame(1, 4)),
    ]);
    const { records } = await parseBuffer(file);
    expect(records[0].ts).toBeCloseTo(1_700_000_000.123456789, 6);
    expect(records[1].ts).toBe(1_700_000_000.5);
    expect(records[2].ts).toBe(1_600_000_002.5);
    expect(records[3].ts).toBe(10);
  });

  it('reads SPBs: first interface, capLen limited by snaplen and block, time of the previous packet', async () => {
    const le = false;
    const file = Buffer.concat([
      shb(le),
      idb(le, 1, { snaplen: 64 }),
      idb(le, 101),
      epb(le, 1, 7_000_000n, frame(20, 1)),
      spb(le, 100, frame(100, 2)), // limited by snaplen
      spb(le, 10, frame(12, 3)), // data padded: limited by wireLen
      spb(le, 5000, frame(40, 4)), // snapped by the capturer: limited by the block
    ]);
    const { records } = await parseBuffer(file);
    expect(records.map((r) => [r.linkType, r.capLen, r.wireLen, r.ts])).toEqual([
      [101, 20, 20, 7],
      [1, 64, 100, 7],
      [1, 10, 10, 7],
      [1, 40, 5000, 7],
    ]);
    expect(records[1].hex).toBe(frame(100, 2).subarray(0, 64).toString('hex'));
  });

  it('reads obsolete Packet Blocks and skips NRB, ISB, DSB and custom blocks', async () => {
    const le = true;
    const file = Buffer.concat([
      shb(le),
      block(
        le,
        4,
        Buffer.concat([option(le, 1, Buffer.from([10, 0, 0, 1, 0x61])), Buffer.alloc(4)]),
      ),
      idb(le, 1),
      block(le, 5, Buffer.alloc(12)),
      pb(le, 0, 9_000_000n, frame(33, 1)),
      block(le, 0x0000000a, Buffer.alloc(20)),
      block(le, 0x00000bad, Buffer.alloc(7)),
      block(le, 0x40000bad, Buffer.alloc(8)),
      epb(le, 0, 10_000_000n, frame(34, 2)),
    ]);
    const { records, parser } = await parseBuffer(file, 48);
    expect(parser.state).toBe(ParseState.Ok);
    expect(records.map((r) => [r.capLen, r.ts])).toEqual([
      [33, 9],
      [34, 10],
    ]);
  });

  it('keeps the interface of later sections: unsupported link types still pass as packets', async () => {
    const le = true;
    const file = Buffer.concat([
      shb(le),
      idb(le, 1),
      idb(le, 105),
      epb(le, 1, 1_000_000n, frame(30, 1)),
      epb(le, 0, 2_000_000n, frame(31, 2)),
    ]);
    const { records, parser } = await parseBuffer(file);
    expect(parser.linkType).toBe(1); // the decision is made on the first IDB
    expect(records.map((r) => r.linkType)).toEqual([105, 1]);
  });

  const good = (): Buffer[] => [shb(true), idb(true, 1), epb(true, 0, 1_000_000n, frame(20, 1))];
  const damaged: [string, Buffer, RegExp][] = [
    ['not a multiple of 4', Buffer.from('0600000021000000', 'hex'), /block length 33 is invalid/],
    ['smaller than the minimum', Buffer.from('0600000008000000', 'hex'), /block length 8/],
    [
      'trailing length differs',
      Buffer.concat([
        Buffer.from('0500000010000000', 'hex'),
        Buffer.alloc(4),
        Buffer.from('14000000', 'hex'),
      ]),
      /does not match its trailing copy/,
    ],
    ['a bad later section', shb(true, 2, 0), /unsupported pcapng version 2.0/],
    [
      'an EPB whose caplen exceeds its block',
      block(true, 6, Buffer.from('0000000000000000000000004000000040000000', 'hex')),
      /captured length 64 exceeds/,
    ],
  ];
  for (const [what, bad, msg] of damaged) {
    it(`stops at damage: ${what}`, async () => {
      const file = Buffer.concat([...good(), bad, epb(true, 0, 3_000_000n, frame(20, 3))]);
      const { records, parser, result } = await parseBuffer(file, 40);
      expect(records).toHaveLength(1);
      expect(result.ended).toBe('parser');
      expect(parser.state).toBe(ParseState.Damaged);
      expect(parser.problem).toMatch(msg);
    });
  }

  it('leaves a block cut by the end of the input as leftover bytes', async () => {
    const file = Buffer.concat(good());
    const { records, result } = await parseBuffer(file.subarray(0, file.length - 4), 32);
    expect(records).toHaveLength(0);
    expect(result).toMatchObject({ ended: 'eof', leftover: 32 + 20 - 4 });
  });

  it('rejects a first section header it cannot read', async () => {
    const { parser } = await parseBuffer(shb(true, 1, 1));
    expect(parser.state).toBe(ParseState.BadHeader);
    expect(parser.problem).toBe('bad pcapng section header: unsupported pcapng version 1.1');
  });

  it('gives the same records whatever the chunk size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 3 })), {
          minLength: 1,
          maxLength: 30,
        }),
        fc.integer({ min: 12, max: 500 }),
        fc.boolean(),
        async (items, chunk, le) => {
          const blocks = [shb(le), idb(le, 1), idb(le, 113, { tsresol: 9 })];
          items.forEach(([len, kind], i) => {
            if (kind === 0) blocks.push(epb(le, i % 2, BigInt(i) * 1000n, frame(len, i)));
            else if (kind === 1) blocks.push(spb(le, len, frame(len, i)));
            else if (kind === 2) blocks.push(block(le, 4, Buffer.alloc(len)));
            else blocks.push(shb(le), idb(le, 228), idb(le, 229));
          });
          const file = Buffer.concat(blocks);
          const whole = await parseBuffer(file);
          const chunked = await parseBuffer(file, chunk);
          expect(chunked.records).toEqual(whole.records);
          expect(chunked.result.leftover).toBe(0);
          expect(whole.parser.state).toBe(ParseState.Ok);
          expect(whole.records.length).toBe(items.filter(([, k]) => k < 2).length);
        },
      ),
      { numRuns: 150 },
    );
  });
});
