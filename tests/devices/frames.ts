/**
 * Whole Ethernet frames, byte for byte, for the device-kind tests: DHCP requests (RFC 2131),
 * mDNS responses (RFC 6762), SSDP (UPnP DA 2.0), DNS queries, TLS ClientHellos and HTTP
 * requests, fed through the real decoder and registry.
 */
import { bytes, ether, ipv4, tcp, u16, udp } from '../decode/helpers.js';

export function macBytes(text: string): number[] {
  return text.split(':').map((h) => parseInt(h, 16));
}

function ipBytes(text: string): number[] {
  return text.split('.').map(Number);
}

export interface Addr {
  mac: string;
  ip: string;
}

const BROADCAST_MAC = 'ff:ff:ff:ff:ff:ff';

function udpIp(
  from: Addr,
  toMac: string,
  toIp: string,
  sport: number,
  dport: number,
  payload: Buffer,
): Buffer {
  const packet = ipv4(17, udp(sport, dport, payload), {
    src: ipBytes(from.ip),
    dst: ipBytes(toIp),
  });
  return ether(0x0800, packet, macBytes(toMac), macBytes(from.mac));
}

/** A DHCP REQUEST (renewal, from the client's address) with the given options. */
export function dhcpRequest(
  from: Addr,
  opts: { hostname?: string; vendorClass?: string; paramList?: number[] },
): Buffer {
  const fixed = Buffer.alloc(236);
  fixed[0] = 1; // BOOTREQUEST
  fixed[1] = 1;
  fixed[2] = 6;
  Buffer.from(ipBytes(from.ip)).copy(fixed, 12); // ciaddr
  Buffer.from(macBytes(from.mac)).copy(fixed, 28); // chaddr
  const options: Buffer[] = [bytes([53, 1, 3])];
  if (opts.hostname !== undefined) options.push(bytes([12, opts.hostname.length], opts.hostname));
  if (opts.vendorClass !== undefined) {
    options.push(bytes([60, opts.vendorClass.length], opts.vendorClass));
  }
  if (opts.paramList !== undefined)
    options.push(bytes([55, opts.paramList.length], opts.paramList));
  const msg = bytes(fixed, [99, 130, 83, 99], ...options, [255]);
  return udpIp(from, '02:00:00:00:00:01', '192.168.1.1', 68, 67, msg);
}

function dnsName(name: string): Buffer {
  const labels = name.split('.').filter((l) => l !== '');
  return bytes(...labels.map((l) => bytes([Buffer.byteLength(l, 'latin1')], l)), [0]);
}

export interface Record {
  name: string;
  type: number;
  /** A/AAAA: address text; PTR/SRV target: a name. */
  data: string;
}

function rdata(r: Record): Buffer {
  if (r.type === 1) return Buffer.from(ipBytes(r.data));
  if (r.type === 33) return bytes(u16(0), u16(0), u16(8009), dnsName(r.data));
  return dnsName(r.data);
}

function dnsMessage(flags: number, questions: string[], answers: Record[]): Buffer {
  const parts: Buffer[] = [
    bytes(u16(0), u16(flags), u16(questions.length), u16(answers.length), u16(0), u16(0)),
  ];
  for (const q of questions) parts.push(dnsName(q), bytes(u16(1), u16(1)));
  for (const a of answers) {
    const rd = rdata(a);
    parts.push(dnsName(a.name), bytes(u16(a.type), u16(1), [0, 0, 0x11, 0x94], u16(rd.length)), rd);
  }
  return Buffer.concat(parts);
}

/** An mDNS response (announcement) to 224.0.0.251:5353. */
export function mdnsResponse(from: Addr, answers: Record[]): Buffer {
  return udpIp(
    from,
    '01:00:5e:00:00:fb',
    '224.0.0.251',
    5353,
    5353,
    dnsMessage(0x8400, [], answers),
  );
}

/** An mDNS query. */
export function mdnsQuery(from: Addr, names: string[]): Buffer {
  return udpIp(from, '01:00:5e:00:00:fb', '224.0.0.251', 5353, 5353, dnsMessage(0, names, []));
}

