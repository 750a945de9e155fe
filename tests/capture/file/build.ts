/**
 * Hand-built capture files for reader tests: every byte written here follows the layouts cited in
 * src/capture/file/pcap.ts and pcapng.ts, independently of the parsers.
 */
export interface TestRecord {
  sec: number;
  /** Microseconds (or nanoseconds for a nanosecond file). */
  frac: number;
  data: Buffer;
  wireLen?: number;
}

function w32(le: boolean, v: number): Buffer {
  const b = Buffer.alloc(4);
  if (le) b.writeUInt32LE(v >>> 0);
  else b.writeUInt32BE(v >>> 0);
  return b;
}
function w16(le: boolean, v: number): Buffer {
  const b = Buffer.alloc(2);
  if (le) b.writeUInt16LE(v);
  else b.writeUInt16BE(v);
  return b;
}

/** A classic pcap file. */
export function buildPcap(
  records: TestRecord[],
  o: { le?: boolean; nano?: boolean; linkType?: number; snaplen?: number; major?: number } = {},
): Buffer {
  const le = o.le ?? true;
  const parts = [
    w32(le, o.nano === true ? 0xa1b23c4d : 0xa1b2c3d4),
    w16(le, o.major ?? 2),
    w16(le, 4),
    w32(le, 0),
    w32(le, 0),
    w32(le, o.snaplen ?? 65535),
    w32(le, o.linkType ?? 1),
  ];
  for (const r of records) {
    parts.push(w32(le, r.sec), w32(le, r.frac), w32(le, r.data.length));
    parts.push(w32(le, r.wireLen ?? r.data.length), r.data);
  }
  return Buffer.concat(parts);
}

function pad4(b: Buffer): Buffer {
  const n = (4 - (b.length % 4)) % 4;
  return n === 0 ? b : Buffer.concat([b, Buffer.alloc(n)]);
}

/** One pcapng block: type, total length, body (padded), total length. */
export function block(le: boolean, type: number, body: Buffer): Buffer {
  const b = pad4(body);
  const len = 12 + b.length;
  return Buffer.concat([w32(le, type), w32(le, len), b, w32(le, len)]);
}

export function option(le: boolean, code: number, value: Buffer): Buffer {
  return Buffer.concat([w16(le, code), w16(le, value.length), pad4(value)]);
}

export function shb(le: boolean, major = 1, minor = 0): Buffer {
  return block(
    le,
    0x0a0d0d0a,
    Buffer.concat([w32(le, 0x1a2b3c4d), w16(le, major), w16(le, minor), Buffer.alloc(8, 0xff)]),
  );
}

export function idb(
  le: boolean,
  linkType: number,
  o: { snaplen?: number; tsresol?: number; tsoffset?: bigint } = {},
): Buffer {
  const opts: Buffer[] = [];
  if (o.tsresol !== undefined) opts.push(option(le, 9, Buffer.from([o.tsresol])));
  if (o.tsoffset !== undefined) {
    const v = Buffer.alloc(8);
    if (le) v.writeBigInt64LE(o.tsoffset);
    else v.writeBigInt64BE(o.tsoffset);
    opts.push(option(le, 14, v));
  }
  if (opts.length > 0) opts.push(Buffer.alloc(4)); // opt_endofopt
  return block(
    le,
    1,
    Buffer.concat([w16(le, linkType), w16(le, 0), w32(le, o.snaplen ?? 0), ...opts]),
  );
}

/** Enhanced Packet Block with a 64-bit timestamp in interface units. */
export function epb(
  le: boolean,
  ifId: number,
  units: bigint,
  data: Buffer,
  wireLen?: number,
): Buffer {
  return block(
    le,
    6,
    Buffer.concat([
      w32(le, ifId),
      w32(le, Number(units >> 32n)),
      w32(le, Number(units & 0xffffffffn)),
      w32(le, data.length),
      w32(le, wireLen ?? data.length),
      data,
    ]),
  );
}

export function spb(le: boolean, wireLen: number, data: Buffer): Buffer {
  return block(le, 3, Buffer.concat([w32(le, wireLen), data]));
}

/** Obsolete Packet Block (type 2). */
export function pb(le: boolean, ifId: number, units: bigint, data: Buffer): Buffer {
  return block(
    le,
    2,
    Buffer.concat([
      w16(le, ifId),
      w16(le, 0),
      w32(le, Number(units >> 32n)),
      w32(le, Number(units & 0xffffffffn)),
      w32(le, data.length),
      w32(le, data.length),
      data,
    ]),
  );
}

/** Deterministic frame bytes of a given length. */
export function frame(len: number, seed: number): Buffer {
  const b = Buffer.alloc(len);
  for (let i = 0; i < len; i++) b[i] = (seed * 31 + i * 7) & 0xff;
  return b;
}
