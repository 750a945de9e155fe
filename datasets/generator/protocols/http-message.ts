/**
 * Whole HTTP/1.1 messages as text (RFC 9112 §2–§6): request and status lines, header
 * fields, an exact Content-Length. Used by scripted conversations (script.ts) whose bytes
 * a decoder reads: UPnP descriptions and SOAP, downloads, basic-auth attempts.
 * @module
 */

export type Headers = readonly (readonly [string, string])[];

function fields(headers: Headers): string {
  let s = '';
  for (const [k, v] of headers) s += `${k}: ${v}\r\n`;
  return s;
}

/** A request with its body (Content-Length added when there is one). */
export function httpRequest(method: string, target: string, headers: Headers, body = ''): string {
  const len = body.length > 0 ? `Content-Length: ${Buffer.byteLength(body, 'latin1')}\r\n` : '';
  return `${method} ${target} HTTP/1.1\r\n${fields(headers)}${len}\r\n${body}`;
}

/**
 * A response head for a body of `bodyLen` bytes; `body` is its start (or all of it) when
 * the body is text. The caller sends the head, then the body.
 */
export function httpResponse(
  status: number,
  reason: string,
  headers: Headers,
  bodyLen: number,
  body = '',
): string {
  return (
    `HTTP/1.1 ${status} ${reason}\r\n${fields(headers)}Content-Length: ${bodyLen}\r\n\r\n` + body
  );
}

/** RFC 7231 IMF-fixdate of an epoch time in µs, for Date headers. */
export function httpDate(epochUs: number): string {
  return new Date(Math.floor(epochUs / 1000)).toUTCString();
}
