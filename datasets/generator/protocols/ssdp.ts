/**
 * SSDP (UPnP Device Architecture 2.0 §1): NOTIFY announcements, M-SEARCH requests and
 * their unicast answers, HTTP over UDP to 239.255.255.250:1900.
 * @module
 */

export const SSDP_PORT = 1900;
/** 239.255.255.250 */
export const SSDP_GROUP = 0xeffffffa;

/** `NOTIFY * HTTP/1.1` with NTS ssdp:alive. */
export function writeSsdpNotify(
  buf: Buffer,
  off: number,
  location: string,
  server: string,
  uuid: string,
  nt: string,
): number {
  const usn = nt === 'upnp:rootdevice' || nt.startsWith('uuid:') ? `uuid:${uuid}::${nt}` : uuid;
  return buf.write(
    'NOTIFY * HTTP/1.1\r\n' +
      'HOST: 239.255.255.250:1900\r\n' +
      'CACHE-CONTROL: max-age=1800\r\n' +
      `LOCATION: ${location}\r\n` +
      'NTS: ssdp:alive\r\n' +
      `SERVER: ${server}\r\n` +
      `NT: ${nt}\r\n` +
      `USN: ${usn}\r\n\r\n`,
    off,
    'latin1',
  );
}

/** `M-SEARCH * HTTP/1.1` for one search target. */
export function writeSsdpSearch(buf: Buffer, off: number, st: string, userAgent: string): number {
  return buf.write(
    'M-SEARCH * HTTP/1.1\r\n' +
      'HOST: 239.255.255.250:1900\r\n' +
      'MAN: "ssdp:discover"\r\n' +
      'MX: 1\r\n' +
      `ST: ${st}\r\n` +
      `USER-AGENT: ${userAgent}\r\n\r\n`,
    off,
    'latin1',
  );
}

/** The unicast `HTTP/1.1 200 OK` answer to an M-SEARCH. */
export function writeSsdpResponse(
  buf: Buffer,
  off: number,
  location: string,
  server: string,
  uuid: string,
  st: string,
): number {
  return buf.write(
    'HTTP/1.1 200 OK\r\n' +
      'CACHE-CONTROL: max-age=1800\r\n' +
      'EXT:\r\n' +
      `LOCATION: ${location}\r\n` +
      `SERVER: ${server}\r\n` +
      `ST: ${st}\r\n` +
      `USN: uuid:${uuid}::${st}\r\n\r\n`,
    off,
    'latin1',
  );
}
