/**
 * Features v2 and the window evidence on built frames: each behaviour's counters and the
 * evidence a detector gets beside the window record.
 */
import { describe, expect, it } from 'vitest';
import { who } from '../../src/alerts/who.js';
import { PACED_GAP_S } from '../../src/features/peers.js';
import { bytes, u16, u32 } from '../decode/helpers.js';
import {
  ACK,
  arp,
  DEV,
  DEV2,
  DEV2_IP,
  DEV_IP,
  dnsAnswer,
  dnsQuery,
  FIN_ACK,
  of,
  PSH_ACK,
  ROUTER,
  ROUTER_IP,
  RST,
  run,
  session,
  SYN,
  SYN_ACK,
  T0,
  tcpIn,
  tcpOut,
  type Timed,
  udpIn,
  udpOut,
} from './frames.js';

const CLOUD = [203, 0, 113, 5];
const BARE = [198, 51, 100, 7];

describe('peers', () => {
  it('names each peer by the DNS answer that gave its address, else by SNI/Host', () => {
    const w = run([
      [T0 + 1, udpOut(ROUTER_IP, 53, dnsQuery('cloud.example.com'))],
      [T0 + 1.01, udpIn(ROUTER_IP, 53, dnsAnswer('cloud.example.com', CLOUD))],
      [T0 + 2, tcpOut(CLOUD, 443, SYN)],
      [T0 + 2.01, tcpIn(CLOUD, 443, SYN_ACK)],
      [T0 + 2.02, tcpOut(CLOUD, 443, PSH_ACK, 'x'.repeat(100))],
      [T0 + 2.03, tcpIn(CLOUD, 443, PSH_ACK, 'y'.repeat(300))],
      [T0 + 3, tcpOut(BARE, 80, SYN, '', 40001)],
      [T0 + 3.01, tcpIn(BARE, 80, SYN_ACK, '', 40001)],
      [T0 + 3.02, tcpOut(BARE, 80, PSH_ACK, 'GET / HTTP/1.1\r\nHost: Bare.Example\r\n\r\n', 40001)],
      [T0 + 4, tcpOut(BARE, 22, SYN, '', 40002)],
      [T0 + 4.01, tcpIn(BARE, 22, RST | ACK, '', 40002)],
    ]);
    const peers = of(w)[0].evidence.peers;
    const by = (ip: string, port: number) => peers.find((p) => p.ip === ip && p.port === port);
    expect(by('203.0.113.5', 443)).toEqual({
      ip: '203.0.113.5',
      port: 443,
      proto: 6,
      local: false,
      mac: '',
      name: 'cloud.example.com',
      dnsAnswered: true,
      flows: 1,
      failed: 0,
      probes: 0,
      shortSessions: 0,
      bytesUp: 100,
      bytesDown: 300,
      packetsUp: 1,
      sizeCvUp: 0,
    });
    expect(by('198.51.100.7', 80)).toMatchObject({ name: 'bare.example', dnsAnswered: false });
    expect(by('198.51.100.7', 22)).toMatchObject({ flows: 1, failed: 1 });
    expect(by('192.168.1.1', 53)).toMatchObject({ local: true, proto: 17, flows: 1 });
    expect(of(w)[0].evidence.dnsNames).toEqual(['cloud.example.com']);
  });

  it('names a LAN peer by the device at its address, an unheld LAN address by none', () => {
    const lamp = { peerMac: DEV2 };
    const empty = [192, 168, 1, 77];
    const w = run([
      // DEV2 speaks first: its address is a device's.
      [T0 + 1, arp(2, DEV2, DEV2_IP, ROUTER_IP)],
      [T0 + 2, tcpOut(DEV2_IP, 80, SYN, '', 40001, lamp)],
      [T0 + 2.01, tcpIn(DEV2_IP, 80, SYN_ACK, '', 40001, lamp)],
      [T0 + 3, tcpOut(empty, 80, SYN, '', 40002)],
    ]);
    const peers = of(w)[0].evidence.peers;
    expect(peers.find((p) => p.ip === '192.168.1.11')).toMatchObject({
      local: true,
      mac: '02:11:22:33:44:66',
    });
    expect(peers.find((p) => p.ip === '192.168.1.77')).toMatchObject({ local: true, mac: '' });
  });

  it('counts short sessions per service: closed, answered, little payload, quick', () => {
    const telnet = [192, 168, 1, 20];
    const frames: Timed[] = [];
    for (let i = 0; i < 5; i++)
      frames.push(
        ...session(T0 + 1 + i * 2, telnet, 23, 41000 + i, 'admin\r\n', 'Login incorrect\r\n'),
      );
    // Not short: a long session, a big one, one the server never spoke in.
    frames.push(...session(T0 + 12, telnet, 23, 42000, 'a', 'b', 40));
    frames.push(...session(T0 + 14, telnet, 23, 42001, 'a'.repeat(5000), 'b'));
    frames.push(...session(T0 + 16, telnet, 23, 42002, 'a', ''));
    // Another service: one short session.
    frames.push(...session(T0 + 18, telnet, 21, 43000, 'USER x\r\n', '530\r\n'));
    const w = of(run(frames.sort((a, b) => a[0] - b[0])));
    expect(w[0].record.features.shortSessionsMax).toBe(5);
    const peer = w[0].evidence.peers.find((p) => p.port === 23);
    expect(peer).toMatchObject({ flows: 8, shortSessions: 5, local: true });
  });
});

