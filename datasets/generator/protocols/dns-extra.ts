/**
 * DNS answers beyond A/AAAA (RFC 1035 §3.3, §4.1): TXT and NULL answers as DNS tunnels
 * carry data in them, and NXDOMAIN (RCODE 3) as a DGA's lookups mostly get.
 * @module
 */
import { writeName } from './dns.js';

export const QTYPE_NULL = 10;
export const QTYPE_TXT = 16;
export const QTYPE_CNAME = 5;
export const QTYPE_MX = 15;
const CLASS_IN = 1;
const PTR_QNAME = 0xc00c;

function question(
  buf: Buffer,
  off: number,
  id: number,
  flags: number,
  name: string,
  qtype: number,
  an: number,
): number {
  buf.writeUInt16BE(id & 0xffff, off);
  buf.writeUInt16BE(flags, off + 2);
  buf.writeUInt16BE(1, off + 4);
  buf.writeUInt16BE(an, off + 6);
  buf.writeUInt32BE(0, off + 8);
  let p = off + 12;
  p += writeName(buf, p, name);
  buf.writeUInt16BE(qtype, p);
  buf.writeUInt16BE(CLASS_IN, p + 2);
  return p + 4;
}

/** NXDOMAIN: QR RD RA, RCODE 3, the question echoed, no answer. */
export function writeDnsNxdomain(
  buf: Buffer,
  off: number,
  id: number,
  name: string,
  qtype: number,
): number {
  return question(buf, off, id, 0x8183, name, qtype, 0) - off;
}

/**
 * A NOERROR answer carrying `data` (bytes of the tunnel's downstream): for TXT as
 * character-strings of up to 255 bytes (RFC 1035 §3.3.14), for NULL as raw RDATA
 * (§3.3.10), for CNAME/MX as a name under `zone` built from `text`.
 */
export function writeDnsDataAnswer(
  buf: Buffer,
  off: number,
  id: number,
  name: string,
  qtype: number,
  data: Buffer,
  text: string,
  zone: string,
  ttl: number,
): number {
  let p = question(buf, off, id, 0x8180, name, qtype, 1);
  buf.writeUInt16BE(PTR_QNAME, p);
  buf.writeUInt16BE(qtype, p + 2);
  buf.writeUInt16BE(CLASS_IN, p + 4);
  buf.writeUInt32BE(ttl, p + 6);
  const rdLenAt = p + 10;
  p += 12;
  const rd = p;
  if (qtype === QTYPE_TXT) {
    for (let i = 0; i < data.length; i += 255) {
      const n = Math.min(255, data.length - i);
      buf[p] = n;
      data.copy(buf, p + 1, i, i + n);
      p += 1 + n;
    }
    if (data.length === 0) buf[p++] = 0;
  } else if (qtype === QTYPE_NULL) {
    data.copy(buf, p);
    p += data.length;
  } else {
    if (qtype === QTYPE_MX) {
      buf.writeUInt16BE(10, p);
      p += 2;
    }
    p += writeName(buf, p, `${text}.${zone}`);
  }
  buf.writeUInt16BE(p - rd, rdLenAt);
  return p - off;
}
