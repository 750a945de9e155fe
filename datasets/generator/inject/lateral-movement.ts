/**
 * `lateral_movement`: a compromised device turns to the rest of the home.
 * - `ports`: LAN peers it never talked to (3 to all of them, the router too), each
 *   ARP-resolved, then probed on 2–6 admin ports (22, 23, 80, 443, 445, 554, 1883, 3389,
 *   5555, 8080). Open ones accept and say what their service says (HTTP, an SSH banner, a
 *   telnet prompt, RTSP, an MQTT CONNACK); closed ones refuse (RST).
 * - `arp`: a man in the middle: ARP replies claiming the router's address, sent to 1–3
 *   victims (and the victims' addresses to the router) every 1–10 s for minutes, as
 *   arpspoof and ettercap do.
 * @module
 */
import { ipText } from '../exchanges.js';
import { LabelEvent } from '../labels.js';
import { httpRequest, httpResponse } from '../protocols/http-message.js';
import { sshBanner } from '../protocols/ssh.js';
import { Script, Steps, msg, type Msg } from '../script.js';
import { GATEWAY_IP, type Device, type Sim } from '../sim.js';
import type { DeviceKind } from '../profiles.js';
import { arpResolve, otherDevices } from './common.js';
import type { InjectPlan, Injector } from './types.js';

const S = 1e6;
const MS = 1e3;
const ARP_REPLY = 2;
export const ADMIN_PORTS = [22, 23, 80, 443, 445, 554, 1883, 3389, 5555, 8080];

/** Ports a kind of device listens on, of the admin ports (the rest refuse). */
const OPEN: Partial<Record<DeviceKind | 'gateway', readonly number[]>> = {
  gateway: [22, 23, 80, 443],
  camera: [80, 554, 23],
  hub: [80, 443, 1883],
  laptop: [22, 445, 3389],
  printer: [80, 443],
  tv: [5555, 8080],
  speaker: [8080],
  vacuum: [1883],
  lock: [80],
};

/** What an open service says to a first contact. */
function service(sim: Sim, ip: number, port: number): Msg[] {
  const r = sim.rng;
  const think = r.range(1, 15) * MS;
  switch (port) {
    case 80:
    case 8080: {
      const body = '<html><body><h1>401 Unauthorized</h1></body></html>';
      return [
        msg(
          true,
          httpRequest('GET', '/', [
            ['Host', `${ipText(ip)}${port === 80 ? '' : ':' + port}`],
            ['User-Agent', 'Mozilla/5.0'],
            ['Accept', '*/*'],
          ]),
          0,
        ),
        msg(
          false,
          httpResponse(
            401,
            'Unauthorized',
            [
              ['WWW-Authenticate', 'Basic realm="device"'],
              ['Content-Type', 'text/html'],
            ],
            body.length,
            body,
          ),
          think,
        ),
      ];
    }
    case 22:
      return [
        msg(
          false,
          sshBanner(r.pick(['OpenSSH_8.4p1 Debian-5+deb11u1', 'dropbear_2019.78'])),
          think,
        ),
        msg(true, sshBanner('Go'), r.range(1, 10) * MS),
      ];
    case 23:
      return [
        msg(
          false,
          Buffer.concat([Buffer.from([255, 253, 24, 255, 253, 32]), Buffer.from('\r\nlogin: ')]),
          think,
        ),
      ];
    case 554:
      return [
        msg(true, `OPTIONS rtsp://${ipText(ip)}:554/ RTSP/1.0\r\nCSeq: 1\r\n\r\n`, 0),
        msg(
          false,
          'RTSP/1.0 200 OK\r\nCSeq: 1\r\nPublic: OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN\r\n\r\n',
          think,
        ),
      ];
    case 1883: {
      const id = `probe${r.int(1000, 9999)}`;
      const connect = Buffer.concat([
        Buffer.from([0x10, 12 + id.length, 0, 4]), // CONNECT, remaining length, "MQTT"
        Buffer.from('MQTT', 'latin1'),
        Buffer.from([4, 2, 0, 60, 0, id.length]),
        Buffer.from(id, 'latin1'),
      ]);
      return [msg(true, connect, 0), msg(false, Buffer.from([0x20, 2, 0, 0]), think)];
    }
    default:
      return []; // open port checked, nothing said (TLS, SMB, RDP, adb stay closed-mouthed)
  }
}