describe('HTTP responses', () => {
  const SERVER = [203, 0, 113, 9];
  const get = (t: number, path: string, sport: number, host = '203.0.113.9'): Timed[] => [
    [t, tcpOut(SERVER, 80, SYN, '', sport)],
    [t + 0.01, tcpIn(SERVER, 80, SYN_ACK, '', sport)],
    [t + 0.02, tcpOut(SERVER, 80, PSH_ACK, `GET ${path} HTTP/1.1\r\nHost: ${host}\r\n\r\n`, sport)],
  ];
  const resp = (status: string, type: string, body = ''): string =>
    `HTTP/1.1 ${status}\r\nContent-Type: ${type}\r\nContent-Length: 99\r\n\r\n${body}`;

  it('an executable body in the segment after the header: magic, with the request it answers', () => {
    const w = of(
      run([
        ...get(T0 + 1, '/x/payload?id=1', 40000),
        [T0 + 1.1, tcpIn(SERVER, 80, PSH_ACK, resp('200 OK', 'text/plain'), 40000)],
        [T0 + 1.2, tcpIn(SERVER, 80, PSH_ACK, bytes([0x7f], 'ELF', [2, 1, 1]), 40000)],
      ]),
    );
    expect(w[0].record.features.opaqueDownloads).toBe(1);
    expect(w[0].record.features.executableDownloads).toBe(1);
    expect(w[0].evidence.downloads).toEqual([
      {
        ts: T0 + 1.2,
        ip: '203.0.113.9',
        port: 80,
        host: '203.0.113.9',
        bareIp: true,
        uri: '/x/payload?id=1',
        status: 200,
        contentType: 'text/plain',
        magic: 'elf',
        reason: 'magic',
      },
    ]);
  });

  it('an opaque content type or a program path counts; HEAD, 304 and ordinary pages do not', () => {
    const w = of(
      run([
        ...get(T0 + 1, '/update', 40000, 'cdn.example.com'),
        [
          T0 + 1.1,
          tcpIn(
            SERVER,
            80,
            PSH_ACK,
            resp('200 OK', 'application/octet-stream', '\x00\x01\x02\x03'),
            40000,
          ),
        ],
        ...get(T0 + 2, '/bins/x.arm7?v=2', 40001),
        [T0 + 2.1, tcpIn(SERVER, 80, PSH_ACK, resp('200 OK', 'text/html', 'hello'), 40001)],
        ...get(T0 + 3, '/index.html', 40002),
        [T0 + 3.1, tcpIn(SERVER, 80, PSH_ACK, resp('200 OK', 'text/html', '<html>'), 40002)],
        ...get(T0 + 4, '/tool.exe', 40003),
        [
          T0 + 4.1,
          tcpIn(SERVER, 80, PSH_ACK, resp('304 Not Modified', 'application/x-msdownload'), 40003),
        ],
        [T0 + 5, tcpOut(SERVER, 80, PSH_ACK, 'HEAD /setup.exe HTTP/1.1\r\nHost: a\r\n\r\n', 40003)],
        [T0 + 5.1, tcpIn(SERVER, 80, PSH_ACK, resp('200 OK', 'application/x-msdownload'), 40003)],
      ]),
    );
    expect(w[0].record.features.opaqueDownloads).toBe(2);
    expect(w[0].record.features.executableDownloads).toBe(0);
    expect(
      w[0].evidence.downloads.map((d) => [d.reason, d.host, d.bareIp, d.uri, d.magic]),
    ).toEqual([
      ['content-type', 'cdn.example.com', false, '/update', 'binary'],
      ['path', '203.0.113.9', true, '/bins/x.arm7?v=2', 'other'],
    ]);
  });

  it('401 and 403 responses are auth failures, per server with its request count', () => {
    const frames: Timed[] = [...get(T0 + 1, '/login', 40000, 'router.lan')];
    frames.push([
      T0 + 1.1,
      tcpIn(SERVER, 80, PSH_ACK, resp('401 Unauthorized', 'text/html'), 40000),
    ]);
    for (let i = 0; i < 3; i++) {
      const t = T0 + 2 + i;
      frames.push([
        t,
        tcpOut(SERVER, 80, PSH_ACK, 'GET /login HTTP/1.1\r\nHost: router.lan\r\n\r\n', 40000),
      ]);
      frames.push([
        t + 0.1,
        tcpIn(SERVER, 80, PSH_ACK, resp(i < 2 ? '403 Forbidden' : '200 OK', 'text/html'), 40000),
      ]);
    }
    const w = of(run(frames));
    expect(w[0].record.features.httpAuthFailures).toBe(3);
    expect(w[0].evidence.httpAuth).toEqual([
      { ip: '203.0.113.9', port: 80, host: 'router.lan', requests: 4, failures: 3 },
    ]);
  });
});

