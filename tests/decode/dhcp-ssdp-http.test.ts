import { describe, expect, it } from 'vitest';
import { macToString } from '../../src/decode/addr.js';
import { peekDhcp } from '../../src/decode/app/dhcp.js';
import { peekHttp } from '../../src/decode/app/http.js';
import { peekSsdp } from '../../src/decode/app/ssdp.js';
import type {
  DhcpInfo,
  HttpRequestInfo,
  HttpResponseInfo,
  SsdpInfo,
} from '../../src/decode/app/types.js';
import { sniffBody } from '../../src/decode/index.js';
import {
  appsOf,
  bytes,
  captureFiles,
  dataset,
  decode,
  frames,
  hasTshark,
  tcpFrame,
  tsharkFields,
  udpFrame,
} from './helpers.js';

// ---- DHCP ---------------------------------------------------------------------------------

function dhcp(
  op: number,
  options: number[][],
  opts: { htype?: number; yiaddr?: number[] } = {},
): Buffer {
  const fixed = Buffer.alloc(236);
  fixed[0] = op;
  fixed[1] = opts.htype ?? 1;
  fixed[2] = 6;
  Buffer.from(opts.yiaddr ?? [0, 0, 0, 0]).copy(fixed, 16);
  Buffer.from([0x02, 0x11, 0x22, 0x33, 0x44, 0x55]).copy(fixed, 28);
  return bytes(fixed, [99, 130, 83, 99], ...options.map((o) => bytes(o)), [255]);
}

describe('DHCP peek', () => {
  it('reads op, chaddr, addresses and the options a detector needs', () => {
    const msg = dhcp(
      2,
      [
        [53, 1, 5],
        [0, 0],
        [12, 10, ...Buffer.from('Cam\x01era-1\x7f')],
        [60, 4, ...Buffer.from('udhc')],
        [50, 4, 192, 168, 1, 77],
        [54, 4, 192, 168, 1, 1],
        [3, 8, 192, 168, 1, 1, 192, 168, 1, 2],
        [6, 4, 1, 1, 1, 1],
      ],
      { yiaddr: [192, 168, 1, 77] },
    );
    const info = decode(udpFrame(67, 68, msg)).app as DhcpInfo;
    expect(info).toEqual({
      kind: 'dhcp',
      op: 2,
      messageType: 5,
      clientMac: 0x021122334455,
      clientIp: '',
      yourIp: '192.168.1.77',
      hostname: 'Camera-1',
      vendorClass: 'udhc',
      requestedIp: '192.168.1.77',
      serverId: '192.168.1.1',
      routers: ['192.168.1.1', '192.168.1.2'],
      dnsServers: ['1.1.1.1'],
    });
  });

  it('caps hostnames at 64 printable characters and stops at a cut option', () => {
    const long = dhcp(1, [[12, 100, ...Buffer.alloc(100, 0x41)]]);
    expect((peekDhcp(long, 0, long.length) as DhcpInfo).hostname).toBe('A'.repeat(64));
    const cut = dhcp(1, [
      [53, 1, 3],
      [12, 50, 0x41],
    ]).subarray(0, 247);
    const info = peekDhcp(cut, 0, cut.length) as DhcpInfo;
    expect([info.messageType, info.hostname]).toEqual([3, undefined]);
    expect(dhcp(1, [], { htype: 6 }).length).toBe(241);
    expect((peekDhcp(dhcp(1, [], { htype: 6 }), 0, 241) as DhcpInfo).clientMac).toBe(0);
    expect(peekDhcp(Buffer.alloc(200), 0, 200)).toBeNull();
  });

  it.skipIf(!hasTshark())(
    'agrees with tshark on every DHCP packet of the IoT Sentinel setups (Setup-A-1 of every device)',
    () => {
      const files = captureFiles('iot-sentinel').filter((p) => p.endsWith('Setup-A-1-STA.pcap'));
      let compared = 0;
      for (const path of files) {
        const rows = tsharkFields(
          path,
          [
            'dhcp.option.dhcp',
            'dhcp.hw.mac_addr',
            'dhcp.option.hostname',
            'dhcp.option.vendor_class_id',
          ],
          'dhcp && !icmp',
        );
        if (rows.size === 0) continue;
        const ours = appsOf(path);
        for (const [no, [type, mac, host, vendor]] of rows) {
          const info = ours.get(no) as DhcpInfo | undefined;
          const at = `${path} frame ${no}`;
          expect(info?.kind, at).toBe('dhcp');
          if (info === undefined) continue;
          expect(info.messageType, at).toBe(type === '' ? 0 : Number(type));
          expect(macToString(info.clientMac), at).toBe(mac);
          if (/^[\x20-\x7e]{0,64}$/.test(host)) expect(info.hostname ?? '', at).toBe(host.trim());
          if (/^[\x20-\x7e]{0,64}$/.test(vendor))
            expect(info.vendorClass ?? '', at).toBe(vendor.trim());
          compared++;
        }
      }
      expect(compared).toBeGreaterThan(20);
    },
  );
});

