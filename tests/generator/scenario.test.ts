/**
 * Labelled scenarios: every injected behaviour (each variant once, in one home) is on the
 * wire as its label says — right device, right times, the protocol details a decoder
 * reads — and the labels file is DESIGN.md's format, inside the capture. tshark is the
 * oracle; the generator's own record of what it drew (`injected[].detail`) says what to
 * look for.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS, generate, type GenerateResult } from '../../datasets/generator/generate.js';
import { BEHAVIOURS, type LabelEvent } from '../../datasets/generator/labels.js';
import { parseInject, parseMix } from '../../datasets/generator/mix.js';
import {
  ipNumber,
  ipText,
  macText,
  payloadText,
  tsharkRows,
  tsUs,
  SEP,
  type Row,
} from './tshark.js';

const START_S = DEFAULTS.startS;
const HOURS = 3.5;
const EVERY_VARIANT =
  'new_device,beaconing:host,beaconing:ip,abnormal_upload:cloud,abnormal_upload:new-host,' +
  'scan:telnet,scan:telnet+lan,upnp_exposure:soap,inbound_exposure,upnp_exposure:natpmp,' +
  'upnp_exposure:pcp,malware_download:elf,malware_download:script,malware_download:opaque,' +
  'dns_anomaly:tunnel,dns_anomaly:dga,crypto_mining:stratum,crypto_mining:xmrig,' +
  'brute_force:router-http,brute_force:telnet,brute_force:ssh,lateral_movement:ports,' +
  'lateral_movement:arp';
const MIX = 'camera,plug:2,hub:2,tv,laptop,phone,speaker,toy,vacuum,lock,printer,thermostat';

const FIELDS = [
  'frame.time_epoch',
  'eth.src',
  'eth.dst',
  'ip.src',
  'ip.dst',
  'tcp.srcport',
  'tcp.dstport',
  'udp.srcport',
  'udp.dstport',
  'tcp.flags',
  'tcp.seq_raw',
  'tcp.len',
  'arp.opcode',
  'arp.src.proto_ipv4',
  'arp.dst.proto_ipv4',
  'dns.qry.name',
  'dns.qry.type',
  'dns.flags.response',
  'dns.flags.rcode',
  'dns.a',
  'dhcp.option.dhcp',
  'http.request.method',
  'http.request.uri',
  'http.response.code',
  'http.content_type',
  'http.authorization',
  'http.request.line',
  'ssdp',
  'nat-pmp.opcode',
  'nat-pmp.internal_port',
  'nat-pmp.external_port',
  'portcontrol.opcode',
  'portcontrol.r',
  'portcontrol.map.internal_port',
  'portcontrol.map.req_sug_external_port',
  'portcontrol.map.rsp_assigned_external_port',
  'ssh.protocol',
  'rtsp.method',
  'mqtt.msgtype',
  'telnet.data',
];

let dir: string;
let file: string;
let labelsFile: string;
let r: GenerateResult;
/** Every frame but TLS application data and bare ACKs: what the tests look at. */
let rows: Row[];
/** Frames whose payload carries what the tests read in clear (stratum, ELF, prompts). */
let payloads: Row[];

function ev(variant: string, behaviour: string): LabelEvent {
  const e = r.injected.find((x) => x.variant === variant && x.behaviours[0] === behaviour);
  if (e === undefined) throw new Error(`no ${behaviour}:${variant} event`);
  return e;
}

function within(row: Row, e: LabelEvent): boolean {
  const t = tsUs(row);
  return t >= e.firstUs && t <= e.lastUs;
}

function from(e: LabelEvent): (row: Row) => boolean {
  const mac = macText(e.mac);
  return (row) => row['eth.src'] === mac;
}

function ipOf(e: LabelEvent): string {
  const d = r.devices.find((x) => x.mac === e.mac);
  if (d === undefined) throw new Error('no device');
  return ipText(d.ip4);
}