describe('port mappings', () => {
  const soap = (action: string, args: string): [string, string] => {
    const body =
      '<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>' +
      `<u:${action} xmlns:u="urn:schemas-upnp-org:service:WANIPConnection:1">${args}</u:${action}></s:Body></s:Envelope>`;
    const head =
      `POST /ctl/IPConn HTTP/1.1\r\nHost: 192.168.1.1:5000\r\nContent-Length: ${body.length}\r\n` +
      `SOAPAction: "urn:schemas-upnp-org:service:WANIPConnection:1#${action}"\r\n\r\n`;
    return [head, body];
  };
  const ARGS =
    '<NewRemoteHost></NewRemoteHost><NewExternalPort>8080</NewExternalPort><NewProtocol>TCP</NewProtocol>' +
    '<NewInternalPort>80</NewInternalPort><NewInternalClient>192.168.1.10</NewInternalClient>' +
    '<NewEnabled>1</NewEnabled><NewPortMappingDescription>vacuum</NewPortMappingDescription>' +
    '<NewLeaseDuration>3600</NewLeaseDuration>';

  it('UPnP AddPortMapping with its SOAP body in the next segment; DeletePortMapping is none', () => {
    const [head, body] = soap('AddPortMapping', ARGS);
    const [dhead, dbody] = soap('DeletePortMapping', ARGS);
    const w = of(
      run([
        [T0 + 1, tcpOut(ROUTER_IP, 5000, SYN, '', 40000, { peerMac: ROUTER })],
        [T0 + 1.01, tcpIn(ROUTER_IP, 5000, SYN_ACK, '', 40000)],
        [T0 + 1.02, tcpOut(ROUTER_IP, 5000, PSH_ACK, head)],
        [T0 + 1.03, tcpOut(ROUTER_IP, 5000, PSH_ACK, body)],
        [T0 + 2, tcpOut(ROUTER_IP, 5000, PSH_ACK, dhead + dbody)],
      ]),
    );
    expect(w[0].record.features.upnpPortMappings).toBe(1);
    expect(w[0].evidence.portMappings).toEqual([
      {
        ts: T0 + 1.02,
        via: 'upnp',
        protocol: 'TCP',
        externalPort: 8080,
        internalPort: 80,
        internalClient: '192.168.1.10',
        router: '192.168.1.1',
        lifetimeS: 3600,
        description: 'vacuum',
        count: 1,
      },
    ]);
  });

  it('NAT-PMP map requests, retransmissions counted on one entry; a deletion is none', () => {
    const map = (ext: number, life: number): Buffer =>
      bytes([0, 2], u16(0), u16(22000), u16(ext), u32(life));
    const w = of(
      run([
        [T0 + 1, udpOut(ROUTER_IP, 5351, map(20216, 3600), 5350)],
        [T0 + 1.25, udpOut(ROUTER_IP, 5351, map(20216, 3600), 5350)],
        [T0 + 2, udpOut(ROUTER_IP, 5351, map(20216, 0), 5350)],
      ]),
    );
    expect(w[0].record.features.portMapRequests).toBe(2);
    expect(w[0].evidence.portMappings).toEqual([
      {
        ts: T0 + 1,
        via: 'natpmp',
        protocol: 'TCP',
        externalPort: 20216,
        internalPort: 22000,
        internalClient: '',
        router: '192.168.1.1',
        lifetimeS: 3600,
        description: '',
        count: 2,
      },
    ]);
  });
});

