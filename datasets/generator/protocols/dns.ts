/**
 * DNS and mDNS messages in wire format (RFC 1035 §4, RFC 6762).
 * @module
 */

export const QTYPE_A = 1;
export const QTYPE_PTR = 12;
export const QTYPE_TXT = 16;
export const QTYPE_AAAA = 28;
export const QTYPE_SRV = 33;
const CLASS_IN = 1;
const CACHE_FLUSH = 0x8000; // RFC 6762 §10.2
/** Compression pointer to the question name at offset 12 (RFC 1035 §4.1.4). */
const PTR_QNAME = 0xc00c;

/** Labels of a dotted name, ending with the root label (RFC 1035 §3.1). */
export function writeName(buf: Buffer, off: number, name: string): number {
  // Write the dotted text one byte to the right, then turn each dot into the length
  // of the label that follows it.
  const n = buf.write(name, off + 1, 'latin1');
  let lenAt = off;
  for (let i = off + 1; i <= off + n; i++) {
    if (buf[i] === 0x2e) {
      buf[lenAt] = i - lenAt - 1;
      lenAt = i;
    }
  }
  buf[lenAt] = off + n - lenAt;
  buf[off + n + 1] = 0;
  return n + 2;
}

function writeHeader(
  buf: Buffer,
  off: number,
  id: number,
  flags: number,
  qd: number,
  an: number,
): void {
  buf.writeUInt16BE(id & 0xffff, off);
  buf.writeUInt16BE(flags, off + 2);
  buf.writeUInt16BE(qd, off + 4);
  buf.writeUInt16BE(an, off + 6);
  buf.writeUInt32BE(0, off + 8); // NSCOUNT, ARCOUNT
}

/** A standard recursive query for one name. */
export function writeDnsQuery(
  buf: Buffer,
  off: number,
  id: number,
  name: string,
  qtype: number,
): number {
  writeHeader(buf, off, id, 0x0100, 1, 0); // RD
  let p = off + 12;
  p += writeName(buf, p, name);
  buf.writeUInt16BE(qtype, p);
  buf.writeUInt16BE(CLASS_IN, p + 2);
  return p + 4 - off;
}

/**
 * The answer to `writeDnsQuery`: the question echoed, then one A or AAAA record per
 * address (name compressed to the question). `addrs` holds IPv4 numbers for A;
 * for AAAA, `addr6` is used.
 */
export function writeDnsAnswer(
  buf: Buffer,
  off: number,
  id: number,
  name: string,
  qtype: number,
  addr4: number,
  addr6: Uint8Array | null,
  ttl: number,
): number {
  const hasAnswer = qtype === QTYPE_A || addr6 !== null;
  writeHeader(buf, off, id, 0x8180, 1, hasAnswer ? 1 : 0); // QR RD RA, NOERROR
  let p = off + 12;
  p += writeName(buf, p, name);
  buf.writeUInt16BE(qtype, p);
  buf.writeUInt16BE(CLASS_IN, p + 2);
  p += 4;
  if (!hasAnswer) return p - off;
  buf.writeUInt16BE(PTR_QNAME, p);
  buf.writeUInt16BE(qtype, p + 2);
  buf.writeUInt16BE(CLASS_IN, p + 4);
  buf.writeUInt32BE(ttl, p + 6);
  p += 10;
  if (qtype === QTYPE_A) {
    buf.writeUInt16BE(4, p);
    buf.writeUInt32BE(addr4 >>> 0, p + 2);
    p += 6;
  } else {
    buf.writeUInt16BE(16, p);
    buf.set(addr6 as Uint8Array, p + 2);
    p += 18;
  }
  return p - off;
}

function writeRrHead(
  buf: Buffer,
  p: number,
  type: number,
  cls: number,
  ttl: number,
  rdLen: number,
): number {
  buf.writeUInt16BE(type, p);
  buf.writeUInt16BE(cls, p + 2);
  buf.writeUInt32BE(ttl, p + 4);
  buf.writeUInt16BE(rdLen, p + 8);
  return p + 10;
}

/**
 * An unsolicited mDNS announcement (RFC 6762 §8.3): `<host>.local` A record, and when
 * `service` is given, PTR `<service>.local` → `<instance>.<service>.local`, its SRV
 * (port, target `<host>.local`) and an empty TXT.
 */
export function writeMdnsAnnounce(
  buf: Buffer,
  off: number,
  host: string,
  ip4: number,
  service: string | null,
  instance: string,
  port: number,
): number {
  writeHeader(buf, off, 0, 0x8400, 0, service === null ? 1 : 4); // QR AA
  let p = off + 12;
  const hostAt = p;
  p += writeName(buf, p, host + '.local');
  p = writeRrHead(buf, p, QTYPE_A, CLASS_IN | CACHE_FLUSH, 120, 4);
  buf.writeUInt32BE(ip4 >>> 0, p);
  p += 4;
  if (service === null) return p - off;
  const svcAt = p;
  p += writeName(buf, p, service + '.local');
  p = writeRrHead(buf, p, QTYPE_PTR, CLASS_IN, 4500, 0);
  const rdAt = p - 2;
  // Instance label, then a pointer to the service name (RFC 1035 §4.1.4).
  const inst = instance.length > 63 ? instance.slice(0, 63) : instance;
  buf[p] = inst.length;
  const instAt = p;
  buf.write(inst, p + 1, 'latin1');
  p += 1 + inst.length;
  buf.writeUInt16BE(0xc000 | (svcAt - off), p);
  p += 2;
  buf.writeUInt16BE(p - rdAt - 2, rdAt);
  buf.writeUInt16BE(0xc000 | (instAt - off), p);
  p = writeRrHead(buf, p + 2, QTYPE_SRV, CLASS_IN | CACHE_FLUSH, 120, 8);
  buf.writeUInt16BE(0, p); // priority
  buf.writeUInt16BE(0, p + 2); // weight
  buf.writeUInt16BE(port, p + 4);
  buf.writeUInt16BE(0xc000 | (hostAt - off), p + 6);
  p += 8;
  buf.writeUInt16BE(0xc000 | (instAt - off), p);
  p = writeRrHead(buf, p + 2, QTYPE_TXT, CLASS_IN | CACHE_FLUSH, 4500, 1);
  buf[p] = 0;
  return p + 1 - off;
}

/** An mDNS question (RFC 6762 §5.4), e.g. PTR `_googlecast._tcp.local`. */
export function writeMdnsQuery(buf: Buffer, off: number, name: string, qtype: number): number {
  writeHeader(buf, off, 0, 0, 1, 0);
  let p = off + 12;
  p += writeName(buf, p, name);
  buf.writeUInt16BE(qtype, p);
  buf.writeUInt16BE(CLASS_IN, p + 2);
  return p + 4 - off;
}