const SYN = (row: Row): boolean => row['tcp.flags'] === '0x0002';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hw-scenario-'));
  file = join(dir, 'home.pcap');
  labelsFile = join(dir, 'home.json');
  r = generate({
    ...DEFAULTS,
    out: file,
    seed: 21,
    hours: HOURS,
    mix: parseMix(MIX),
    inject: parseInject(EVERY_VARIANT),
    labels: labelsFile,
  });
  rows = tsharkRows(
    file,
    'not tls.app_data and not (tcp.flags == 0x010 and tcp.len == 0) and not quic',
    FIELDS,
  );
  payloads = tsharkRows(
    file,
    'tcp.payload contains "\\"method\\"" or tcp.payload contains 7f:45:4c:46 or ' +
      'tcp.payload contains "Login incorrect" or tcp.payload contains "#!/bin/sh"',
    ['frame.time_epoch', 'eth.src', 'ip.src', 'ip.dst', 'tcp.dstport', 'tcp.payload'],
  );
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('an injected scenario', () => {
  it('injects every variant it was asked for, each on one device after the learning period', () => {
    expect(r.injected).toHaveLength(EVERY_VARIANT.split(',').length);
    for (const e of r.injected) {
      expect(e.frames, `${e.behaviours[0]}:${e.variant}`).toBeGreaterThan(0);
      expect(e.firstUs - START_S * 1e6).toBeGreaterThanOrEqual(5400e6);
      // 600 s before the end, give or take the last connection's teardown.
      expect(e.lastUs).toBeLessThanOrEqual((START_S + HOURS * 3600 - 540) * 1e6);
    }
  });

  it('is read by tshark with no malformed packet and no error-level expert info', () => {
    const bad = tsharkRows(file, '_ws.malformed or _ws.expert.severity >= error', [
      'frame.number',
      'frame.protocols',
    ]);
    expect(bad).toEqual([]);
  });

  it('writes a labels file in DESIGN.md format, every event inside the capture', () => {
    const json = JSON.parse(readFileSync(labelsFile, 'utf8')) as { events: unknown[] };
    expect(Object.keys(json)).toEqual(['events']);
    const first = Number(rows[0]['frame.time_epoch']);
    const capinfos = spawnSync('capinfos', ['-a', '-e', '-S', file], { encoding: 'utf8' });
    const last = Number(/Last packet time:\s+([\d.]+)/.exec(capinfos.stdout)?.[1]);
    expect(last).toBeGreaterThan(first);
    const vocabulary = new Set<string>([...BEHAVIOURS, 'anomaly']);
    for (const raw of json.events) {
      const e = raw as Record<string, unknown>;
      expect(Object.keys(e).sort()).toEqual(['also', 'behaviours', 'end', 'mac', 'start']);
      expect(e.mac).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
      const behaviours = e.behaviours as string[];
      const also = e.also as string[];
      for (const b of behaviours) expect(BEHAVIOURS).toContain(b);
      for (const b of also) expect(vocabulary.has(b)).toBe(true);
      expect(behaviours.some((b) => also.includes(b))).toBe(false);
      expect(e.start as number).toBeGreaterThanOrEqual(first);
      expect(e.end as number).toBeLessThanOrEqual(last);
      expect(e.end as number).toBeGreaterThanOrEqual(e.start as number);
    }
    const injected = json.events.filter((e) => (e as { behaviours: string[] }).behaviours.length);
    expect(injected).toHaveLength(r.injected.length);
    // Each device present from the start has a tolerance for its first appearance.
    const tolerated = new Set(
      json.events
        .filter((e) => (e as { behaviours: string[] }).behaviours.length === 0)
        .map((e) => (e as { mac: string }).mac),
    );
    const late = macText(ev('join', 'new_device').mac);
    for (const d of r.devices)
      if (macText(d.mac) !== late) expect(tolerated.has(macText(d.mac))).toBe(true);
    expect(tolerated.has(late)).toBe(false);
  });

  it('new_device: the MAC sends nothing before its labelled DHCP DISCOVER, long after the start', () => {
    const e = ev('join', 'new_device');
    const own = rows.filter(from(e));
    expect(tsUs(own[0])).toBe(e.firstUs);
    expect(own[0]['dhcp.option.dhcp']).toBe('1');
    expect(own.some((x) => x['dhcp.option.dhcp'] === '3')).toBe(true);
  });

  it('beaconing: new connections to one new endpoint on a clock, only inside the event', () => {
    for (const variant of ['host', 'ip']) {
      const e = ev(variant, 'beaconing');
      const [ip, port] = String(e.detail.endpoint).split(':');
      const syns = rows.filter(
        (x) => SYN(x) && from(e)(x) && x['ip.dst'] === ip && x['tcp.dstport'] === port,
      );
      expect(syns).toHaveLength(Number(e.detail.contacts));
      expect(syns.every((x) => within(x, e))).toBe(true);
      const gaps = syns.slice(1).map((x, i) => (tsUs(x) - tsUs(syns[i])) / 1e6);
      const period = Number(e.detail.periodS);
      const jitter = Number(e.detail.jitter);
      for (const g of gaps) {
        // ± jitter, plus the DNS lookup that precedes some contacts.
        expect(g).toBeGreaterThan(period * (1 - jitter) - 0.5);
        expect(g).toBeLessThan(period * (1 + jitter) + 0.5);
      }
      const answers = rows.filter((x) => x['dns.a'].split(SEP).includes(ip));
      if (variant === 'ip') {
        expect(answers).toEqual([]); // never looked up
      } else {
        expect(answers.length).toBeGreaterThan(0);
        expect(answers.every((x) => tsUs(x) >= e.firstUs)).toBe(true); // a name never seen before
      }
    }
  });

  it('abnormal_upload: a constant bitrate stream up for minutes at the drawn rate', () => {
    const events = [ev('cloud', 'abnormal_upload'), ev('new-host', 'abnormal_upload')];
    const macs = events.map((e) => `eth.src == ${macText(e.mac)}`).join(' or ');
    const all = tsharkRows(file, `(${macs}) and tcp.len > 0 and tcp.dstport == 443`, [
      'frame.time_epoch',
      'eth.src',
      'ip.dst',
      'tcp.len',
    ]);
    for (const e of events) {
      const up = all.filter((x) => from(e)(x) && within(x, e));
      const byDst = new Map<string, number>();
      for (const x of up)
        byDst.set(x['ip.dst'], (byDst.get(x['ip.dst']) ?? 0) + Number(x['tcp.len']));
      const [dst, bytes] = [...byDst].sort((a, b) => b[1] - a[1])[0];
      const stream = up.filter((x) => x['ip.dst'] === dst);
      const seconds = (e.lastUs - e.firstUs) / 1e6;
      const kbps = (bytes * 8) / 1000 / seconds;
      // TLS record overhead (29 B a chunk) rides on top of the audio bitrate.
      expect(kbps).toBeGreaterThan(Number(e.detail.kbps) * 0.95);
      expect(kbps).toBeLessThan(Number(e.detail.kbps) * 1.35);
      expect(seconds).toBeGreaterThan(170);
      // Constant: every full 30 s slice carries within 15 % of the mean.
      const slices = new Map<number, number>();
      for (const x of stream) {
        const k = Math.floor((tsUs(x) - e.firstUs) / 30e6);
        slices.set(k, (slices.get(k) ?? 0) + Number(x['tcp.len']));
      }
      const full = [...slices].filter(([k]) => (k + 1) * 30 < seconds - 5).map(([, v]) => v);
      const mean = full.reduce((a, b) => a + b, 0) / full.length;
      for (const v of full) expect(Math.abs(v - mean) / mean).toBeLessThan(0.15);
    }
  });

  it('upnp_exposure (soap): IGD search, the router answers, AddPortMapping with the drawn ports', () => {
    const e = ev('soap', 'upnp_exposure');
    const own = rows.filter((x) => within(x, e));
    const search = own.find(
      (x) => from(e)(x) && x['http.request.line'].includes('InternetGatewayDevice:1'),
    );
    expect(search?.['http.request.method']).toBe('M-SEARCH');
    expect(tsUs(search as Row)).toBe(e.firstUs);
    const answer = own.find(
      (x) => x['ip.src'] === '192.168.1.1' && x['ssdp'] !== '' && x['http.response.code'] === '200',
    );
    expect(answer?.['http.request.line'] ?? '').toBe(''); // a response
    const add = own.find((x) =>
      x['http.request.line'].includes('WANIPConnection:1#AddPortMapping'),
    );
    expect(add?.['http.request.method']).toBe('POST');
    expect(add?.['ip.dst']).toBe('192.168.1.1');
    const body = tsharkRows(file, 'http.request.line contains "AddPortMapping"', [
      'http.file_data',
    ]);
    expect(body).toHaveLength(1);
    const text = body[0]['http.file_data']; // FT_STRING in tshark 4.0
    expect(text).toContain(`<NewExternalPort>${e.detail.externalPort}</NewExternalPort>`);
    expect(text).toContain(`<NewInternalPort>${e.detail.internalPort}</NewInternalPort>`);
    expect(text).toContain(`<NewInternalClient>${ipOf(e)}</NewInternalClient>`);
    expect(text).toContain(`<NewLeaseDuration>${e.detail.leaseS}</NewLeaseDuration>`);
    const ok = own.filter(
      (x) =>
        x['ip.src'] === '192.168.1.1' &&
        x['http.response.code'] === '200' &&
        x['tcp.srcport'] !== '',
    );
    expect(tsUs(ok[ok.length - 1])).toBeLessThanOrEqual(e.lastUs);
  });

  it('upnp_exposure (natpmp, pcp): a map request to the router and its answer', () => {
    const n = ev('natpmp', 'upnp_exposure');
    const nat = rows.filter((x) => within(x, n) && x['nat-pmp.opcode'] !== '');
    expect(nat.map((x) => x['nat-pmp.opcode'])).toEqual([
      '0',
      '128',
      nat[2]['nat-pmp.opcode'],
      String(128 + Number(nat[2]['nat-pmp.opcode'])),
    ]);
    expect(nat[2]['nat-pmp.internal_port']).toBe(String(n.detail.internalPort));
    expect(nat[3]['nat-pmp.external_port']).toBe(String(n.detail.externalPort));
    expect(nat[0]['eth.src']).toBe(macText(n.mac));
    const p = ev('pcp', 'upnp_exposure');
    const pcp = rows.filter((x) => within(x, p) && x['portcontrol.opcode'] !== '');
    expect(pcp).toHaveLength(2);
    expect(pcp[0]['eth.src']).toBe(macText(p.mac));
    expect(pcp[0]['portcontrol.map.internal_port']).toBe(String(p.detail.internalPort));
    expect(pcp[1]['portcontrol.map.rsp_assigned_external_port']).toBe(
      String(p.detail.externalPort),
    );
  });

  it('inbound_exposure: internet addresses connect to the mapped port and are accepted', () => {
    const e = ev('after-mapping', 'inbound_exposure');
    const ip = ipOf(e);
    const port = String(e.detail.port);
    const isLan = (a: string): boolean => a.startsWith('192.168.');
    const syns = rows.filter(
      (x) => SYN(x) && x['ip.dst'] === ip && x['tcp.dstport'] === port && !isLan(x['ip.src']),
    );
    const accepted = rows.filter(
      (x) =>
        x['tcp.flags'] === '0x0012' &&
        x['ip.src'] === ip &&
        x['tcp.srcport'] === port &&
        !isLan(x['ip.dst']),
    );
    if (e.detail.protocol === 'TCP') {
      expect(syns).toHaveLength(Number(e.detail.connections));
      expect(accepted).toHaveLength(syns.length);
      expect(new Set(syns.map((x) => x['ip.src'])).size).toBe(Number(e.detail.peers));
      expect(syns.every((x) => within(x, e))).toBe(true);
      expect(tsUs(syns[0])).toBe(e.firstUs);
    }
    // It follows the mapping on the same device.
    expect(e.mac).toBe(ev('soap', 'upnp_exposure').mac);
    expect(e.firstUs).toBeGreaterThan(ev('soap', 'upnp_exposure').lastUs);
  });

  it('scan: Mirai SYNs (no options, seq = target) to 23/2323 at the labelled times from the labelled MAC', () => {
    for (const variant of ['telnet', 'telnet+lan']) {
      const e = ev(variant, 'scan');
      const syns = rows.filter(
        (x) => SYN(x) && from(e)(x) && (x['tcp.dstport'] === '23' || x['tcp.dstport'] === '2323'),
      );
      const internet = syns.filter((x) => !x['ip.dst'].startsWith('192.168.'));
      expect(internet.every((x) => within(x, e))).toBe(true);
      expect(tsUs(internet[0])).toBe(e.firstUs);
      // Mirai's raw SYNs carry the target address as sequence number; the rest are the
      // real telnet connections to targets that answered.
      const raw = internet.filter((x) => Number(x['tcp.seq_raw']) === ipNumber(x['ip.dst']));
      expect(raw).toHaveLength(Number(e.detail.syns));
      const answered = new Set(
        rows
          .filter((x) => within(x, e) && x['tcp.flags'] === '0x0012' && x['ip.dst'] === ipOf(e))
          .map((x) => x['ip.src']),
      );
      expect(internet.filter((x) => !raw.includes(x)).every((x) => answered.has(x['ip.dst']))).toBe(
        true,
      );
      const share2323 = raw.filter((x) => x['tcp.dstport'] === '2323').length / raw.length;
      expect(share2323).toBeGreaterThan(0.03);
      expect(share2323).toBeLessThan(0.2);
      expect(new Set(raw.map((x) => x['ip.dst'])).size).toBeGreaterThan(raw.length * 0.95);
      const rst = rows.filter(
        (x) => within(x, e) && x['tcp.flags'] === '0x0014' && x['ip.dst'] === ipOf(e),
      );
      expect(rst.length).toBeGreaterThan(0);
      if (variant === 'telnet+lan') {
        const arps = rows.filter((x) => from(e)(x) && x['arp.opcode'] === '1' && within(x, e));
        expect(new Set(arps.map((x) => x['arp.dst.proto_ipv4'])).size).toBeGreaterThan(250);
        expect(syns.some((x) => within(x, e) && x['ip.dst'].startsWith('192.168.'))).toBe(true);
      }
    }
  });

  it('malware_download: an ELF from a bare IP, a dropper script, an opaque blob from a new name', () => {
    const elf = ev('elf', 'malware_download');
    const url = new URL(String(elf.detail.url));
    const magic = payloads.filter((x) => x['tcp.payload'].replace(/:/g, '').includes('7f454c46'));
    expect(
      magic.some((x) => x['ip.src'] === url.hostname && x['eth.dst'] !== '' && within(x, elf)),
    ).toBe(true);
    const get = rows.find(
      (x) => from(elf)(x) && x['http.request.method'] === 'GET' && within(x, elf),
    );
    expect(get?.['http.request.uri']).toBe(url.pathname);
    expect(get?.['ip.dst']).toBe(url.hostname);
    expect(rows.some((x) => x['dns.a'].split(SEP).includes(url.hostname))).toBe(false);
    const sh = ev('script', 'malware_download');
    expect(
      payloads.some((x) => within(x, sh) && payloadText(x['tcp.payload']).includes('#!/bin/sh')),
    ).toBe(true);
    const op = ev('opaque', 'malware_download');
    const host = new URL(String(op.detail.url)).hostname;
    const lookups = rows.filter(
      (x) => x['dns.qry.name'] === host && x['dns.flags.response'] === '1',
    );
    expect(lookups.length).toBeGreaterThan(0);
    expect(tsUs(lookups[0])).toBeGreaterThanOrEqual(op.firstUs); // a name never seen before
    const server = lookups[0]['dns.a'].split(SEP)[0];
    const resp = rows.find((x) => x['ip.src'] === server && x['http.response.code'] === '200');
    expect(resp?.['http.content_type']).toBe('application/octet-stream');
    expect(payloads.some((x) => x['ip.src'] === server)).toBe(false); // no ELF magic, no script
  });

  it('crypto_mining: stratum or xmrig JSON-RPC from the labelled MAC inside the event', () => {
    const methods = (e: LabelEvent): Set<string> => {
      const out = new Set<string>();
      for (const x of payloads.filter((y) => within(y, e))) {
        for (const m of payloadText(x['tcp.payload']).matchAll(/"method":"([^"]+)"/g))
          out.add(m[1]);
      }
      return out;
    };
    const st = ev('stratum', 'crypto_mining');
    const s = methods(st);
    for (const m of ['mining.subscribe', 'mining.authorize', 'mining.notify'])
      expect(s.has(m)).toBe(true);
    const xm = ev('xmrig', 'crypto_mining');
    const x = methods(xm);
    for (const m of ['login', 'job']) expect(x.has(m)).toBe(true);
    const submits = payloads.filter(
      (y) => from(xm)(y) && payloadText(y['tcp.payload']).includes('"method":"submit"'),
    );
    expect(submits.length).toBeGreaterThan(0);
    expect(
      payloads
        .filter((y) => payloadText(y['tcp.payload']).includes('mining.subscribe'))
        .every((y) => within(y, st)),
    ).toBe(true);
  });

  it('dns_anomaly: tunnel-sized names under one zone, and a DGA burst mostly NXDOMAIN', () => {
    const t = ev('tunnel', 'dns_anomaly');
    const zone = String(t.detail.zone);
    const q = rows.filter(
      (x) => from(t)(x) && x['dns.flags.response'] === '0' && x['dns.qry.name'].endsWith(zone),
    );
    expect(q).toHaveLength(Number(t.detail.queries));
    expect(new Set(q.map((x) => x['dns.qry.name'])).size).toBe(q.length);
    expect(q.every((x) => x['dns.qry.name'].split('.')[0].length === 63)).toBe(true);
    expect(q.every((x) => x['dns.qry.type'] === String(t.detail.qtype))).toBe(true);
    expect(q.every((x) => within(x, t))).toBe(true);
    const d = ev('dga', 'dns_anomaly');
    const dga = new RegExp(`^[a-z]{8,20}\\.(${String(d.detail.tlds).replace(/ /g, '|')})$`);
    const answers = rows.filter(
      (x) =>
        within(x, d) &&
        x['dns.flags.response'] === '1' &&
        x['eth.dst'] === macText(d.mac) &&
        dga.test(x['dns.qry.name']),
    );
    const nx = answers.filter((x) => x['dns.flags.rcode'] === '3');
    expect(answers.length).toBe(Number(d.detail.bursts) * Number(d.detail.namesPerBurst));
    expect(nx.length / answers.length).toBeGreaterThan(0.85);
    expect(new Set(answers.map((x) => x['dns.qry.name'])).size).toBeGreaterThan(
      answers.length * 0.98,
    );
  });

  it('brute_force: many short authentication attempts, refused', () => {
    const h = ev('router-http', 'brute_force');
    const tries = rows.filter((x) => from(h)(x) && x['http.authorization'].startsWith('Basic '));
    expect(tries).toHaveLength(Number(h.detail.attempts));
    expect(tries.every((x) => x['ip.dst'] === '192.168.1.1' && within(x, h))).toBe(true);
    const refused = rows.filter(
      (x) => x['ip.src'] === '192.168.1.1' && x['http.response.code'] === '401' && within(x, h),
    );
    expect(refused).toHaveLength(tries.length);
    const tn = ev('telnet', 'brute_force');
    const tnSyns = rows.filter(
      (x) =>
        SYN(x) &&
        from(tn)(x) &&
        within(x, tn) &&
        x['tcp.dstport'] === '23' &&
        x['ip.dst'] === tn.detail.target,
    );
    expect(tnSyns).toHaveLength(Number(tn.detail.attempts));
    expect(
      payloads.filter((x) => x['ip.src'] === tn.detail.target && within(x, tn)).length,
    ).toBeGreaterThanOrEqual(tnSyns.length);
    const ssh = ev('ssh', 'brute_force');
    const sshSyns = rows.filter(
      (x) => SYN(x) && from(ssh)(x) && within(x, ssh) && x['tcp.dstport'] === '22',
    );
    expect(sshSyns).toHaveLength(Number(ssh.detail.attempts));
    const banners = rows.filter((x) => within(x, ssh) && x['ssh.protocol'].startsWith('SSH-2.0-'));
    expect(banners.length).toBe(2 * sshSyns.length);
  });

  it('lateral_movement: new LAN peers on admin ports, and ARP replies claiming the router', () => {
    const p = ev('ports', 'lateral_movement');
    const admin = new Set(['22', '23', '80', '443', '445', '554', '1883', '3389', '5555', '8080']);
    const lan = rows.filter(
      (x) => SYN(x) && from(p)(x) && within(x, p) && x['ip.dst'].startsWith('192.168.1.'),
    );
    const probes = lan.filter((x) => admin.has(x['tcp.dstport']));
    expect(probes).toHaveLength(Number(p.detail.probes));
    expect(new Set(probes.map((x) => x['ip.dst'])).size).toBe(Number(p.detail.peers));
    // Each probe is answered: accepted where the peer listens, refused where it does not.
    const answers = rows.filter(
      (x) =>
        within(x, p) &&
        x['ip.dst'] === ipOf(p) &&
        x['ip.src'].startsWith('192.168.1.') &&
        admin.has(x['tcp.srcport']) &&
        (x['tcp.flags'] === '0x0014' || x['tcp.flags'] === '0x0012'),
    );
    expect(answers).toHaveLength(probes.length);
    expect(answers.some((x) => x['tcp.flags'] === '0x0014')).toBe(true);
    // Where a peer accepts, the service says what tshark reads as its protocol.
    const speaks: Record<string, (x: Row) => boolean> = {
      '22': (x) => x['ssh.protocol'] !== '',
      '80': (x) => x['http.request.method'] === 'GET',
      '8080': (x) => x['http.request.method'] === 'GET',
      '554': (x) => x['rtsp.method'] === 'OPTIONS',
      '1883': (x) => x['mqtt.msgtype'] === '1',
    };
    for (const acc of answers.filter((x) => x['tcp.flags'] === '0x0012')) {
      const port = acc['tcp.srcport'];
      const check = speaks[port];
      if (check === undefined) continue;
      const said = rows.filter(
        (x) =>
          within(x, p) &&
          (x['tcp.dstport'] === port || x['tcp.srcport'] === port) &&
          (x['ip.src'] === acc['ip.src'] || x['ip.dst'] === acc['ip.src']) &&
          check(x),
      );
      expect(said.length, `${acc['ip.src']}:${port}`).toBeGreaterThan(0);
    }
    const a = ev('arp', 'lateral_movement');
    const lies = rows.filter(
      (x) => from(a)(x) && x['arp.opcode'] === '2' && x['arp.src.proto_ipv4'] === '192.168.1.1',
    );
    expect(lies.length).toBeGreaterThan(10);
    expect(lies.every((x) => within(x, a))).toBe(true);
    expect(
      rows.filter((x) => from(a)(x) && x['arp.src.proto_ipv4'] === '192.168.1.1'),
    ).toHaveLength(lies.length);
  });
});