describe('stratum', () => {
  it('counts the requests sent, one evidence entry per pool and method', () => {
    const POOL = [94, 23, 199, 191];
    const w = of(
      run([
        [T0 + 1, tcpOut(POOL, 3333, SYN)],
        [T0 + 1.01, tcpIn(POOL, 3333, SYN_ACK)],
        [
          T0 + 1.02,
          tcpOut(POOL, 3333, PSH_ACK, '{"id":1,"method":"mining.subscribe","params":[]}\n'),
        ],
        [
          T0 + 1.03,
          tcpIn(POOL, 3333, PSH_ACK, '{"id":null,"method":"mining.notify","params":[]}\n'),
        ],
        [
          T0 + 2,
          tcpOut(
            POOL,
            3333,
            PSH_ACK,
            '{"id":4,"method":"mining.submit"}\n{"id":5,"method":"mining.submit"}\n',
          ),
        ],
        [T0 + 3, tcpOut(POOL, 3333, PSH_ACK, '{"id":6,"method":"mining.submit"}\n')],
      ]),
    );
    expect(w[0].record.features.stratumMessages).toBe(4);
    expect(w[0].evidence.stratum).toEqual([
      {
        ts: T0 + 1.02,
        ip: '94.23.199.191',
        port: 3333,
        name: '',
        method: 'mining.subscribe',
        count: 1,
      },
      { ts: T0 + 2, ip: '94.23.199.191', port: 3333, name: '', method: 'mining.submit', count: 3 },
    ]);
  });
});

describe('DNS shape', () => {
  it('TXT/NULL queries, the longest label, the entropy of the part left of the domain', () => {
    const label = 'a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6q7r8s9'; // 38 octets, 26 distinct
    const w = of(
      run([
        [T0 + 1, udpOut(ROUTER_IP, 53, dnsQuery(`${label}.t.example.co.uk`, 16, 1))],
        [T0 + 2, udpOut(ROUTER_IP, 53, dnsQuery('www.example.co.uk', 1, 2))],
        [T0 + 3, udpOut(ROUTER_IP, 53, dnsQuery('x.t.example.co.uk', 10, 3))],
        [T0 + 4, udpOut(ROUTER_IP, 53, dnsQuery('qwkzjv.com', 1, 4))],
        [T0 + 4.1, udpIn(ROUTER_IP, 53, dnsAnswer('qwkzjv.com', undefined, 4))],
      ]),
    );
    const f = w[0].record.features;
    expect(f.dnsTxtNullQueries).toBe(2);
    expect(f.dnsLongestLabel).toBe(38);
    // The part left of example.co.uk is `<label>.t`: its entropy over `<label>t`, dots removed.
    const sub = `${label}t`;
    const counts = new Map<string, number>();
    for (const ch of sub) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    let h = 0;
    for (const n of counts.values()) h -= (n / sub.length) * Math.log2(n / sub.length);
    expect(f.dnsMaxEntropy).toBeCloseTo(h, 5);
    const dns = w[0].evidence.dns;
    expect(dns[0]).toMatchObject({
      domain: 'example.co.uk',
      queries: 3,
      names: 3,
      txtNull: 2,
      longestLabel: 38,
    });
    expect(dns[1]).toMatchObject({ domain: 'qwkzjv.com', queries: 1, nxdomain: 1, maxEntropy: 0 });
    expect(w[0].evidence.nxNames).toEqual(['qwkzjv.com']);
  });
});

