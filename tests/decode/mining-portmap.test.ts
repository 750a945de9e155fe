/**
 * The peeks added for features v2: stratum (mining-pool JSON-RPC), NAT-PMP, PCP, and the UPnP
 * AddPortMapping SOAP arguments. Built frames for the layouts, and the real captures that hold
 * them checked against tshark.
 */
import { describe, expect, it } from 'vitest';
import { peekNatPmp } from '../../src/decode/app/natpmp.js';
import { peekPcp } from '../../src/decode/app/pcp.js';
import { peekStratum } from '../../src/decode/app/stratum.js';
import type { HttpRequestInfo, PortControlInfo, StratumInfo } from '../../src/decode/app/types.js';
import {
  ALL_ARGS,
  newPortMappingArgs,
  readPortMappingArgs,
} from '../../src/decode/app/upnp-soap.js';
import {
  appsOf,
  bytes,
  dataset,
  decode,
  hasTshark,
  tcpFrame,
  tsharkFields,
  u16,
  u32,
  udpFrame,
} from './helpers.js';

const json = (text: string): Buffer => Buffer.from(text, 'latin1');

describe('stratum peek', () => {
  it('reads the method of a stratum v1 request on any port', () => {
    const msg = '{"id":1,"method":"mining.subscribe","params":["EWBF 0.3.4b",null]}\n';
    expect(decode(tcpFrame(46838, 3333, msg)).app).toEqual({
      kind: 'stratum',
      method: 'mining.subscribe',
      request: true,
      requests: 1,
    });
    expect(decode(tcpFrame(51000, 443, msg)).app).toMatchObject({ method: 'mining.subscribe' });
  });

  it('finds the method anywhere in the message, with blanks around the colon (eth-proxy)', () => {
    const msg =
      '{"worker": "eth1.0", "jsonrpc": "2.0", "params": ["0xabc/w1", "x"], "id": 2, "method" : "eth_submitLogin"}\n';
    expect(peekStratum(json(msg), 0, msg.length)).toEqual({
      kind: 'stratum',
      method: 'eth_submitLogin',
      request: true,
      requests: 1,
    });
  });

  it('counts every request message of a segment, and tells notifications from requests', () => {
    const msgs =
      '{"method":"submit","params":{"id":"1"},"id":1}\n{"method":"keepalived","id":2}\n{"id":3,"result":true}\n';
    expect((peekStratum(json(msgs), 0, msgs.length) as StratumInfo).requests).toBe(2);
    const notify = '{"id":null,"method":"mining.notify","params":["a"]}\n';
    expect(peekStratum(json(notify), 0, notify.length)).toEqual({
      kind: 'stratum',
      method: 'mining.notify',
      request: false,
      requests: 0,
    });
  });

  it('is not stratum: other JSON-RPC methods, answers without a method, a method cut off', () => {
    for (const text of [
      '{"id":1,"method":"set_power","params":["on"]}\n',
      '{"id":1,"result":true,"error":null}\n',
      '{"id":1,"method":"mining.subscr',
      '{"method":mining.subscribe}',
      '{',
    ]) {
      expect(peekStratum(json(text), 0, text.length)).toBeNull();
    }
  });

  it('mining.pcapng: every segment with a known method, as tshark shows the payloads', () => {
    if (!hasTshark()) return;
    const path = dataset('ndpi-tests/pcap/mining.pcapng');
    const rows = tsharkFields(path, ['tcp.payload'], 'tcp.len > 0');
    const known =
      /"method"\s*:\s*"(mining\.[a-z_.]+|login|submit|getjob|keepalived|job|eth_[A-Za-z]+)"/;
    const expected = new Map<number, string>();
    for (const [no, [hex]] of rows) {
      const text = Buffer.from(hex, 'hex').toString('latin1');
      const m = text.startsWith('{') ? known.exec(text) : null;
      if (m !== null) expected.set(no, m[1]);
    }
    const got = new Map<number, string>();
    for (const [no, app] of appsOf(path)) if (app.kind === 'stratum') got.set(no, app.method);
    expect(got.size).toBeGreaterThan(100);
    expect(got).toEqual(expected);
  });
});

