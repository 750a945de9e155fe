/**
 * The wire formats the scenarios write, each variant once, read back by tshark: DNS data
 * answers of every record type a tunnel uses and NXDOMAIN, NAT-PMP and PCP, SNMP, IPP,
 * the printer's mDNS services, an ELF header per architecture, stratum and xmrig lines.
 * Scenario draws pick only some of these in a given home; here all of them are on the wire.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyConn, type Conn } from '../../datasets/generator/frames.js';
import { PcapWriter } from '../../datasets/generator/pcap-writer.js';
import { writeDnsQuery } from '../../datasets/generator/protocols/dns.js';
import {
  QTYPE_CNAME,
  QTYPE_MX,
  QTYPE_NULL,
  QTYPE_TXT,
  writeDnsDataAnswer,
  writeDnsNxdomain,
} from '../../datasets/generator/protocols/dns-extra.js';
import { ELF_ARCHS, elfHead } from '../../datasets/generator/protocols/elf.js';
import { httpRequest, httpResponse } from '../../datasets/generator/protocols/http-message.js';
import {
  ippGetPrinterAttributes,
  ippPrinterAttributes,
} from '../../datasets/generator/protocols/ipp.js';
import { writeMdnsServices } from '../../datasets/generator/protocols/mdns-services.js';
import {
  PROTO_TCP,
  PROTO_UDP,
  natpmpMapRequest,
  natpmpMapResponse,
  pcpMapRequest,
  pcpMapResponse,
} from '../../datasets/generator/protocols/natpmp.js';
import {
  OID_MARKER_LEVEL,
  snmpGet,
  snmpResponse,
} from '../../datasets/generator/protocols/snmp.js';
import { StratumV1, XmrigLogin } from '../../datasets/generator/protocols/stratum.js';
import { Script, Steps, msg, sendUdp } from '../../datasets/generator/script.js';
import { Sim } from '../../datasets/generator/sim.js';
import { tsharkRows, type Row } from './tshark.js';

let dir: string;
let file: string;
const ZONE = 't.example42.net';

function conn(sim: Sim, port: number, lan = false): Conn {
  const d = sim.devices[0];
  const p = sim.devices[1];
  return {
    ...emptyConn(),
    macA: d.mac,
    macB: lan ? p.mac : sim.gatewayMac,
    ip4A: d.ip4,
    ip4B: lan ? p.ip4 : 0x5db8d822, // 93.184.216.34
    portA: sim.port(d),
    portB: port,
  };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hw-protocols-'));
  file = join(dir, 'wire.pcap');
  const w = new PcapWriter(file);
  const sim = new Sim(w, { devices: 2, concurrentFlows: 0, seed: 1, startUs: 1.7e15 });
  let t = 1000;
  const at = (): number => (t += 50_000);
  // DNS tunnel answers of each type, and NXDOMAIN.
  for (const qtype of [QTYPE_TXT, QTYPE_NULL, QTYPE_CNAME, QTYPE_MX, 1]) {
    const c = conn(sim, 53, true);
    const name = `${'a'.repeat(63)}.${'b'.repeat(40)}.${ZONE}`;
    sim.schedule(
      new Steps(at(), (s, i) => {
        const off = s.f.beginUdp(false);
        const data = Buffer.alloc(120, 0x41);
        const len =
          i === 0
            ? writeDnsQuery(s.buf, off, 7, name, qtype)
            : qtype === 1
              ? writeDnsNxdomain(s.buf, off, 7, name, qtype)
              : writeDnsDataAnswer(s.buf, off, 7, name, qtype, data, 'abc123', ZONE, 0);
        s.f.endUdp(s.epochUs(s.now), c, i === 0, len, len);
        return i === 0 ? 1000 : -1;
      }),
    );
  }
  // NAT-PMP map and PCP MAP, request and answer.
  const nonce = Buffer.alloc(12, 7);
  const pm = conn(sim, 5351, true);
  const pmp: Buffer[] = [
    natpmpMapRequest(PROTO_TCP, 8080, 41000, 7200),
    natpmpMapResponse(PROTO_TCP, 500, 8080, 41000, 7200),
    pcpMapRequest(sim.devices[0].ip4, nonce, PROTO_UDP, 5000, 42000, 3600),
    pcpMapResponse(nonce, PROTO_UDP, 501, 5000, 42000, 0x51020304, 3600),
  ];
  pmp.forEach((b, i) =>
    sim.schedule(
      new Steps(at(), (s) => {
        sendUdp(s, pm, i % 2 === 0, b);
        return -1;
      }),
    ),
  );
  // SNMP get and response.
  const sn = conn(sim, 161, true);
  [
    snmpGet('public', 99, [OID_MARKER_LEVEL]),
    snmpResponse('public', 99, [[OID_MARKER_LEVEL, 42]]),
  ].forEach((b, i) =>
    sim.schedule(
      new Steps(at(), (s) => {
        sendUdp(s, sn, i === 0, b);
        return -1;
      }),
    ),
  );
  // mDNS printer services.
  const md = { ...conn(sim, 5353), macB: 0x01005e0000fb, ip4B: 0xe00000fb, portA: 5353, ttlA: 255 };
  const ann = Buffer.alloc(2000);
  const n = writeMdnsServices(ann, 0, 'EPSON1A2B3C', sim.devices[0].ip4, 'EPSON ET-2850 Series', [
    { type: '_ipp._tcp', port: 631, txt: ['txtvers=1', 'rp=ipp/print'] },
    { type: '_printer._tcp', port: 515, txt: ['txtvers=1'] },
  ]);
  sim.schedule(
    new Steps(at(), (s) => {
      sendUdp(s, md, true, ann.subarray(0, n));
      return -1;
    }),
  );
  // IPP over HTTP.
  const req = ippGetPrinterAttributes(5, 'ipp://printer.local:631/ipp/print');
  const ans = ippPrinterAttributes(5, 3, [40, 50]);
  const head = httpRequest('POST', '/ipp/print', [
    ['Host', 'printer.local:631'],
    ['Content-Type', 'application/ipp'],
    ['Content-Length', String(req.length)],
  ]);
  const ipp = new Script(sim, at(), { conn: conn(sim, 631, true) });
  ipp.push(
    msg(true, Buffer.concat([Buffer.from(head, 'latin1'), req]), 0),
    msg(
      false,
      Buffer.concat([
        Buffer.from(
          httpResponse(200, 'OK', [['Content-Type', 'application/ipp']], ans.length),
          'latin1',
        ),
        ans,
      ]),
      1000,
    ),
  );
  sim.schedule(ipp);
  // An ELF download per architecture.
  for (const arch of ELF_ARCHS) {
    const size = 5000;
    const body = elfHead(arch, size);
    const resp = httpResponse(200, 'OK', [['Content-Type', 'application/x-executable']], size);
    const s = new Script(sim, at(), { conn: conn(sim, 80) });
    s.push(
      msg(true, httpRequest('GET', `/bins/x.${arch[0]}`, [['Host', '93.184.216.34']]), 0),
      msg(false, Buffer.concat([Buffer.from(resp, 'latin1'), body]), 1000, resp.length + size),
    );
    sim.schedule(s);
  }
  // Stratum and xmrig lines.
  for (const d of [new StratumV1(), new XmrigLogin()]) {
    const s = new Script(sim, at(), { conn: conn(sim, 4444) });
    s.push(
      msg(true, d.hello(sim.rng, 'agent/1.0', 'wallet', 'w1'), 0),
      msg(false, d.welcome(sim.rng, 1.7e9), 1000),
      msg(true, d.submit(sim.rng, 'w1', 1.7e9), 1000),
      msg(false, d.accepted(), 1000),
    );
    sim.schedule(s);
  }
  sim.runUntil(1e9, 1e9);
  w.close();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scenario wire formats, read by tshark', () => {
  it('has no malformed packet and no error-level expert info', () => {
    expect(
      tsharkRows(file, '_ws.malformed or _ws.expert.severity >= error', ['frame.number']),
    ).toEqual([]);
  });

  it('DNS: TXT, NULL, CNAME and MX answers carry the data; NXDOMAIN has rcode 3', () => {
    const rows = tsharkRows(file, 'dns.flags.response == 1', [
      'dns.qry.type',
      'dns.flags.rcode',
      'dns.txt',
      'dns.null',
      'dns.cname',
      'dns.mx.mail_exchange',
      'dns.resp.ttl',
    ]);
    const by = (t: string): Row => rows.find((x) => x['dns.qry.type'] === t) as Row;
    expect(by('16')['dns.txt']).toBe('A'.repeat(120));
    expect(by('10')['dns.null'].replace(/:/g, '')).toBe('41'.repeat(120));
    expect(by('5')['dns.cname']).toBe(`abc123.${ZONE}`);
    expect(by('15')['dns.mx.mail_exchange']).toBe(`abc123.${ZONE}`);
    expect(by('16')['dns.resp.ttl']).toBe('0');
    expect(by('1')['dns.flags.rcode']).toBe('3');
  });

  it('NAT-PMP and PCP: map requests and answers with their ports', () => {
    const nat = tsharkRows(file, 'nat-pmp', [
      'nat-pmp.opcode',
      'nat-pmp.internal_port',
      'nat-pmp.external_port',
    ]);
    expect(nat.map((x) => x['nat-pmp.opcode'])).toEqual(['2', '130']);
    expect(nat[1]['nat-pmp.external_port']).toBe('41000');
    const pcp = tsharkRows(file, 'portcontrol', [
      'portcontrol.r',
      'portcontrol.map.internal_port',
      'portcontrol.map.rsp_assigned_external_port',
      'portcontrol.map.rsp_assigned_ext_ip',
    ]);
    expect(pcp).toHaveLength(2);
    expect(pcp[0]['portcontrol.map.internal_port']).toBe('5000');
    expect(pcp[1]['portcontrol.map.rsp_assigned_external_port']).toBe('42000');
    expect(pcp[1]['portcontrol.map.rsp_assigned_ext_ip']).toBe('::ffff:81.2.3.4');
  });

  it('SNMP, IPP and the printer’s mDNS services decode', () => {
    const snmp = tsharkRows(file, 'snmp', ['snmp.name', 'snmp.value.int']);
    expect(snmp).toHaveLength(2);
    expect(snmp[1]['snmp.value.int']).toBe('42');
    const ipp = tsharkRows(file, 'ipp', ['ipp.operation_id', 'ipp.status_code']);
    expect(ipp.map((x) => x['ipp.operation_id'] || x['ipp.status_code'])).toEqual([
      '0x000b',
      '0x0000',
    ]);
    const srv = tsharkRows(file, 'mdns', ['dns.srv.port', 'dns.txt']);
    expect(srv[0]['dns.srv.port']).toBe('631|515');
    expect(srv[0]['dns.txt']).toContain('rp=ipp/print');
  });

  it('ELF: a header per architecture, with its machine', () => {
    const rows = tsharkRows(file, 'tcp.payload contains 7f:45:4c:46', ['tcp.payload']);
    expect(rows).toHaveLength(ELF_ARCHS.length);
    const machines = rows.map((x) => {
      const b = Buffer.from(x['tcp.payload'].replace(/:/g, ''), 'hex');
      const at = b.indexOf(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
      return b[at + 5] === 2 ? b.readUInt16BE(at + 18) : b.readUInt16LE(at + 18);
    });
    const sorted = (xs: number[]): number[] => [...xs].sort((a, b) => a - b);
    expect(sorted(machines)).toEqual(sorted(ELF_ARCHS.map(([, m]) => m)));
  });

  it('stratum and xmrig: one JSON object a line, with their methods', () => {
    const rows = tsharkRows(file, 'tcp.port == 4444 and tcp.len > 0', ['tcp.payload']);
    const lines = rows.flatMap((x) =>
      Buffer.from(x['tcp.payload'].replace(/:/g, ''), 'hex')
        .toString('latin1')
        .split('\n')
        .filter((l) => l),
    );
    const methods = lines
      .map((l) => (JSON.parse(l) as { method?: string }).method)
      .filter((m) => m);
    for (const m of [
      'mining.subscribe',
      'mining.authorize',
      'mining.set_difficulty',
      'mining.notify',
      'mining.submit',
      'login',
      'submit',
    ]) {
      expect(methods).toContain(m);
    }
  });
});
