/**
 * Property-based contract of decodeFrame: never throws, stays inside its window, and gives the
 * same result wherever the frame sits in memory and whatever surrounds it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodedPacket, DecodeStatus, decodeFrame } from '../../src/decode/index.js';
import { peekNatPmp } from '../../src/decode/app/natpmp.js';
import { peekPcp } from '../../src/decode/app/pcp.js';
import { peekStratum } from '../../src/decode/app/stratum.js';
import { newPortMappingArgs, readPortMappingArgs } from '../../src/decode/app/upnp-soap.js';
import { frames, snapshot } from './helpers.js';

const LINK_TYPES = [0, 1, 12, 14, 101, 108, 113, 228, 229, 276];

/**
 * Real frames of many kinds (DNS, DHCP, SSDP, HTTP, TLS, stratum, NAT-PMP, ARP, IPv6, VLAN, SLL,
 * SLL2, raw).
 */
const POOL = [
  'iot-sentinel/captures_IoT-Sentinel/D-LinkCam/Setup-A-1-STA.pcap',
  'iot-sentinel/captures_IoT-Sentinel/HueBridge/Setup-A-1-STA.pcap',
  'iot-sentinel/captures_IoT-Sentinel/D-LinkHomeHub/Setup-A-1-STA.pcap',
  'ndpi-tests/pcap/alexa-app.pcapng',
  'ndpi-tests/pcap/exe_download.pcap',
  'ndpi-tests/pcap/bot.pcap',
  'ndpi-tests/pcap/http_ipv6.pcap',
  'ndpi-tests/pcap/rtsp.pcap',
  'ndpi-tests/pcap/mining.pcapng',
  'ndpi-tests/pcap/natpmp.pcap',
  'zeek-traces/dns/mdns.pcap',
  'zeek-traces/dhcp/dhcp.pcap',
  'zeek-traces/http-qinq-0.pcap',
  'zeek-traces/linux_dlt_sll2.pcap',
  'tcpdump-tests/linktypes-protocols/LINKTYPE_RAW_ipv6.pcap',
  'tcpdump-tests/malformed/dns-badcookie.pcap',
].flatMap((f) => frames(f).slice(0, 120));

function checkInvariants(p: DecodedPacket, offset: number, capLen: number): void {
  expect([DecodeStatus.Ok, DecodeStatus.Malformed, DecodeStatus.Unsupported]).toContain(p.status);
  expect(p.status === DecodeStatus.Malformed).toBe(p.malformedReason !== '');
  if (p.payloadCapLen > 0) {
    expect(p.payloadOffset).toBeGreaterThanOrEqual(offset);
    expect(p.payloadOffset + p.payloadCapLen).toBeLessThanOrEqual(offset + capLen);
    expect(p.payloadCapLen).toBeLessThanOrEqual(p.payloadLen);
  }
}

function decodeAt(
  frame: Uint8Array,
  linkType: number,
  offset: number,
  fill: (i: number) => number,
  extra: number,
): Record<string, unknown> {
  const buf = Buffer.alloc(offset + frame.length + extra);
  for (let i = 0; i < buf.length; i++) buf[i] = fill(i);
  buf.set(frame, offset);
  const p = new DecodedPacket();
  decodeFrame(buf, offset, frame.length, frame.length, linkType, 1.5, p);
  checkInvariants(p, offset, frame.length);
  return snapshot(p, offset);
}

const mutated = fc
  .record({
    index: fc.nat(POOL.length - 1),
    edits: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
    cut: fc.option(fc.nat(), { nil: undefined }),
  })
  .map(({ index, edits, cut }) => {
    const f = POOL[index];
    const data = Buffer.from(f.data);
    for (const [at, v] of edits) if (data.length > 0) data[at % data.length] = v;
    const len = cut === undefined ? data.length : cut % (data.length + 1);
    return { data: data.subarray(0, len), linkType: f.linkType };
  });

