/**
 * HTTP/1.1 request and response heads (RFC 9112 §3, §4).
 * @module
 */

export function writeHttpGet(
  buf: Buffer,
  off: number,
  host: string,
  path: string,
  userAgent: string,
): number {
  return buf.write(
    `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: ${userAgent}\r\n` +
      'Accept: */*\r\nConnection: close\r\n\r\n',
    off,
    'latin1',
  );
}

/** Response head; the body (`contentLength` bytes) follows in the same or later segments. */
export function writeHttpResponseHead(
  buf: Buffer,
  off: number,
  contentLength: number,
  contentType: string,
): number {
  return buf.write(
    `HTTP/1.1 200 OK\r\nContent-Type: ${contentType}\r\nContent-Length: ${contentLength}\r\n` +
      'Connection: close\r\n\r\n',
    off,
    'latin1',
  );
}

/** Length of the response head for a given body length, to size the body exactly. */
export function httpResponseHeadLength(contentLength: number, contentType: string): number {
  return (
    'HTTP/1.1 200 OK\r\nContent-Type: \r\nContent-Length: \r\nConnection: close\r\n\r\n'.length +
    contentType.length +
    String(contentLength).length
  );
}
