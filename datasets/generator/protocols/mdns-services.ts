/**
 * An mDNS announcement of several services with TXT records (RFC 6762 §8.3, RFC 6763
 * §6), as printers make: `<host>.local` A, then per service PTR, SRV and TXT. Names are
 * written in full (no compression), which every reader accepts.
 * @module
 */
import { QTYPE_A, QTYPE_PTR, QTYPE_SRV, QTYPE_TXT, writeName } from './dns.js';

const CLASS_IN = 1;
const CACHE_FLUSH = 0x8000;

export interface MdnsService {
  /** e.g. `_ipp._tcp` */
  type: string;
  port: number;
  /** TXT key=value strings. */
  txt: readonly string[];
}

function rr(buf: Buffer, p: number, name: string, type: number, cls: number, ttl: number): number {
  p += writeName(buf, p, name);
  buf.writeUInt16BE(type, p);
  buf.writeUInt16BE(cls, p + 2);
  buf.writeUInt32BE(ttl, p + 4);
  return p + 8; // RDLENGTH is next
}

export function writeMdnsServices(
  buf: Buffer,
  off: number,
  host: string,
  ip4: number,
  instance: string,
  services: readonly MdnsService[],
): number {
  buf.writeUInt16BE(0, off);
  buf.writeUInt16BE(0x8400, off + 2); // QR AA
  buf.writeUInt16BE(0, off + 4);
  buf.writeUInt16BE(1 + 3 * services.length, off + 6);
  buf.writeUInt32BE(0, off + 8);
  let p = off + 12;
  const target = `${host}.local`;
  p = rr(buf, p, target, QTYPE_A, CLASS_IN | CACHE_FLUSH, 120);
  buf.writeUInt16BE(4, p);
  buf.writeUInt32BE(ip4 >>> 0, p + 2);
  p += 6;
  for (const s of services) {
    p = rr(buf, p, `${s.type}.local`, QTYPE_PTR, CLASS_IN, 4500);
    let rd = p + 2;
    // The instance label may hold spaces and dots are not allowed in it: write it by hand.
    const inst = Buffer.from(instance.slice(0, 63), 'latin1');
    buf[rd] = inst.length;
    inst.copy(buf, rd + 1);
    rd += 1 + inst.length;
    rd += writeName(buf, rd, `${s.type}.local`);
    buf.writeUInt16BE(rd - p - 2, p);
    p = rd;
    p = rrInstance(buf, p, instance, s.type, QTYPE_SRV);
    buf.writeUInt16BE(0, p + 2);
    buf.writeUInt16BE(0, p + 4);
    buf.writeUInt16BE(s.port, p + 6);
    const n = writeName(buf, p + 8, target);
    buf.writeUInt16BE(6 + n, p);
    p += 8 + n;
    p = rrInstance(buf, p, instance, s.type, QTYPE_TXT);
    let q = p + 2;
    for (const t of s.txt) {
      const len = buf.write(t, q + 1, 'latin1');
      buf[q] = len;
      q += 1 + len;
    }
    buf.writeUInt16BE(q - p - 2, p);
    p = q;
  }
  return p - off;
}

/** Owner name `<instance>.<type>.local` (instance label written raw), type, class, TTL. */
function rrInstance(buf: Buffer, p: number, instance: string, type: string, qtype: number): number {
  const inst = Buffer.from(instance.slice(0, 63), 'latin1');
  buf[p] = inst.length;
  inst.copy(buf, p + 1);
  p += 1 + inst.length;
  p += writeName(buf, p, `${type}.local`);
  buf.writeUInt16BE(qtype, p);
  buf.writeUInt16BE(CLASS_IN | CACHE_FLUSH, p + 2);
  buf.writeUInt32BE(qtype === QTYPE_SRV ? 120 : 4500, p + 4);
  return p + 8;
}
