/**
 * Multicast DNS (RFC 6762) on UDP 5353: the DNS message format, flagged `mdns`.
 * @module
 */
import { parseDns } from './dns.js';
import type { DnsInfo } from './types.js';

export function peekMdns(buf: Buffer, off: number, len: number): DnsInfo | null {
  return parseDns(buf, off, len, true);
}