/** A DNS query to the router. */
export function dnsQuery(from: Addr, name: string): Buffer {
  return udpIp(from, '02:00:00:00:00:01', '192.168.1.1', 40000, 53, dnsMessage(0x0100, [name], []));
}

/** An SSDP NOTIFY (`nt`) or M-SEARCH (`st`) to 239.255.255.250:1900. */
export function ssdp(
  from: Addr,
  method: 'NOTIFY' | 'M-SEARCH',
  headers: { nt?: string; st?: string; usn?: string; server?: string; location?: string },
): Buffer {
  const lines = [`${method} * HTTP/1.1`, 'HOST: 239.255.255.250:1900'];
  if (headers.nt !== undefined) lines.push(`NT: ${headers.nt}`, 'NTS: ssdp:alive');
  if (headers.st !== undefined) lines.push(`ST: ${headers.st}`, 'MAN: "ssdp:discover"', 'MX: 2');
  if (headers.usn !== undefined) lines.push(`USN: ${headers.usn}`);
  if (headers.server !== undefined) lines.push(`SERVER: ${headers.server}`);
  if (headers.location !== undefined) lines.push(`LOCATION: ${headers.location}`);
  const text = `${lines.join('\r\n')}\r\n\r\n`;
  return udpIp(
    from,
    '01:00:5e:7f:ff:fa',
    '239.255.255.250',
    1900,
    1900,
    Buffer.from(text, 'latin1'),
  );
}

/** A TLS ClientHello with an SNI, to a remote server through the gateway. */
export function clientHello(from: Addr, gatewayMac: string, sni: string): Buffer {
  const host = Buffer.from(sni, 'latin1');
  const sniExt = bytes(
    u16(0),
    u16(host.length + 5),
    u16(host.length + 3),
    [0],
    u16(host.length),
    host,
  );
  const body = bytes(
    u16(0x0303),
    Buffer.alloc(32, 7),
    [0],
    u16(2),
    u16(0x1301),
    [1, 0],
    u16(sniExt.length),
    sniExt,
  );
  const hs = bytes([1, 0], u16(body.length), body);
  const rec = bytes([22, 3, 1], u16(hs.length), hs);
  const packet = ipv4(6, tcp(50000, 443, rec), { src: ipBytes(from.ip), dst: [203, 0, 113, 9] });
  return ether(0x0800, packet, macBytes(gatewayMac), macBytes(from.mac));
}

/** A clear-text HTTP request with a Host header, to a remote server through the gateway. */
export function httpRequest(from: Addr, gatewayMac: string, host: string, uri: string): Buffer {
  const text = `GET ${uri} HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: test\r\n\r\n`;
  const packet = ipv4(6, tcp(50001, 80, text), { src: ipBytes(from.ip), dst: [203, 0, 113, 9] });
  return ether(0x0800, packet, macBytes(gatewayMac), macBytes(from.mac));
}

/**
 * Only the request line of a clear-text HTTP request to a remote server, as some embedded
 * clients send it: the headers (Host among them) follow in the next TCP segment.
 */
export function httpRequestLine(from: Addr, gatewayMac: string, uri: string): Buffer {
  const text = `GET ${uri} HTTP/1.1\r\n`;
  const packet = ipv4(6, tcp(50002, 80, text), { src: ipBytes(from.ip), dst: [203, 0, 113, 9] });
  return ether(0x0800, packet, macBytes(gatewayMac), macBytes(from.mac));
}

/** A clear-text HTTP request from `from` to the address `to` (a LAN device's local API). */
export function httpRequestTo(from: Addr, to: Addr, uri: string, method = 'POST'): Buffer {
  const text = `${method} ${uri} HTTP/1.1\r\nHost: ${to.ip}:10000\r\nContent-Length: 0\r\n\r\n`;
  const packet = ipv4(6, tcp(50003, 10000, text), { src: ipBytes(from.ip), dst: ipBytes(to.ip) });
  return ether(0x0800, packet, macBytes(to.mac), macBytes(from.mac));
}

export { BROADCAST_MAC };