describe('ARP claims', () => {
  const INTERNET = [198, 51, 100, 1];
  it('another device announcing an address in use, or the gateway\u2019s, is a claim', () => {
    const frames: Timed[] = [];
    // The router forwards internet traffic (so it becomes the gateway) and answers DNS.
    for (let i = 0; i < 6; i++) {
      frames.push([T0 + 1 + i * 0.01, tcpOut(INTERNET, 443, SYN, '', 40000 + i)]);
      frames.push([T0 + 1.005 + i * 0.01, tcpIn(INTERNET, 443, SYN_ACK, '', 40000 + i)]);
    }
    frames.push(
      [T0 + 1.2, udpIn(ROUTER_IP, 53, dnsAnswer('a.example', [1, 2, 3, 4]))],
      // DEV2 announces its own address: no claim.
      [T0 + 2, arp(2, DEV2, DEV2_IP, ROUTER_IP)],
      // DEV2 claims DEV's address and the gateway's, twice each.
      [T0 + 3, arp(2, DEV2, DEV_IP, ROUTER_IP)],
      [T0 + 4, arp(2, DEV2, ROUTER_IP, DEV_IP)],
      [T0 + 5, arp(2, DEV2, DEV_IP, ROUTER_IP)],
      [T0 + 5, arp(1, DEV2, ROUTER_IP, DEV_IP)],
    );
    const w = of(run(frames), DEV2);
    expect(w[0].record.features.arpClaims).toBe(4);
    expect(w[0].evidence.arpClaims).toEqual([
      {
        ts: T0 + 3,
        ip: '192.168.1.10',
        ownerMac: '02:11:22:33:44:55',
        ownerIsGateway: false,
        count: 2,
      },
      {
        ts: T0 + 4,
        ip: '192.168.1.1',
        ownerMac: 'a0:b1:c2:d3:e4:f5',
        ownerIsGateway: true,
        count: 2,
      },
    ]);
  });

  it('a man in the middle keeps its own address: what it forwards or answers ARP for adds none', () => {
    const frames: Timed[] = [];
    // The router forwards internet traffic (so it becomes the gateway) and answers DNS.
    for (let i = 0; i < 6; i++) {
      frames.push([T0 + 1 + i * 0.01, tcpOut(INTERNET, 443, SYN, '', 40000 + i)]);
      frames.push([T0 + 1.005 + i * 0.01, tcpIn(INTERNET, 443, SYN_ACK, '', 40000 + i)]);
    }
    const mitm = { mac: DEV2, ip: DEV2_IP };
    frames.push(
      [T0 + 1.2, udpIn(ROUTER_IP, 53, dnsAnswer('a.example', [1, 2, 3, 4]))],
      // DEV2 uses its own address, then poisons DEV's cache (the gateway's address is DEV2's)
      // and the router's (DEV's address is DEV2's).
      [T0 + 2, tcpOut(INTERNET, 443, SYN, '', 41000, mitm)],
      [T0 + 3, arp(2, DEV2, ROUTER_IP, DEV_IP)],
      [T0 + 3.001, arp(2, DEV2, DEV_IP, ROUTER_IP)],
    );
    // From then on DEV2 forwards: DEV's packets to the internet and the router's to DEV, under
    // their addresses, and keeps answering ARP for both.
    for (let i = 0; i < 5; i++) {
      const t = T0 + 4 + i;
      frames.push(
        [t, tcpOut(INTERNET, 443, PSH_ACK, 'x', 40000, { mac: DEV2, ip: DEV_IP })],
        [t + 0.1, tcpIn(ROUTER_IP, 80, PSH_ACK, 'y', 40020, { peerMac: DEV2 })],
        [t + 0.2, arp(2, DEV2, ROUTER_IP, DEV_IP)],
        [t + 0.3, arp(2, DEV2, DEV_IP, ROUTER_IP)],
      );
    }
    frames.push([T0 + 10, tcpOut(INTERNET, 443, ACK, '', 41000, mitm)]);
    const w = run(frames);
    const spoofer = of(w, DEV2)[0];
    expect(spoofer.record.features.arpClaims).toBeGreaterThan(0);
    expect(spoofer.device.ipList()).toEqual(['192.168.1.11']);
    expect(who(spoofer.device)).toMatch(/\(192\.168\.1\.11\)$/);
    // The others keep theirs.
    expect(of(w, DEV)[0].device.ipList()).toEqual(['192.168.1.10']);
    expect(of(w, ROUTER)[0].device.ipList()).toEqual(['192.168.1.1']);
  });

  it('an address whose owner has been silent for minutes can change hands (DHCP)', () => {
    const w = run([
      [T0 + 1, tcpOut([198, 51, 100, 1], 443, SYN)],
      // DEV leaves; ten minutes later DEV2 is given its address and announces it.
      [T0 + 601, arp(1, DEV2, DEV_IP, ROUTER_IP)],
      [T0 + 602, tcpOut([198, 51, 100, 1], 443, SYN, '', 40001, { mac: DEV2, ip: DEV_IP })],
      [T0 + 603, arp(2, DEV2, DEV_IP, ROUTER_IP)],
    ]);
    for (const x of of(w, DEV2)) expect(x.record.features.arpClaims).toBe(0);
    expect(of(w, DEV2).length).toBeGreaterThan(0);
  });

  it('a quiet device whose address was taken is no suspect when it announces it again', () => {
    const w = run([
      [T0 + 1, tcpOut([198, 51, 100, 1], 443, SYN)],
      // DEV is quiet for ten minutes; DEV2 takes its address and uses it.
      [T0 + 601, arp(2, DEV2, DEV_IP, ROUTER_IP)],
      [T0 + 602, tcpOut([198, 51, 100, 1], 443, SYN, '', 40001, { mac: DEV2, ip: DEV_IP })],
      // DEV answers ARP for its own address again: the victim, not a man in the middle.
      [T0 + 700, arp(2, DEV, DEV_IP, ROUTER_IP)],
      [T0 + 760, arp(2, DEV, DEV_IP, ROUTER_IP)],
    ]);
    for (const x of [...of(w, DEV), ...of(w, DEV2)]) expect(x.record.features.arpClaims).toBe(0);
    expect(of(w, DEV).length).toBeGreaterThan(1);
  });
});

