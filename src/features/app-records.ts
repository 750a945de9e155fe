/**
 * The feature stage's handling of app records (decode/app peeks): one handler per record kind,
 * in a table. Each runs once per recognised record, never for other packets, and may allocate
 * (names, evidence entries). Also the continuation of an HTTP response body or a SOAP request
 * body in a flow's next segment.
 * @module
 */
import { ipv4ToString, ipv6ToString, parseIpv4 } from '../decode/addr.js';
import { sniffBody } from '../decode/app/body.js';
import type {
  AppInfo,
  BodyKind,
  DnsInfo,
  HttpRequestInfo,
  HttpResponseInfo,
  PortControlInfo,
  StratumInfo,
  TlsClientHelloInfo,
  UpnpPortMappingArgs,
} from '../decode/app/types.js';
import { ALL_ARGS, isAddPortMapping, readPortMappingArgs } from '../decode/app/upnp-soap.js';
import { type DecodedPacket, L3 } from '../decode/packet.js';
import type { Device } from '../devices/device.js';
import type { Flow } from '../flows/flow.js';
import { type DeviceActivity, MAX_SHAPES } from './accumulator.js';
import { nameShape, type NameShape, registrableDomain } from './dns-shape.js';
import { downloadReason, EXECUTABLE_MAGIC, hasBody } from './downloads.js';
import type { PortMappingEvidence } from './evidence.js';
import type { RawProgram } from './raw-program.js';
import {
  FlowNotes,
  MAX_PENDING_REQUESTS,
  MAX_SOAP_SEGMENTS,
  type HttpRequestNote,
  type PendingBody,
} from './flow-notes.js';

/** Flow.marks bit: the flow's TLS handshake has been counted. */
export const MARK_TLS = 8;

/** What the handlers need from DeviceWindows. */
export interface AppHost {
  /** The device's activity in the current window (opened if needed). */
  touch(d: Device): DeviceActivity;
  /** Index of the current window. */
  window(): number;
}

interface Ctx {
  p: DecodedPacket;
  src: Device | null;
  dst: Device | null;
  flow: Flow | null;
  now: number;
}

type Handler<A extends AppInfo> = (host: AppHost, app: A, x: Ctx) => void;

/** Destination / source address of the packet as text. */
function dstText(p: DecodedPacket): string {
  return p.l3 === L3.IPv6 ? ipv6ToString(p.dst6) : ipv4ToString(p.dst4);
}
function srcText(p: DecodedPacket): string {
  return p.l3 === L3.IPv6 ? ipv6ToString(p.src6) : ipv4ToString(p.src4);
}

/** The name a device knows address `ip` (text) by: its DNS answer, else the flow's SNI/Host. */
function knownName(a: DeviceActivity, p: DecodedPacket, toDst: boolean, flow: Flow | null): string {
  const key = p.l3 === L3.IPv6 ? (toDst ? dstText(p) : srcText(p)) : (toDst ? p.dst4 : p.src4) | 0;
  return a.dnsAnswers.get(key) ?? flow?.serverName ?? '';
}

/** Host header without a port is an IPv4 or IPv6 address literal (or there is none). */
function isBareIp(host: string): boolean {
  if (host === '' || host.startsWith('[')) return true;
  const colon = host.lastIndexOf(':');
  const h = colon >= 0 && host.indexOf(':') === colon ? host.slice(0, colon) : host;
  return h.includes(':') || !Number.isNaN(parseIpv4(h));
}

function notesOf(flow: Flow | null): FlowNotes | null {
  if (flow === null) return null;
  if (flow.notes === null) flow.notes = new FlowNotes();
  return flow.notes;
}

const dns: Handler<DnsInfo> = (host, app, { src, dst, now }) => {
  if (app.mdns) return;
  if (!app.isResponse && src !== null) {
    const a = host.touch(src);
    const c = a.counters;
    c.dnsQueries++;
    for (let i = 0; i < app.questions.length; i++) {
      const name = app.questions[i];
      const qtype = app.qtypes[i];
      const isNew = !c.dnsNames.has(name);
      let shape: NameShape | undefined = a.shapes.get(name);
      if (shape === undefined) {
        shape = nameShape(name);
        if (a.shapes.size >= MAX_SHAPES) a.shapes.clear();
        a.shapes.set(name, shape);
      }
      if (qtype === 16 || qtype === 10) c.dnsTxtNullQueries++;
      if (shape.longestLabel > c.dnsLongestLabel) c.dnsLongestLabel = shape.longestLabel;
      if (shape.entropy > c.dnsMaxEntropy) c.dnsMaxEntropy = shape.entropy;
      a.notes.dnsQuery(name, qtype, shape);
      if (isNew) a.notes.dnsNewName(shape.domain);
      c.dnsNames.add(name);
      if (src.history.names.addIsNew(name, now)) c.dnsNewNames++;
    }
  } else if (app.isResponse && dst !== null) {
    const a = host.touch(dst);
    if (app.rcode === 3) {
      a.counters.dnsNxdomain++;
      for (const name of app.questions) {
        a.notes.nxdomain(name, a.shapes.get(name)?.domain ?? registrableDomain(name));
      }
    }
    const asked = app.questions.length > 0 ? app.questions[0] : undefined;
    for (const ans of app.answers) {
      if (ans.data === undefined) continue;
      if (ans.type === 1) {
        const ip = parseIpv4(ans.data);
        if (!Number.isNaN(ip)) a.rememberAnswer(ip | 0, asked ?? ans.name);
      } else if (ans.type === 28) a.rememberAnswer(ans.data, asked ?? ans.name);
    }
  }
};

