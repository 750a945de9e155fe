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
export type BodyKind = 'elf' | 'pe' | 'script' | 'archive' | 'binary' | 'other';

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
  /**
   * UPnP AddPortMapping arguments read from the SOAP body, when the SOAPAction is one and the
   * body starts in this segment (upnp-soap.ts). Later segments of the body may add the rest.
   */
  portMapping?: UpnpPortMappingArgs;
}

/**
 * Arguments of a UPnP IGD AddPortMapping / AddAnyPortMapping action (WANIPConnection:1/2,
 * WANPPPConnection:1), as far as they were seen; absent arguments stay at their initial values.
 */
export interface UpnpPortMappingArgs {
  /** NewExternalPort (0: not seen, or a wildcard). */
  externalPort: number;
  /** NewProtocol, upper case: 'TCP' or 'UDP' ('' when not seen). */
  protocol: string;
  /** NewInternalPort (0: not seen). */
  internalPort: number;
  /** NewInternalClient ('' when not seen). */
  internalClient: string;
  /** NewLeaseDuration in seconds (0: indefinite or not seen). */
  leaseS: number;
  /** NewPortMappingDescription, printable, at most 64 characters ('' when not seen). */
  description: string;
  /** Arguments found so far (bit per argument, see upnp-soap.ts). */
  found: number;
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

/** A mining-pool JSON-RPC message (stratum, and the xmrig / eth-proxy dialects). */
export interface StratumInfo {
  kind: 'stratum';
  /** The known method of the first message in the segment ('mining.subscribe', 'login', …). */
  method: string;
  /** A request a miner sends (subscribe, authorize, submit, login …), not a pool notification. */
  request: boolean;
  /** Messages in the segment (newline-delimited JSON) whose known method is a miner's request. */
  requests: number;
}

/**
 * A port-mapping protocol message on UDP 5351: NAT-PMP (RFC 6886, version 0) or PCP (RFC 6887,
 * version 2). Only mapping requests and their responses carry ports.
 */
export interface PortControlInfo {
  kind: 'natpmp' | 'pcp';
  /** Opcode without the response bit (NAT-PMP: 0 address, 1 map UDP, 2 map TCP; PCP: 1 MAP, 2 PEER). */
  opcode: number;
  isResponse: boolean;
  /** A MAP request (NAT-PMP opcode 1/2, PCP MAP) with a non-zero lifetime: a new or renewed mapping. */
  mapRequest: boolean;
  /** 'TCP', 'UDP', or '' (PCP protocol 0: all protocols; or not a mapping). */
  protocol: string;
  internalPort: number;
  /** Suggested (request) or assigned (response) external port. */
  externalPort: number;
  /** Requested or granted lifetime in seconds (0 in a request: delete the mapping). */
  lifetimeS: number;
  /** PCP client address (dotted for IPv4-mapped addresses); '' for NAT-PMP. */
  client: string;
  /** Response result code (0 success). */
  result: number;
}

export type AppInfo =
  | DnsInfo
  | DhcpInfo
  | SsdpInfo
  | HttpRequestInfo
  | HttpResponseInfo
  | TlsClientHelloInfo
  | StratumInfo
  | PortControlInfo;