// ---- SSDP ---------------------------------------------------------------------------------

describe('SSDP peek', () => {
  it('M-SEARCH, NOTIFY and 200 responses with case-insensitive, trimmed, capped headers', () => {
    const search =
      'M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nst:   urn:schemas-upnp-org:service:WANIPConnection:1 \r\nMAN: "ssdp:discover"\r\nMX: 3\r\n\r\n';
    expect(decode(udpFrame(50000, 1900, search)).app).toEqual({
      kind: 'ssdp',
      method: 'M-SEARCH',
      st: 'urn:schemas-upnp-org:service:WANIPConnection:1',
    });
    const notify = `NOTIFY * HTTP/1.1\r\nNt: upnp:rootdevice\r\nNTS: ssdp:alive\r\nUSN: uuid:1::upnp:rootdevice\r\nLocation: http://192.168.1.5:49152/setup.xml\r\nSERVER: ${'x'.repeat(300)}\r\n\r\n`;
    const n = peekSsdp(Buffer.from(notify), 0, notify.length) as SsdpInfo;
    expect([n.method, n.nt, n.nts, n.usn, n.location]).toEqual([
      'NOTIFY',
      'upnp:rootdevice',
      'ssdp:alive',
      'uuid:1::upnp:rootdevice',
      'http://192.168.1.5:49152/setup.xml',
    ]);
    expect(n.server?.length).toBe(256);
    const ok = 'HTTP/1.1 200 OK\r\nST: upnp:rootdevice\r\nLOCATION: http://10.0.0.1/igd.xml';
    expect(peekSsdp(Buffer.from(ok), 0, ok.length)).toEqual({
      kind: 'ssdp',
      method: 'RESPONSE',
      st: 'upnp:rootdevice',
      location: 'http://10.0.0.1/igd.xml',
    });
    const other = 'HTTP/1.1 404 Not Found\r\n\r\n';
    expect(peekSsdp(Buffer.from(other), 0, other.length)).toBeNull();
    expect(decode(udpFrame(1900, 1900, 'garbage')).app).toBeNull();
  });

  it('real captures: D-Link camera searches for the IGD (INDEX.md), methods agree with tshark', () => {
    const path = dataset('iot-sentinel/captures_IoT-Sentinel/D-LinkCam/Setup-A-1-STA.pcap');
    const apps = [...appsOf(path).values()].filter((a): a is SsdpInfo => a.kind === 'ssdp');
    expect(
      apps.some(
        (a) => a.method === 'M-SEARCH' && a.st === 'urn:schemas-upnp-org:service:WANIPConnection:1',
      ),
    ).toBe(true);
    if (!hasTshark()) return;
    const ours = appsOf(path);
    const rows = tsharkFields(path, ['http.request.method', 'http.response.code'], 'ssdp');
    expect(rows.size).toBeGreaterThan(0);
    for (const [no, [method, code]] of rows) {
      const info = ours.get(no) as SsdpInfo | undefined;
      if (code !== '' && code !== '200') continue;
      expect(info?.method, `frame ${no}`).toBe(method === '' ? 'RESPONSE' : method);
    }
  });
});

