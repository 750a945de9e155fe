/**
 * HTTP/1.x (RFC 9112) on any TCP port, recognised by its first bytes: a request line with a
 * known method (including UPnP's SUBSCRIBE/NOTIFY/M-SEARCH over TCP) or a status line. Keeps the
 * request line, a few headers, and the kind of body when the header end is in this segment.
 * @module
 */
import { sniffBody } from './body.js';
import { isAddPortMapping, newPortMappingArgs, readPortMappingArgs } from './upnp-soap.js';
import { ascii, decimal, lineEnd, printable, readHeaders, startsWith } from './text.js';
import type { HttpRequestInfo, HttpResponseInfo } from './types.js';

const METHODS = [
  'GET',
  'POST',
  'PUT',
  'HEAD',
  'DELETE',
  'OPTIONS',
  'PATCH',
  'CONNECT',
  'SUBSCRIBE',
  'UNSUBSCRIBE',
  'NOTIFY',
  'M-SEARCH',
];
const METHOD_TOKENS = METHODS.map((m) => ascii(`${m} `));
const HTTP_VERSION = ascii('HTTP/');
const HTTP1 = ascii('HTTP/1.');

/** First bytes of every request method and of 'HTTP/1.': the cheap pre-check. */
export const HTTP_FIRST_BYTES: readonly number[] = [
  ...new Set([...METHODS, 'H'].map((m) => m.charCodeAt(0))),
];

const MAX_URI = 256;
const MAX_VALUE = 256;
const MAX_VERSION = 16;

const REQUEST_HEADERS = ['host', 'soapaction', 'user-agent', 'content-type', 'content-length'].map(
  ascii,
);
const RESPONSE_HEADERS = ['content-type', 'content-length', 'server'].map(ascii);

function request(buf: Buffer, off: number, end: number, m: number): HttpRequestInfo | null {
  const eol = lineEnd(buf, off, end);
  let stop = eol;
  if (stop > off && buf[stop - 1] === 0x0d) stop--;
  const uriStart = off + METHOD_TOKENS[m].length;
  let uriEnd = uriStart;
  while (uriEnd < stop && buf[uriEnd] !== 0x20) uriEnd++;
  let version = '';
  if (uriEnd < stop) {
    if (!startsWith(buf, uriEnd + 1, stop, HTTP_VERSION)) return null;
    version = printable(buf, uriEnd + 1, stop, MAX_VERSION);
  } else if (eol < end) {
    return null; // A complete request line without a version is not HTTP/1.x.
  }
  const info: HttpRequestInfo = {
    kind: 'http-request',
    method: METHODS[m],
    uri: printable(buf, uriStart, uriEnd, MAX_URI),
    version,
  };
  if (eol >= end) return info;
  const values: (string | undefined)[] = [undefined, undefined, undefined, undefined, undefined];
  const bodyStart = readHeaders(buf, eol + 1, end, REQUEST_HEADERS, values, MAX_VALUE);
  if (values[0] !== undefined) info.host = values[0].toLowerCase();
  if (values[1] !== undefined) info.soapAction = values[1].replace(/^"|"$/g, '');
  if (values[2] !== undefined) info.userAgent = values[2];
  if (values[3] !== undefined) info.contentType = values[3];
  if (values[4] !== undefined) {
    const n = Number(values[4]);
    if (values[4] !== '' && Number.isSafeInteger(n) && n >= 0) info.contentLength = n;
  }
  if (bodyStart >= 0) {
    const body = sniffBody(buf, bodyStart, end - bodyStart);
    if (body !== undefined) info.body = body;
  }
  if (info.soapAction !== undefined && isAddPortMapping(info.soapAction)) {
    info.portMapping = newPortMappingArgs();
    if (bodyStart >= 0) readPortMappingArgs(buf, bodyStart, end - bodyStart, info.portMapping);
  }
  return info;
}

function response(buf: Buffer, off: number, end: number): HttpResponseInfo | null {
  // 'HTTP/1.x NNN': version, one space, three digits (RFC 9112 §4).
  if (off + 12 > end || buf[off + 8] !== 0x20) return null;
  const status = decimal(buf, off + 9, off + 12);
  if (status === undefined || status < 100) return null;
  const info: HttpResponseInfo = {
    kind: 'http-response',
    status,
    version: printable(buf, off, off + 8, MAX_VERSION),
  };
  const eol = lineEnd(buf, off, end);
  if (eol >= end) return info;
  const values: (string | undefined)[] = [undefined, undefined, undefined];
  const bodyStart = readHeaders(buf, eol + 1, end, RESPONSE_HEADERS, values, MAX_VALUE);
  if (values[0] !== undefined) info.contentType = values[0];
  if (values[1] !== undefined) {
    const n = Number(values[1]);
    if (values[1] !== '' && Number.isSafeInteger(n) && n >= 0) info.contentLength = n;
  }
  if (values[2] !== undefined) info.server = values[2];
  if (bodyStart >= 0) {
    const body = sniffBody(buf, bodyStart, end - bodyStart);
    if (body !== undefined) info.body = body;
  }
  return info;
}

export function peekHttp(
  buf: Buffer,
  off: number,
  len: number,
): HttpRequestInfo | HttpResponseInfo | null {
  const end = off + len;
  const first = buf[off];
  if (first === 0x48 && startsWith(buf, off, end, HTTP1)) return response(buf, off, end);
  for (let m = 0; m < METHOD_TOKENS.length; m++) {
    const token = METHOD_TOKENS[m];
    if (token[0] === first && startsWith(buf, off, end, token)) return request(buf, off, end, m);
  }
  return null;
}