/** NAT-PMP map request (RFC 6886 §3.3). */
function natpmpMap(op: number, internal: number, external: number, lifetime: number): Buffer {
  return bytes([0, op], u16(0), u16(internal), u16(external), u32(lifetime));
}

/** PCP MAP request (RFC 6887 §11.1) from IPv4 client `client`. */
function pcpMap(proto: number, internal: number, external: number, lifetime: number): Buffer {
  return bytes(
    [2, 1],
    u16(0),
    u32(lifetime),
    [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 168, 1, 23],
    Buffer.alloc(12, 7), // nonce
    [proto, 0, 0, 0],
    u16(internal),
    u16(external),
    Buffer.alloc(16),
  );
}

describe('NAT-PMP and PCP peeks (UDP 5351)', () => {
  it('reads a NAT-PMP map request and its response', () => {
    expect(decode(udpFrame(5350, 5351, natpmpMap(2, 22000, 20216, 3600))).app).toEqual({
      kind: 'natpmp',
      opcode: 2,
      isResponse: false,
      mapRequest: true,
      protocol: 'TCP',
      internalPort: 22000,
      externalPort: 20216,
      lifetimeS: 3600,
      client: '',
      result: 0,
    });
    const resp = bytes([0, 129], u16(0), u32(1234), u16(5000), u16(5001), u32(7200));
    expect(decode(udpFrame(5351, 5350, resp)).app).toMatchObject({
      kind: 'natpmp',
      opcode: 1,
      isResponse: true,
      protocol: 'UDP',
      internalPort: 5000,
      externalPort: 5001,
      lifetimeS: 7200,
    });
  });

  it('a NAT-PMP deletion (lifetime 0) and an address request are not map requests', () => {
    const del = peekNatPmp(natpmpMap(1, 8080, 0, 0), 0, 12) as PortControlInfo;
    expect([del.mapRequest, del.lifetimeS]).toEqual([false, 0]);
    expect(peekNatPmp(bytes([0, 0]), 0, 2)).toMatchObject({ opcode: 0, mapRequest: false });
    expect(peekNatPmp(natpmpMap(2, 1, 2, 3), 0, 11)).toBeNull(); // cut
    expect(peekNatPmp(bytes([0, 5]), 0, 2)).toBeNull(); // no such opcode
  });

  it('reads a PCP MAP request with its client address, protocol and ports', () => {
    expect(decode(udpFrame(5350, 5351, pcpMap(6, 554, 8554, 86400))).app).toEqual({
      kind: 'pcp',
      opcode: 1,
      isResponse: false,
      mapRequest: true,
      protocol: 'TCP',
      internalPort: 554,
      externalPort: 8554,
      lifetimeS: 86400,
      client: '192.168.1.23',
      result: 0,
    });
    const all = peekPcp(pcpMap(0, 1, 2, 60), 0, 60) as PortControlInfo;
    expect([all.protocol, all.mapRequest]).toEqual(['', true]);
    expect((peekPcp(pcpMap(17, 1, 2, 0), 0, 60) as PortControlInfo).mapRequest).toBe(false);
    // A PEER request (opcode 2) is read for its header only.
    const peer = pcpMap(6, 1, 2, 60);
    peer[1] = 2;
    expect(peekPcp(peer, 0, 60)).toMatchObject({ opcode: 2, mapRequest: false, internalPort: 0 });
    expect(peekPcp(pcpMap(6, 1, 2, 60), 0, 23)).toBeNull();
  });

  it('natpmp.pcap: the requests and responses tshark decodes, field for field', () => {
    if (!hasTshark()) return;
    const path = dataset('ndpi-tests/pcap/natpmp.pcap');
    const rows = tsharkFields(path, [
      'nat-pmp.opcode',
      'nat-pmp.internal_port',
      'nat-pmp.external_port',
      'nat-pmp.pml',
    ]);
    const apps = appsOf(path);
    expect(apps.size).toBe(rows.size);
    for (const [no, [op, internal, external, pml]] of rows) {
      const app = apps.get(no) as PortControlInfo;
      expect(app.kind).toBe('natpmp');
      expect(app.opcode + (app.isResponse ? 128 : 0)).toBe(Number(op));
      expect(app.internalPort).toBe(Number(internal || 0));
      expect(app.externalPort).toBe(Number(external || 0));
      expect(app.lifetimeS).toBe(Number(pml || 0));
    }
  });
});

