/**
 * DNS messages (RFC 1035 §4.1) on UDP 53, and on TCP 53 behind the 2-byte length prefix
 * (RFC 1035 §4.2.2). Keeps the header codes, question names and types, and answer records
 * reduced to names and addresses.
 *
 * ```
 * | ID (2) | QR Opcode(4) AA TC RD RA Z(3) RCODE(4) | QDCOUNT | ANCOUNT | NSCOUNT | ARCOUNT |
 * ```
 * @module
 */
import { ipv4ToString, ipv6ToString, readIpv6 } from '../addr.js';
import { nameEnd, readName, skipName } from './dns-name.js';
import type { DnsAnswer, DnsInfo } from './types.js';

const HEADER = 12;
/** Questions plus resource records walked in one message. */
export const MAX_DNS_RECORDS = 64;

const TYPE_A = 1;
const TYPE_NS = 2;
const TYPE_CNAME = 5;
const TYPE_PTR = 12;
const TYPE_AAAA = 28;
const TYPE_SRV = 33;

const V6 = new Uint32Array(4);

/** Decodes one resource record's data into text when it is an address or a name. */
function rdataText(
  buf: Uint8Array,
  msgStart: number,
  msgEnd: number,
  type: number,
  at: number,
  len: number,
): string | undefined | null {
  if (type === TYPE_A) {
    if (len !== 4) return undefined;
    return ipv4ToString(
      ((buf[at] << 24) | (buf[at + 1] << 16) | (buf[at + 2] << 8) | buf[at + 3]) >>> 0,
    );
  }
  if (type === TYPE_AAAA) {
    if (len !== 16) return undefined;
    readIpv6(buf, at, V6, 0);
    return ipv6ToString(V6, 0);
  }
  if (type === TYPE_CNAME || type === TYPE_PTR || type === TYPE_NS) {
    return readName(buf, msgStart, msgEnd, at);
  }
  if (type === TYPE_SRV) {
    // RFC 2782: priority (2), weight (2), port (2), target.
    if (len < 7) return undefined;
    return readName(buf, msgStart, msgEnd, at + 6);
  }
  return undefined;
}

/**
 * Parses the DNS message `buf[off, off+len)`. Returns null when it is not a DNS message (header
 * cut, a question that does not parse); answers stop at the first bad or cut record.
 */
export function parseDns(buf: Uint8Array, off: number, len: number, mdns: boolean): DnsInfo | null {
  if (len < HEADER) return null;
  const end = off + len;
  const flags = (buf[off + 2] << 8) | buf[off + 3];
  const qdCount = (buf[off + 4] << 8) | buf[off + 5];
  const anCount = (buf[off + 6] << 8) | buf[off + 7];
  const nsCount = (buf[off + 8] << 8) | buf[off + 9];
  const arCount = (buf[off + 10] << 8) | buf[off + 11];
  const info: DnsInfo = {
    kind: 'dns',
    mdns,
    id: (buf[off] << 8) | buf[off + 1],
    isResponse: (flags & 0x8000) !== 0,
    opcode: (flags >>> 11) & 0x0f,
    rcode: flags & 0x0f,
    questions: [],
    qtypes: [],
    answers: [],
  };
  let pos = off + HEADER;
  let records = 0;
  for (let q = 0; q < qdCount; q++) {
    if (++records > MAX_DNS_RECORDS) return info;
    const name = readName(buf, off, end, pos);
    if (name === null) return null;
    pos = nameEnd;
    if (pos + 4 > end) return info;
    info.questions.push(name);
    info.qtypes.push((buf[pos] << 8) | buf[pos + 1]);
    pos += 4;
  }
  // Answer records always; for mDNS also the additional section, where responders put the
  // host's A/AAAA records (RFC 6763 §12). The authority section is walked over.
  const firstAdditional = anCount + nsCount;
  const total = firstAdditional + arCount;
  for (let r = 0; r < total; r++) {
    if (++records > MAX_DNS_RECORDS) break;
    const keep = r < anCount || (mdns && r >= firstAdditional);
    let name = '';
    if (keep) {
      const read = readName(buf, off, end, pos);
      if (read === null) break;
      name = read;
      pos = nameEnd;
    } else {
      pos = skipName(buf, end, pos);
      if (pos < 0) break;
    }
    if (pos + 10 > end) break;
    const type = (buf[pos] << 8) | buf[pos + 1];
    const ttl =
      ((buf[pos + 4] << 24) | (buf[pos + 5] << 16) | (buf[pos + 6] << 8) | buf[pos + 7]) >>> 0;
    const rdLen = (buf[pos + 8] << 8) | buf[pos + 9];
    const rdata = pos + 10;
    if (rdata + rdLen > end) break;
    pos = rdata + rdLen;
    if (!keep) continue;
    const data = rdataText(buf, off, end, type, rdata, rdLen);
    if (data === null) break;
    const answer: DnsAnswer = { name, type, ttl };
    if (data !== undefined) answer.data = data;
    info.answers.push(answer);
  }
  return info;
}

/** DNS over UDP (port 53). */
export function peekDns(buf: Buffer, off: number, len: number): DnsInfo | null {
  return parseDns(buf, off, len, false);
}

/** DNS over TCP (port 53): a message behind a 2-byte length, which must start this segment. */
export function peekDnsTcp(buf: Buffer, off: number, len: number): DnsInfo | null {
  if (len < 2 + HEADER) return null;
  const msgLen = (buf[off] << 8) | buf[off + 1];
  if (msgLen < HEADER) return null;
  return parseDns(buf, off + 2, msgLen < len - 2 ? msgLen : len - 2, false);
}