describe('decodeFrame properties', () => {
  it('(a) random bytes under every supported link type: never throws, invariants hold', () => {
    fc.assert(
      fc.property(fc.constantFrom(...LINK_TYPES), fc.uint8Array({ maxLength: 300 }), (lt, data) => {
        const p = new DecodedPacket();
        const buf = Buffer.from(data);
        expect(() => decodeFrame(buf, 0, buf.length, buf.length, lt, 0, p)).not.toThrow();
        checkInvariants(p, 0, buf.length);
      }),
      { numRuns: 5000 },
    );
  });

  it('(a2) random bytes behind valid headers reach the deeper decoders and peeks', () => {
    // Valid Ethernet/IPv4/UDP or TCP prefixes with random ports and payload exercise the peeks.
    const prefix = (proto: number, sport: number, dport: number, payload: Uint8Array): Buffer => {
      const l4 =
        proto === 17
          ? Buffer.from([sport >> 8, sport & 255, dport >> 8, dport & 255, 0, 0, 0, 0])
          : Buffer.from([
              sport >> 8,
              sport & 255,
              dport >> 8,
              dport & 255,
              0,
              0,
              0,
              1,
              0,
              0,
              0,
              1,
              0x50,
              0x18,
              1,
              0,
              0,
              0,
              0,
              0,
            ]);
      const total = 20 + l4.length + payload.length;
      if (proto === 17) l4.writeUInt16BE(8 + payload.length, 4);
      const ip = Buffer.from([
        0x45,
        0,
        total >> 8,
        total & 255,
        0,
        0,
        0,
        0,
        64,
        proto,
        0,
        0,
        10,
        0,
        0,
        1,
        10,
        0,
        0,
        2,
      ]);
      return Buffer.concat([Buffer.alloc(12, 2), Buffer.from([8, 0]), ip, l4, payload]);
    };
    const port = fc.constantFrom(53, 67, 68, 80, 443, 1900, 5351, 5353, 8080, 12345);
    fc.assert(
      fc.property(
        fc.constantFrom(6, 17),
        port,
        port,
        fc.uint8Array({ maxLength: 400 }),
        fc.nat(),
        (proto, sp, dp, payload, cut) => {
          const frame = prefix(proto, sp, dp, payload);
          const len = Math.max(0, frame.length - (cut % 64));
          const a = decodeAt(frame.subarray(0, len), 1, 3, () => 0xaa, 7);
          const b = decodeAt(frame.subarray(0, len), 1, 11, (i) => (i * 31) & 255, 40);
          expect(b).toEqual(a);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('(b) real frames, randomly mutated and truncated: never throws, invariants hold', () => {
    fc.assert(
      fc.property(mutated, ({ data, linkType }) => {
        const p = new DecodedPacket();
        expect(() => decodeFrame(data, 0, data.length, data.length, linkType, 0, p)).not.toThrow();
        checkInvariants(p, 0, data.length);
      }),
      { numRuns: 5000 },
    );
  });

  it('(c) the same frame at random offsets in two differently filled buffers decodes identically', () => {
    fc.assert(
      fc.property(
        mutated,
        fc.nat(200),
        fc.nat(200),
        fc.nat(300),
        fc.nat(300),
        fc.integer({ min: 0, max: 255 }),
        ({ data, linkType }, off1, off2, extra1, extra2, seed) => {
          const a = decodeAt(data, linkType, off1, () => 0x00, extra1);
          const b = decodeAt(data, linkType, off2, (i) => (i * 131 + seed) & 255, extra2);
          expect(b).toEqual(a);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('rejects impossible windows without throwing', () => {
    const p = new DecodedPacket();
    const buf = Buffer.alloc(64, 1);
    for (const [off, len] of [
      [-1, 10],
      [0, -5],
      [Number.NaN, 10],
      [0, Number.POSITIVE_INFINITY],
      [1.5, 10],
    ]) {
      expect(decodeFrame(buf, off, len, 64, 1, 0, p)).toBe(DecodeStatus.Malformed);
      expect(p.malformedReason).toBe('frame-bounds');
    }
    // A window longer than the buffer is clamped to the buffer.
    expect(() => decodeFrame(buf, 60, 1000, 1000, 1, 0, p)).not.toThrow();
    expect(p.malformedReason).toBe('ethernet-header-cut');
  });

  it('(d) the v2 peeks (stratum, NAT-PMP, PCP, SOAP arguments) on near-miss input: never throw, read only their window', () => {
    // Inputs built from the tokens these peeks look for, cut and spliced at random, placed in
    // differently filled buffers: the result must not depend on the bytes around the window.
    const token = fc.constantFrom(
      '{',
      '"method"',
      ':',
      ' ',
      '"',
      'mining.submit',
      'login"',
      '\n',
      '<NewExternalPort>',
      '<m:NewProtocol>',
      '</NewProtocol>',
      '80',
      '<',
      '>',
      '/',
      '\x00\x02',
      '\x02\x01',
    );
    const input = fc
      .tuple(
        fc.array(fc.oneof(token, fc.string({ maxLength: 6 })), { maxLength: 40 }),
        fc.uint8Array({ maxLength: 64 }),
      )
      .map(([parts, raw]) =>
        Buffer.concat([Buffer.from(parts.join(''), 'latin1'), Buffer.from(raw)]),
      );
    const peeks = [
      (b: Buffer, o: number, n: number) => peekStratum(b, o, n),
      (b: Buffer, o: number, n: number) => peekNatPmp(b, o, n),
      (b: Buffer, o: number, n: number) => peekPcp(b, o, n),
      (b: Buffer, o: number, n: number) => {
        const args = newPortMappingArgs();
        readPortMappingArgs(b, o, n, args);
        return args;
      },
    ];
    fc.assert(
      fc.property(input, fc.nat(64), fc.integer({ min: 0, max: 255 }), (data, off, fill) => {
        for (const peek of peeks) {
          const a = Buffer.alloc(data.length + 8, 0x7b);
          data.copy(a, 0);
          const b = Buffer.alloc(off + data.length + 64, fill);
          data.copy(b, off);
          for (let i = off + data.length; i < b.length; i++) b[i] = (i * 37 + fill) & 255;
          let ra: unknown;
          let rb: unknown;
          expect(() => (ra = peek(a, 0, data.length))).not.toThrow();
          expect(() => (rb = peek(b, off, data.length))).not.toThrow();
          expect(rb).toEqual(ra);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