const ssdp: Handler<AppInfo> = (host, _app, { src }) => {
  if (src !== null) host.touch(src).counters.ssdpMessages++;
};

const tls: Handler<TlsClientHelloInfo> = (host, app, { src, flow }) => {
  // One handshake a connection: a retransmitted ClientHello is not another one.
  if (flow !== null) {
    if (flow.marks & MARK_TLS) return;
    flow.marks |= MARK_TLS;
    if (app.sni !== undefined) {
      flow.serverName = app.sni;
      const t = flow.peer;
      if (t !== null && t.name === '') t.name = app.sni;
    }
  }
  if (src !== null) host.touch(src).counters.tlsHandshakes++;
};

function fillMapping(e: PortMappingEvidence, args: UpnpPortMappingArgs): void {
  e.protocol = args.protocol;
  e.externalPort = args.externalPort;
  e.internalPort = args.internalPort;
  e.internalClient = args.internalClient;
  e.lifetimeS = args.leaseS;
  e.description = args.description;
}

const httpRequest: Handler<HttpRequestInfo> = (host, app, { p, src, flow, now }) => {
  const n = notesOf(flow);
  if (n !== null) {
    const req: HttpRequestNote = { method: app.method, host: app.host ?? '', uri: app.uri };
    if (n.requests === null) n.requests = [];
    if (n.requests.length >= MAX_PENDING_REQUESTS) n.requests.shift();
    n.requests.push(req);
  }
  if (flow !== null && app.host !== undefined) {
    flow.serverName = app.host;
    const t = flow.peer;
    if (t !== null && t.name === '') t.name = app.host;
  }
  if (src === null) return;
  const a = host.touch(src);
  const c = a.counters;
  c.httpRequests++;
  const server = a.notes.httpServer(dstText(p), p.dport, app.host ?? '');
  if (server !== null) server.requests++;
  if (app.soapAction === undefined || !isAddPortMapping(app.soapAction)) return;
  c.upnpPortMappings++;
  const args = app.portMapping;
  if (args === undefined) return;
  const e: PortMappingEvidence = {
    ts: now,
    via: 'upnp',
    protocol: '',
    externalPort: 0,
    internalPort: 0,
    internalClient: '',
    router: dstText(p),
    lifetimeS: 0,
    description: '',
    count: 1,
  };
  fillMapping(e, args);
  const listed = a.notes.portMapping(e);
  if (n !== null && listed !== null && args.found !== ALL_ARGS) {
    n.soap = args;
    n.soapEvidence = listed;
    n.soapWindow = host.window();
    n.soapSegments = 0;
  }
};

/** Judges a response body; `magic` undefined when its first bytes have not been seen. */
function judgeBody(
  host: AppHost,
  dst: Device,
  p: DecodedPacket,
  body: PendingBody,
  magic: BodyKind | undefined,
  now: number,
): void {
  const req = body.request;
  const uri = req?.uri ?? '';
  const reason = downloadReason(magic, body.contentType, uri);
  if (reason === null) return;
  const a = host.touch(dst);
  a.counters.opaqueDownloads++;
  // The Host header, else the name the device looked the server up by: a request whose headers
  // were not read (split over segments) is from a bare IP only when no DNS answer named it.
  const h = req?.host ?? '';
  const name = h !== '' ? h : knownName(a, p, false, null);
  a.notes.download({
    ts: now,
    ip: srcText(p),
    port: p.sport,
    host: name,
    bareIp: isBareIp(name),
    uri,
    status: body.status,
    contentType: body.contentType,
    magic: magic ?? '',
    reason,
  });
}

const httpResponse: Handler<HttpResponseInfo> = (host, app, { p, dst, flow, now }) => {
  if (app.body !== undefined) {
    if (dst !== null && (app.body === 'elf' || app.body === 'pe' || app.body === 'script')) {
      host.touch(dst).counters.executableDownloads++;
    }
  } else if (flow !== null) flow.expectBody = true;
  const n = notesOf(flow);
  const req = n?.requests?.shift() ?? null;
  if (dst === null) return;
  if (app.status === 401 || app.status === 403) {
    const a = host.touch(dst);
    a.counters.httpAuthFailures++;
    const server = a.notes.httpServer(srcText(p), p.sport, req?.host ?? '');
    if (server !== null) server.failures++;
  }
  if (!hasBody(app.status, req?.method ?? 'GET', app.contentLength)) return;
  const pending: PendingBody = {
    status: app.status,
    contentType: app.contentType ?? '',
    request: req,
  };
  if (app.body !== undefined) judgeBody(host, dst, p, pending, app.body, now);
  else if (n !== null) n.pendingBody = pending;
};

