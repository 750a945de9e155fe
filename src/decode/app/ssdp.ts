/**
 * SSDP (UPnP Device Architecture 2.0 §1) on UDP 1900: an HTTPU start line (`M-SEARCH * HTTP/1.1`,
 * `NOTIFY * HTTP/1.1`, or an `HTTP/1.1 200 OK` search response) and the discovery headers.
 * @module
 */
import { ascii, readHeaders, startsWith } from './text.js';
import type { SsdpInfo } from './types.js';

const M_SEARCH = ascii('M-SEARCH ');
const NOTIFY = ascii('NOTIFY ');
const HTTP1 = ascii('HTTP/1.');
const STATUS_200 = ascii(' 200');
const NAMES = ['st', 'nt', 'nts', 'usn', 'location', 'server'].map(ascii);
const MAX_VALUE = 256;

export function peekSsdp(buf: Buffer, off: number, len: number): SsdpInfo | null {
  const end = off + len;
  let method: string;
  if (startsWith(buf, off, end, M_SEARCH)) method = 'M-SEARCH';
  else if (startsWith(buf, off, end, NOTIFY)) method = 'NOTIFY';
  else if (startsWith(buf, off, end, HTTP1) && startsWith(buf, off + 8, end, STATUS_200)) {
    method = 'RESPONSE';
  } else return null;
  let pos = off;
  while (pos < end && buf[pos] !== 0x0a) pos++;
  const values: (string | undefined)[] = [
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
  ];
  if (pos < end) readHeaders(buf, pos + 1, end, NAMES, values, MAX_VALUE);
  const info: SsdpInfo = { kind: 'ssdp', method };
  if (values[0] !== undefined) info.st = values[0];
  if (values[1] !== undefined) info.nt = values[1];
  if (values[2] !== undefined) info.nts = values[2];
  if (values[3] !== undefined) info.usn = values[3];
  if (values[4] !== undefined) info.location = values[4];
  if (values[5] !== undefined) info.server = values[5];
  return info;
}
