/**
 * `inbound_exposure`: connections from internet addresses reach a LAN device and it
 * accepts them. After a port mapping (the `upnp_exposure` event this one follows) they
 * come to the mapped internal port; alone (`forward`, a port forward someone set by hand)
 * to a drawn one. As seen on the LAN the router has rewritten the destination: frames
 * come from the gateway's MAC and the remote address. 3–40 peers, some more than once;
 * what they say depends on the port (HTTP, telnet login prompt, RTSP OPTIONS, or opaque).
 * Tune key (bench/robustness.ts only): `ipv6` 1, when the device has a global IPv6 address:
 * the peers are global IPv6 addresses connecting to that address (no NAT in IPv6: the
 * router's firewall let them through, an open pinhole or no inbound filtering at all).
 * @module
 */
import { ip6Text, ipText } from '../exchanges.js';
import type { Conn } from '../frames.js';
import { LabelEvent } from '../labels.js';
import { quietPort } from '../ports.js';
import { httpRequest, httpResponse } from '../protocols/http-message.js';
import { FILL_RANDOM, Script, Steps, msg, sendUdp, type Msg } from '../script.js';
import type { Device, Sim } from '../sim.js';
import { randomPublicIp, randomPublicIp6 } from './internet.js';
import { tuned, type Injector } from './types.js';

const S = 1e6;
const MS = 1e3;

/** The remote's request and the device's answer on a given port (`addr`: the device's, as text). */
function dialogue(sim: Sim, d: Device, addr: string, port: number): Msg[] {
  const r = sim.rng;
  const think = r.range(1, 20) * MS;
  if (port === 80 || port === 8080 || port === 8000) {
    const path = r.pick([
      '/',
      '/login.htm',
      '/cgi-bin/luci',
      '/HNAP1/',
      '/shell?cd+/tmp',
      '/onvif/device_service',
    ]);
    const body = '<html><head><title>Login</title></head><body>401 Unauthorized</body></html>';
    const auth = r.chance(0.5);
    return [
      msg(
        true,
        httpRequest('GET', path, [
          ['Host', `${addr}:${port}`],
          ['User-Agent', r.pick(['Mozilla/5.0', 'zgrab/0.x', 'python-requests/2.31.0'])],
          ['Accept', '*/*'],
        ]),
        0,
      ),
      msg(
        false,
        auth
          ? httpResponse(
              401,
              'Unauthorized',
              [
                ['WWW-Authenticate', `Basic realm="${d.vendor.model}"`],
                ['Content-Type', 'text/html'],
              ],
              body.length,
              body,
            )
          : httpResponse(200, 'OK', [['Content-Type', 'text/html']], body.length, body),
        think,
      ),
    ];
  }
  if (port === 23) {
    return [
      msg(
        false,
        Buffer.concat([
          Buffer.from([255, 253, 24, 255, 253, 32, 255, 253, 35, 255, 253, 39]),
          Buffer.from('\r\nlogin: ', 'latin1'),
        ]),
        think,
      ),
      msg(
        true,
        Buffer.from([255, 252, 24, 255, 252, 32, 255, 252, 35, 255, 252, 39]),
        r.range(50, 300) * MS,
      ),
    ];
  }
  if (port === 554) {
    const url = `rtsp://${addr}:554/`;
    return [
      msg(true, `OPTIONS ${url} RTSP/1.0\r\nCSeq: 1\r\nUser-Agent: LibVLC/3.0.18\r\n\r\n`, 0),
      msg(
        false,
        'RTSP/1.0 200 OK\r\nCSeq: 1\r\nPublic: OPTIONS, DESCRIBE, SETUP, TEARDOWN, PLAY\r\n\r\n',
        think,
      ),
    ];
  }
  return [
    msg(true, Buffer.alloc(0), 0, r.int(40, 400), FILL_RANDOM),
    msg(false, Buffer.alloc(0), think, r.int(40, 1200), FILL_RANDOM),
  ];
}

/** A mapped UDP port: a few datagrams from the remote, each answered by the device. */
function udpExchange(sim: Sim, c: Conn, at: number, label: LabelEvent): Steps {
  const rounds = 2 * sim.rng.int(1, 4);
  const s = new Steps(at, (sim2, i) => {
    const b = Buffer.alloc(sim2.rng.int(24, 300));
    sim2.rng.fill(b, 0, b.length);
    sendUdp(sim2, c, i % 2 === 0, b);
    return i + 1 < rounds ? sim2.rng.range(i % 2 === 0 ? 1 : 50, i % 2 === 0 ? 20 : 2000) * MS : -1;
  });
  s.label = label;
  return s;
}

export const inboundExposure: Injector = {
  behaviour: 'inbound_exposure',
  kinds: ['vacuum', 'camera', 'hub', 'tv', 'printer', 'toy', 'plug'],
  variants: [
    ['after-mapping', 1],
    ['forward', 0],
  ],
  durationS: () => [5 * 60, 60 * 60],
  inject(sim, p) {
    const r = sim.rng;
    const d = p.dev;
    const mapped = p.after?.detail.internalPort;
    const udpMapping = p.after?.detail.protocol === 'UDP';
    const port =
      typeof mapped === 'number' ? mapped : r.pick([80, 8080, 554, 23, quietPort(r, 10000, 60000)]);
    const ip6 = tuned(p, 'ipv6', 0) === 1 ? d.ip6 : null;
    const peers: number[] = [];
    const peers6: Uint8Array[] = [];
    const nPeers = r.int(3, 40);
    for (let i = 0; i < nPeers; i++) {
      if (ip6 === null) peers.push(randomPublicIp(r));
      else peers6.push(randomPublicIp6(r));
    }
    const connections = nPeers + r.int(0, nPeers);
    const label = new LabelEvent(d.mac, ['inbound_exposure'], ['anomaly'], p.variant, {
      port,
      protocol: udpMapping ? 'UDP' : 'TCP',
      peers: nPeers,
      connections,
    });
    if (ip6 !== null) label.detail.address = ip6Text(ip6);
    const addr = ip6 === null ? ipText(d.ip4) : `[${ip6Text(ip6)}]`;
    const span = p.endUs - p.startUs;
    const times: number[] = [p.startUs];
    for (let i = 1; i < connections; i++) times.push(p.startUs + r.range(0, span - 30 * S));
    times.sort((x, y) => x - y);
    for (let i = 0; i < connections; i++) {
      const c =
        ip6 === null
          ? sim.connFromInternet(d, i < nPeers ? peers[i] : r.pick(peers), port)
          : sim.connFromInternet6(d, i < nPeers ? peers6[i] : r.pick(peers6), port);
      if (udpMapping) {
        sim.schedule(udpExchange(sim, c, times[i], label));
        continue;
      }
      const s = new Script(sim, times[i], { conn: c, close: r.chance(0.7) ? 'finA' : 'rstA' });
      s.push(...dialogue(sim, d, addr, port));
      s.label = label;
      sim.schedule(s);
    }
    return label;
  },
};
