/**
 * Derived fields kept from application payloads. Nothing here holds payload bytes: only the
 * names, codes and headers a detector needs (DESIGN.md, "Nothing stores payload").
 * @module
 */

/** A DNS or mDNS resource record, reduced to what detectors use. */
export interface DnsAnswer {
  name: string;
  /** RR type number (1 A, 28 AAAA, 5 CNAME, 12 PTR, 33 SRV, 16 TXT, …). */
  type: number;
  ttl: number;
  /** Address text for A/AAAA; target name for CNAME/PTR/NS/SRV; undefined otherwise. */
  data?: string;
}

export interface DnsInfo {
  kind: 'dns';
  /** true when carried on UDP 5353 (multicast DNS). */
  mdns: boolean;
  id: number;
  isResponse: boolean;
  opcode: number;
  /** Response code (3 = NXDOMAIN). */
  rcode: number;
  /** Question names, lower case, without the trailing dot. */
  questions: string[];
  /** Question types, parallel to `questions`. */
  qtypes: number[];
  answers: DnsAnswer[];
}

export interface DhcpInfo {
  kind: 'dhcp';
  /** BOOTP op: 1 request, 2 reply. */
  op: number;
  /** Option 53 message type (1 DISCOVER, 3 REQUEST, 5 ACK, …), 0 if absent. */
  messageType: number;
  /** chaddr as a 48-bit number (Ethernet hardware type only; 0 otherwise). */
  clientMac: number;
  /** ciaddr / yiaddr as dotted text, '' when zero. */
  clientIp: string;
  yourIp: string;
  /** Option 12. */
  hostname?: string;
  /** Option 60. */
  vendorClass?: string;
  /** Option 50. */
  requestedIp?: string;
  /** Option 3. */
  routers?: string[];
  /** Option 6. */
  dnsServers?: string[];
  /** Option 54. */
  serverId?: string;
  /**
   * Option 55 (parameter request list, RFC 2132 §9.8) as its codes in order, comma separated
   * ('1,3,6,12,15,28,42'): the order is the DHCP client's, so it fingerprints its software.
   */
  paramList?: string;
}

export interface SsdpInfo {
  kind: 'ssdp';
  /** 'M-SEARCH', 'NOTIFY', or 'RESPONSE' for an HTTP/1.1 200 answer. */
  method: string;
  st?: string;
  nt?: string;
  nts?: string;
  usn?: string;
  location?: string;
  server?: string;
}

/** What the first bytes of an HTTP body look like. */
export type BodyKind = 'elf' | 'pe' | 'script' | 'archive' | 'other';

export interface HttpRequestInfo {
  kind: 'http-request';
  method: string;
  /** Request target, at most 256 characters. */
  uri: string;
  version: string;
  host?: string;
  soapAction?: string;
  userAgent?: string;
  contentType?: string;
  contentLength?: number;
  /** Set when the body starts in this segment. */
  body?: BodyKind;
}

export interface HttpResponseInfo {
  kind: 'http-response';
  status: number;
  version: string;
  contentType?: string;
  contentLength?: number;
  server?: string;
  body?: BodyKind;
}

export interface TlsClientHelloInfo {
  kind: 'tls-client-hello';
  /** Legacy version in the ClientHello (0x0303 for TLS 1.2/1.3). */
  version: number;
  sni?: string;
  /** ALPN protocols offered. */
  alpn?: string[];
}

export type AppInfo =
  DnsInfo | DhcpInfo | SsdpInfo | HttpRequestInfo | HttpResponseInfo | TlsClientHelloInfo;