const ENVELOPE = (action: string, args: string): string =>
  '<?xml version="1.0"?>\r\n<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" ' +
  's:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"><s:Body>' +
  `<u:${action} xmlns:u="urn:schemas-upnp-org:service:WANIPConnection:1">${args}</u:${action}>` +
  '</s:Body></s:Envelope>\r\n';
const ARGS =
  '<NewRemoteHost></NewRemoteHost><NewExternalPort>8554</NewExternalPort><NewProtocol>tcp</NewProtocol>' +
  '<NewInternalPort>554</NewInternalPort><NewInternalClient>192.168.1.23</NewInternalClient>' +
  '<NewEnabled>1</NewEnabled><NewPortMappingDescription>Cam\x01 RTSP</NewPortMappingDescription>' +
  '<NewLeaseDuration>0</NewLeaseDuration>';

function soapRequest(action: string, body: string): string {
  return (
    'POST /ctl/IPConn HTTP/1.1\r\nHost: 192.168.1.1:5000\r\n' +
    `SOAPAction: "urn:schemas-upnp-org:service:WANIPConnection:1#${action}"\r\n` +
    `Content-Type: text/xml\r\nContent-Length: ${body.length}\r\n\r\n${body}`
  );
}

describe('UPnP AddPortMapping arguments', () => {
  it('are read from a body in the header segment', () => {
    const req = soapRequest('AddPortMapping', ENVELOPE('AddPortMapping', ARGS));
    const info = decode(tcpFrame(40000, 5000, req)).app as HttpRequestInfo;
    expect(info.portMapping).toEqual({
      externalPort: 8554,
      protocol: 'TCP',
      internalPort: 554,
      internalClient: '192.168.1.23',
      leaseS: 0,
      description: 'Cam RTSP',
      found: ALL_ARGS,
    });
  });

  it('IGD2 AddAnyPortMapping too; DeletePortMapping and GetExternalIPAddress are no mappings', () => {
    const any = soapRequest('AddAnyPortMapping', ENVELOPE('AddAnyPortMapping', ARGS));
    expect((decode(tcpFrame(40000, 5000, any)).app as HttpRequestInfo).portMapping?.found).toBe(
      ALL_ARGS,
    );
    for (const action of ['DeletePortMapping', 'GetExternalIPAddress']) {
      const req = soapRequest(action, ENVELOPE(action, ARGS));
      expect((decode(tcpFrame(40000, 5000, req)).app as HttpRequestInfo).portMapping).toBe(
        undefined,
      );
    }
  });

  it('are read piecewise from later segments, with namespace prefixes, skipping what is cut', () => {
    const args = newPortMappingArgs();
    const part1 = json('<m:NewExternalPort>2222</m:NewExternalPort><NewProtocol>UD');
    readPortMappingArgs(part1, 0, part1.length, args);
    expect([args.externalPort, args.protocol]).toEqual([2222, '']);
    const part2 = json(
      'P</NewProtocol><NewInternalPort>22</NewInternalPort><NewInternalClient/><NewLeaseDuration>99999999999999999</NewLeaseDuration><NewExternalPort>70000</NewExternalPort>',
    );
    readPortMappingArgs(part2, 0, part2.length, args);
    expect(args).toMatchObject({ externalPort: 2222, internalPort: 22, internalClient: '' });
    expect(args.found).toBe(0b101); // external and internal port only
  });
});