function probePorts(sim: Sim, p: InjectPlan, label: LabelEvent): void {
  const r = sim.rng;
  const d = p.dev;
  const peers = otherDevices(sim, d);
  const nPeers = Math.min(peers.length, r.int(3, Math.max(3, peers.length)));
  const targets: (Device | null)[] = peers.slice(0, nPeers);
  if (r.chance(0.5)) targets.push(null); // the router
  const span = p.endUs - p.startUs;
  const perPeer = span / (targets.length + 1);
  let probes = 0;
  targets.forEach((peer, k) => {
    const ip = peer === null ? GATEWAY_IP : peer.ip4;
    const mac = peer === null ? sim.gatewayMac : peer.mac;
    const open = OPEN[peer === null ? 'gateway' : peer.kind] ?? [];
    const t0 = p.startUs + k * perPeer + r.range(0, perPeer * 0.3);
    arpResolve(sim, d, ip, mac, t0, label);
    const ports = ADMIN_PORTS.filter(() => r.chance(0.5));
    if (ports.length < 2) ports.push(80, 22);
    let t = t0 + r.range(5, 40) * MS;
    for (const port of new Set(ports)) {
      const c = peer === null ? sim.connGateway(d, port) : sim.connLan(d, peer, port);
      const accept = open.includes(port);
      const s = new Script(sim, t, {
        conn: c,
        answer: accept ? 'accept' : 'refuse',
        rttUs: r.range(0.4, 3) * MS,
        close: 'finA',
      });
      if (accept) s.push(...service(sim, ip, port));
      s.label = label;
      sim.schedule(s);
      probes++;
      t += r.range(0.05, 3) * S;
    }
  });
  Object.assign(label.detail, { peers: targets.length, probes });
}

function arpSpoof(sim: Sim, p: InjectPlan, label: LabelEvent): void {
  const r = sim.rng;
  const d = p.dev;
  const victims = otherDevices(sim, d).slice(0, r.int(1, 3));
  const everyUs = r.range(1, 10) * S;
  Object.assign(label.detail, {
    victims: victims.map((v) => ipText(v.ip4)).join(' '),
    everyS: Math.round(everyUs / 1e5) / 10,
  });
  const frames = 2 * victims.length;
  const s = new Steps(p.startUs, (sim2, i) => {
    const v = victims[Math.floor((i % frames) / 2)];
    const e = sim2.epochUs(sim2.now);
    if (i % 2 === 0) sim2.f.arp(e, v.mac, ARP_REPLY, d.mac, GATEWAY_IP, v.mac, v.ip4);
    else sim2.f.arp(e, sim2.gatewayMac, ARP_REPLY, d.mac, v.ip4, sim2.gatewayMac, GATEWAY_IP);
    if ((i + 1) % frames !== 0) return sim2.rng.range(0.1, 2) * MS;
    const next = sim2.now + everyUs * sim2.rng.range(0.95, 1.05);
    return next > p.endUs ? -1 : next - sim2.now;
  });
  s.label = label;
  sim.schedule(s);
}

export const lateralMovement: Injector = {
  behaviour: 'lateral_movement',
  kinds: ['camera', 'plug', 'hub', 'tv', 'vacuum', 'printer', 'toy'],
  variants: [
    ['ports', 0.65],
    ['arp', 0.35],
  ],
  durationS: (variant) => (variant === 'arp' ? [5 * 60, 30 * 60] : [60, 10 * 60]),
  inject(sim, p) {
    const label = new LabelEvent(
      p.dev.mac,
      ['lateral_movement'],
      ['anomaly', 'scan', 'brute_force'],
      p.variant,
    );
    if (p.variant === 'arp') arpSpoof(sim, p, label);
    else probePorts(sim, p, label);
    return label;
  },
};