describe('inbound and upload', () => {
  it('an inbound connection, accepted, with the remote address and the device port', () => {
    const w = of(
      run([
        [T0 + 1, tcpOut(CLOUD, 443, SYN)],
        // From BARE's port 51000 to the device's port 8080, answered; then to its port 23.
        [T0 + 2, tcpIn(BARE, 51000, SYN, '', 8080)],
        [T0 + 2.01, tcpOut(BARE, 51000, SYN_ACK, '', 8080)],
        [T0 + 3, tcpIn(BARE, 51001, SYN, '', 23)],
      ]),
    );
    expect(w[0].evidence.inbound).toEqual([
      { ts: T0 + 2, ip: '198.51.100.7', port: 8080, proto: 6, accepted: true },
      { ts: T0 + 3, ip: '198.51.100.7', port: 23, proto: 6, accepted: false },
    ]);
  });

  it('the biggest upload and its shape: constant bitrate has CVs near 0', () => {
    const frames: Timed[] = [
      [T0 + 1, tcpOut(CLOUD, 443, SYN)],
      [T0 + 1.01, tcpIn(CLOUD, 443, SYN_ACK)],
    ];
    for (let i = 0; i < 100; i++)
      frames.push([T0 + 2 + i * 0.2, tcpOut(CLOUD, 443, PSH_ACK, 'v'.repeat(1000))]);
    frames.push([T0 + 30, tcpOut(BARE, 80, PSH_ACK, 'x'.repeat(500), 40001)]);
    const up = of(run(frames))[0].evidence.upload;
    expect(up).toMatchObject({ ip: '203.0.113.5', port: 443, bytes: 100_000, packets: 100 });
    expect(up?.durationS).toBeCloseTo(19.8, 6);
    expect(up?.sizeCv).toBe(0);
    expect(up?.gapCv).toBeLessThan(1e-6);
    expect(up?.pacedS).toBeCloseTo(19.8, 6);
  });

  it('a paced upload: chunks to one peer, over any of its connections, until a longer pause', () => {
    const g = PACED_GAP_S * 0.8;
    const frames: Timed[] = [];
    const chunk = (t: number, port: number) =>
      frames.push([t, tcpOut(CLOUD, 443, PSH_ACK, 'c'.repeat(1400), port)]);
    // Five chunks g apart, on two connections in turn; a pause past PACED_GAP_S; two more.
    for (let i = 0; i < 5; i++) chunk(T0 + 2 + i * g, 40001 + (i % 2));
    const after = T0 + 2 + 4 * g + PACED_GAP_S + 1;
    chunk(after, 40001);
    chunk(after + g, 40002);
    const w = of(run(frames))[0];
    expect(w.evidence.upload).toMatchObject({ bytes: 7 * 1400, packets: 7 });
    expect(w.evidence.upload?.pacedS).toBeCloseTo(4 * g, 6);
    // Each chunk alone is no continuous upload.
    expect(w.record.features.uploadLongestS).toBe(0);
  });
});