// ---- HTTP ---------------------------------------------------------------------------------

describe('HTTP peek', () => {
  it('request line, headers, SOAPAction and body kind when the header end is captured', () => {
    const req =
      'POST /upnp/control/WANIPConn1 HTTP/1.1\r\nHOST: 192.168.1.1:5000\r\nSOAPACTION: "urn:schemas-upnp-org:service:WANIPConnection:1#AddPortMapping"\r\n' +
      'Content-Type: text/xml\r\nContent-Length: 42\r\nUser-Agent: miniupnpc\r\n\r\n<?xml version="1.0"?>';
    expect(decode(tcpFrame(40000, 5000, req)).app).toEqual({
      kind: 'http-request',
      method: 'POST',
      uri: '/upnp/control/WANIPConn1',
      version: 'HTTP/1.1',
      host: '192.168.1.1:5000',
      soapAction: 'urn:schemas-upnp-org:service:WANIPConnection:1#AddPortMapping',
      contentType: 'text/xml',
      contentLength: 42,
      userAgent: 'miniupnpc',
      body: 'other',
      // An AddPortMapping: its arguments are read from the body (none in this cut one yet).
      portMapping: {
        externalPort: 0,
        protocol: '',
        internalPort: 0,
        internalClient: '',
        leaseS: 0,
        description: '',
        found: 0,
      },
    });
  });

  it('responses and body magic numbers', () => {
    const resp = (body: Buffer): Buffer =>
      bytes(
        'HTTP/1.0 200 OK\r\nServer: nginx\r\nContent-Type: application/octet-stream\r\nContent-Length: 99\r\n\r\n',
        body,
      );
    const kinds = [
      [bytes([0x7f], 'ELF', [2, 1]), 'elf'],
      [bytes('MZ', [0x90, 0]), 'pe'],
      [bytes('#!/bin/sh\n'), 'script'],
      [bytes('PK', [3, 4, 20]), 'archive'],
      [bytes([0x1f, 0x8b, 8, 0]), 'archive'],
      [bytes('<html>'), 'other'],
      [bytes('<h'), undefined],
      [bytes(''), undefined],
    ] as const;
    for (const [body, kind] of kinds) {
      const r = resp(body);
      const info = peekHttp(r, 0, r.length) as HttpResponseInfo;
      expect([info.status, info.version, info.server, info.contentLength, info.body]).toEqual([
        200,
        'HTTP/1.0',
        'nginx',
        99,
        kind,
      ]);
    }
    expect(sniffBody(Buffer.from('MZ'), 0, 2)).toBe('pe');
    expect(sniffBody(Buffer.from('M'), 0, 1)).toBeUndefined();
    expect(sniffBody(Buffer.from('MZ'), 1, 2)).toBeUndefined(); // window beyond the buffer
  });

  it('header end as the last bytes: no body kind; cut headers still give the request line', () => {
    const r = 'GET /fw.bin HTTP/1.1\r\nHost: 1.2.3.4\r\n\r\n';
    const info = peekHttp(Buffer.from(r), 0, r.length) as HttpRequestInfo;
    expect([info.host, info.body]).toEqual(['1.2.3.4', undefined]);
    const cut = 'GET /a/very/long/path';
    expect(peekHttp(Buffer.from(cut), 0, cut.length)).toEqual({
      kind: 'http-request',
      method: 'GET',
      uri: '/a/very/long/path',
      version: '',
    });
    const long = `GET /${'a'.repeat(400)} HTTP/1.1\r\n\r\n`;
    expect((peekHttp(Buffer.from(long), 0, long.length) as HttpRequestInfo).uri.length).toBe(256);
  });

  it('rejects lookalikes: no version, lower-case methods, binary', () => {
    for (const text of [
      'GET /\r\n\r\n',
      'get / HTTP/1.1\r\n',
      'GETX / HTTP/1.1\r\n',
      'HTTP/1.1 abc\r\n',
      'POST / FTP/1.0\r\n',
    ]) {
      expect(peekHttp(Buffer.from(text), 0, text.length), text).toBeNull();
    }
    expect(decode(tcpFrame(1, 2, bytes([0x47, 0, 0, 0]))).app).toBeNull();
  });

  it('real downloads: PE over HTTP (ndpi exe_download.pcap) and ELF over raw TCP (ndpi elf.pcap)', () => {
    const exe = [...appsOf(dataset('ndpi-tests/pcap/exe_download.pcap')).values()];
    const resp = exe.find((a): a is HttpResponseInfo => a.kind === 'http-response');
    expect(resp?.body).toBe('pe');
    const req = exe.find((a): a is HttpRequestInfo => a.kind === 'http-request');
    expect(req?.host).toBe('144.91.69.195');
    const elf = frames('ndpi-tests/pcap/elf.pcap').map((f) => ({
      f,
      p: decode(f.data, f.linkType),
    }));
    const firstData = elf.find(({ p }) => p.ipProto === 6 && p.payloadCapLen > 0);
    expect(firstData).toBeDefined();
    if (firstData === undefined) return;
    expect(sniffBody(firstData.f.data, firstData.p.payloadOffset, firstData.p.payloadCapLen)).toBe(
      'elf',
    );
  });

  it('HNAP SOAP actions of the D-Link home hub (INDEX.md)', () => {
    const path = dataset('iot-sentinel/captures_IoT-Sentinel/D-LinkHomeHub/Setup-A-1-STA.pcap');
    const actions = [...appsOf(path).values()]
      .filter((a): a is HttpRequestInfo => a.kind === 'http-request')
      .map((a) => a.soapAction);
    expect(actions).toContain('http://purenetworks.com/HNAP1/Login');
    expect(actions).toContain('http://purenetworks.com/HNAP1/GetDeviceSettings');
  });

  const HTTP_FILES = [
    'iot-sentinel/captures_IoT-Sentinel/D-LinkHomeHub/Setup-A-1-STA.pcap',
    'zeek-traces/http/putty-upload.pcap',
    'ndpi-tests/pcap/exe_download_as_png.pcap',
    'zeek-traces/http/http-post-large.pcap',
    'ndpi-tests/pcap/emotet.pcap',
  ];
  for (const file of HTTP_FILES) {
    it.skipIf(!hasTshark())(`agrees with tshark: ${file}`, () => {
      const path = dataset(file);
      const rows = tsharkFields(
        path,
        [
          'http.request.method',
          'http.request.uri',
          'http.host',
          'http.response.code',
          'http.content_length_header',
        ],
        'http && tcp',
      );
      const ours = appsOf(path);
      let compared = 0;
      for (const [no, [method, uri, host, code, length]] of rows) {
        const info = ours.get(no);
        const at = `${file} frame ${no}`;
        if (method !== '') {
          expect(info?.kind, at).toBe('http-request');
          const r = info as HttpRequestInfo;
          expect([r.method, r.uri], at).toEqual([method, uri.slice(0, 256)]);
          if (host !== '') expect(r.host, at).toBe(host.toLowerCase());
          if (length !== '') expect(r.contentLength, at).toBe(Number(length));
          compared++;
        } else if (code !== '') {
          expect(info?.kind, at).toBe('http-response');
          const r = info as HttpResponseInfo;
          expect(r.status, at).toBe(Number(code));
          if (length !== '') expect(r.contentLength, at).toBe(Number(length));
          compared++;
        }
      }
      expect(compared).toBeGreaterThan(0);
    });
  }
});