const stratum: Handler<StratumInfo> = (host, app, { p, src, flow, now }) => {
  if (src === null || !app.request) return;
  const a = host.touch(src);
  a.counters.stratumMessages += app.requests;
  a.notes.stratum(now, dstText(p), p.dport, knownName(a, p, true, flow), app.method, app.requests);
};

const portControl: Handler<PortControlInfo> = (host, app, { p, src, now }) => {
  if (src === null || app.isResponse || !app.mapRequest) return;
  const a = host.touch(src);
  a.counters.portMapRequests++;
  a.notes.portMapping({
    ts: now,
    via: app.kind,
    protocol: app.protocol,
    externalPort: app.externalPort,
    internalPort: app.internalPort,
    internalClient: app.client,
    router: dstText(p),
    lifetimeS: app.lifetimeS,
    description: '',
    count: 1,
  });
};

const HANDLERS: { [K in AppInfo['kind']]: Handler<Extract<AppInfo, { kind: K }>> } = {
  dns,
  dhcp: () => {},
  ssdp,
  'http-request': httpRequest,
  'http-response': httpResponse,
  'tls-client-hello': tls,
  stratum,
  natpmp: portControl,
  pcp: portControl,
};

export class AppRecords {
  readonly #host: AppHost;

  constructor(host: AppHost) {
    this.#host = host;
  }

  /** Counts one app record of packet `p`. */
  record(
    p: DecodedPacket,
    src: Device | null,
    dst: Device | null,
    flow: Flow | null,
    now: number,
  ): void {
    const app = p.app;
    if (app === null) return;
    (HANDLERS[app.kind] as Handler<AppInfo>)(this.#host, app, { p, src, dst, flow, now });
  }

  /**
   * A segment without an app record on a flow waiting for more: the first bytes of an HTTP
   * body whose header ended the previous segment, or more of an AddPortMapping's SOAP body.
   */
  segment(
    buf: Buffer,
    p: DecodedPacket,
    flow: Flow,
    forward: boolean,
    dst: Device | null,
    now: number,
  ): void {
    const n = flow.notes;
    if (!forward) {
      if (flow.expectBody) {
        flow.expectBody = false;
        const kind = sniffBody(buf, p.payloadOffset, p.payloadCapLen);
        if (dst !== null && kind !== undefined && EXECUTABLE_MAGIC.has(kind)) {
          this.#host.touch(dst).counters.executableDownloads++;
        }
      }
      if (n !== null && n.pendingBody !== null) this.body(p, buf, n, dst, now);
    } else if (n !== null && n.soap !== null) this.soap(p, buf, n);
  }

  /** A responder segment after a response header that ended its segment: sniff its body. */
  body(p: DecodedPacket, buf: Buffer, n: FlowNotes, dst: Device | null, now: number): void {
    const pending = n.pendingBody as PendingBody;
    n.pendingBody = null;
    if (dst === null) return;
    judgeBody(this.#host, dst, p, pending, sniffBody(buf, p.payloadOffset, p.payloadCapLen), now);
  }

  /**
   * A program sent to device `to` outside HTTP (raw-program.ts): counted and kept as a download,
   * its sender named as an HTTP server is (the DNS answer that gave the address, if any).
   */
  program(p: DecodedPacket, to: Device, raw: RawProgram, now: number): void {
    const a = this.#host.touch(to);
    a.counters.executableDownloads++;
    const name = knownName(a, p, false, null);
    a.notes.download({
      ts: now,
      ip: srcText(p),
      port: p.sport,
      host: name,
      bareIp: isBareIp(name),
      uri: '',
      status: 0,
      contentType: '',
      magic: raw.magic,
      reason: 'magic',
      via: raw.via,
    });
  }

  /** An initiator segment after an AddPortMapping header: more of its SOAP arguments. */
  soap(p: DecodedPacket, buf: Buffer, n: FlowNotes): void {
    const args = n.soap as UpnpPortMappingArgs;
    readPortMappingArgs(buf, p.payloadOffset, p.payloadCapLen, args);
    if (n.soapEvidence !== null && n.soapWindow === this.#host.window())
      fillMapping(n.soapEvidence, args);
    if (args.found === ALL_ARGS || ++n.soapSegments >= MAX_SOAP_SEGMENTS) {
      n.soap = null;
      n.soapEvidence = null;
    }
  }
}