describe('beacon evidence', () => {
  it('lists the endpoints contacted at regular intervals with their timing and size', () => {
    const frames: Timed[] = [];
    for (let i = 0; i < 10; i++) {
      const t = T0 + 1 + i * 5;
      frames.push([t, tcpOut(CLOUD, 8883, SYN, '', 40000 + i)]);
      frames.push([t + 0.01, tcpIn(CLOUD, 8883, SYN_ACK, '', 40000 + i)]);
      frames.push([t + 0.02, tcpOut(CLOUD, 8883, PSH_ACK, 'k'.repeat(64), 40000 + i)]);
      frames.push([t + 0.03, tcpOut(CLOUD, 8883, FIN_ACK, '', 40000 + i)]);
    }
    const w = of(run(frames))[0];
    expect(w.record.features.beaconContacts).toBe(10);
    expect(w.evidence.beacons).toEqual([
      {
        ip: '203.0.113.5',
        port: 8883,
        name: '',
        dnsAnswered: false,
        score: 1,
        sizeScore: 1,
        periodS: 5,
        jitterS: 0,
        contacts: 10,
        firstContact: T0 + 1,
        lastContact: T0 + 46,
        bytesPerContact: 64,
      },
    ]);
  });
});

describe('window evidence lists', () => {
  it('start empty in every window', () => {
    const w = of(
      run([
        [T0 + 1, udpOut(ROUTER_IP, 53, dnsQuery('qwkzjv.com'))],
        [T0 + 1.1, udpIn(ROUTER_IP, 53, dnsAnswer('qwkzjv.com'))],
        [T0 + 61, tcpOut(CLOUD, 443, SYN)],
      ]),
    );
    expect(w.map((x) => x.evidence.nxNames.length)).toEqual([1, 0]);
    expect(w[1].evidence.dns).toEqual([]);
    expect(w[1].evidence.dropped).toBe(0);
  });
});
