/**
 * `brute_force`: a compromised device guesses passwords, one short connection an attempt.
 * - `router-http`: the router's admin page, `GET /` with `Authorization: Basic …`
 *   answered `401 Unauthorized` with a `WWW-Authenticate` realm.
 * - `telnet`: a LAN device's telnet, one to three failed logins a session.
 * - `ssh`: a LAN host's SSH: identification, key exchange, a few encrypted packets (the
 *   password tries), then the server closes.
 * - `rtsp` (asked for by name only, never drawn): a LAN camera's RTSP (554), DESCRIBE with
 *   `Authorization: Basic …` answered `401 Unauthorized`, one to three tries a connection.
 * Attempts (30–400), their rate (0.3–8 a second) and the credentials are drawn.
 * Tune keys (bench/robustness.ts only): `rate` (attempts a second), `attempts`.
 * @module
 */
import { ipText } from '../exchanges.js';
import { LabelEvent } from '../labels.js';
import { httpRequest, httpResponse } from '../protocols/http-message.js';
import {
  sshBanner,
  sshEcdhInit,
  sshEcdhReplyNewkeys,
  sshKexinit,
  sshNewkeys,
} from '../protocols/ssh.js';
import { FILL_RANDOM, Script, Steps, msg, type Msg } from '../script.js';
import { GATEWAY_IP, type Device, type Sim } from '../sim.js';
import { arpResolve, otherDevices } from './common.js';
import { CREDENTIALS, loginDialogue } from './credentials.js';
import { tuned, type Injector } from './types.js';

const S = 1e6;
const MS = 1e3;
const SERVICE_PORT: Readonly<Record<string, number>> = { ssh: 22, telnet: 23, rtsp: 554 };
const REALMS = ['RT-AX58U', 'NETGEAR R7000', 'FRITZ!Box', 'Broadband Router', 'index.htm'];

function basicAttempt(sim: Sim): Msg[] {
  const r = sim.rng;
  const [user, pass] = r.pick(CREDENTIALS);
  const body =
    '<HTML><HEAD><TITLE>401 Unauthorized</TITLE></HEAD><BODY>Authorization required.</BODY></HTML>\n';
  return [
    msg(
      true,
      httpRequest('GET', r.pick(['/', '/', '/login.cgi', '/cgi-bin/luci']), [
        ['Host', ipText(GATEWAY_IP)],
        ['User-Agent', r.pick(['Mozilla/5.0', 'Hello, World', 'python-requests/2.25.1'])],
        ['Authorization', `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`],
        ['Connection', 'close'],
      ]),
      0,
    ),
    msg(
      false,
      httpResponse(
        401,
        'Unauthorized',
        [
          ['Server', 'httpd'],
          ['WWW-Authenticate', `Basic realm="${r.pick(REALMS)}"`],
          ['Content-Type', 'text/html'],
          ['Connection', 'close'],
        ],
        body.length,
        body,
      ),
      r.range(2, 30) * MS,
    ),
  ];
}

/** 1–3 RTSP DESCRIBE requests with guessed credentials on one connection, each refused. */
function rtspAttempts(sim: Sim, ip: string): Msg[] {
  const r = sim.rng;
  const path = r.pick(['/', '/stream1', '/live/ch00_0', '/h264/ch1/main/av_stream', '/onvif1']);
  const out: Msg[] = [];
  for (let i = 0, n = r.int(1, 3); i < n; i++) {
    const [user, pass] = r.pick(CREDENTIALS);
    const auth = Buffer.from(`${user}:${pass}`).toString('base64');
    out.push(
      msg(
        true,
        `DESCRIBE rtsp://${ip}:554${path} RTSP/1.0\r\nCSeq: ${i + 2}\r\nAuthorization: Basic ${auth}\r\n` +
          `User-Agent: LibVLC/3.0.18 (LIVE555 Streaming Media v2016.11.28)\r\nAccept: application/sdp\r\n\r\n`,
        i === 0 ? 0 : r.range(5, 60) * MS,
      ),
      msg(
        false,
        `RTSP/1.0 401 Unauthorized\r\nCSeq: ${i + 2}\r\nWWW-Authenticate: Basic realm="${r.pick(['IP Camera', 'HIipCamera', 'RTSP Server'])}"\r\n\r\n`,
        r.range(2, 30) * MS,
      ),
    );
  }
  return out;
}

function sshAttempt(sim: Sim, client: string, server: string): Msg[] {
  const r = sim.rng;
  const out: Msg[] = [
    msg(false, sshBanner(server), r.range(2, 20) * MS),
    msg(true, sshBanner(client), r.range(1, 10) * MS),
    msg(true, sshKexinit(r, false), r.range(0.2, 2) * MS),
    msg(false, sshKexinit(r, true), r.range(1, 10) * MS),
    msg(true, sshEcdhInit(r), r.range(1, 5) * MS),
    msg(false, sshEcdhReplyNewkeys(r), r.range(5, 40) * MS),
    msg(true, sshNewkeys(r), r.range(1, 5) * MS),
  ];
  // Service request, then 1–3 password tries, each refused (encrypted: opaque bytes).
  const tries = r.int(1, 3);
  out.push(msg(true, Buffer.alloc(0), r.range(1, 5) * MS, 52, FILL_RANDOM));
  out.push(msg(false, Buffer.alloc(0), r.range(1, 5) * MS, 52, FILL_RANDOM));
  for (let i = 0; i < tries; i++) {
    out.push(msg(true, Buffer.alloc(0), r.range(5, 200) * MS, r.int(84, 116), FILL_RANDOM));
    out.push(msg(false, Buffer.alloc(0), r.range(300, 2500) * MS, 68, FILL_RANDOM));
  }
  return out;
}

export const bruteForce: Injector = {
  behaviour: 'brute_force',
  kinds: ['camera', 'plug', 'hub', 'tv', 'vacuum', 'printer', 'toy'],
  variants: [
    ['router-http', 0.5],
    ['telnet', 0.25],
    ['ssh', 0.25],
    // Weight 0: asked for by name only, so that drawn homes stay as they were.
    ['rtsp', 0],
  ],
  durationS: () => [60, 15 * 60],
  inject(sim, p) {
    const r = sim.rng;
    const d = p.dev;
    let target: Device | null = null;
    let port = 80;
    if (p.variant === 'telnet' || p.variant === 'ssh' || p.variant === 'rtsp') {
      const kinds =
        p.variant === 'ssh'
          ? ['laptop', 'hub', 'printer', 'camera']
          : p.variant === 'rtsp'
            ? ['camera']
            : ['camera', 'hub', 'tv', 'printer', 'plug'];
      target = otherDevices(sim, d).find((x) => kinds.includes(x.kind)) ?? null;
      port = target === null ? 80 : SERVICE_PORT[p.variant];
    }
    const variant = target === null ? 'router-http' : p.variant;
    const rate = tuned(p, 'rate', r.range(0.3, 8));
    const attempts = tuned(
      p,
      'attempts',
      Math.max(30, Math.min(r.int(30, 400), Math.round(rate * ((p.endUs - p.startUs) / S)))),
    );
    const label = new LabelEvent(
      d.mac,
      ['brute_force'],
      ['anomaly', 'lateral_movement', 'scan'],
      variant,
      {
        target: target === null ? ipText(GATEWAY_IP) : ipText(target.ip4),
        port,
        attempts,
        perSecond: Math.round(rate * 100) / 100,
      },
    );
    const sshClient = r.pick(['libssh2_1.8.0', 'Go', 'PUTTY', 'libssh_0.9.6', 'paramiko_2.7.2']);
    const sshServer = r.pick(['OpenSSH_8.4p1 Debian-5+deb11u1', 'dropbear_2019.78', 'OpenSSH_7.4']);
    let t = p.startUs;
    if (target !== null) {
      arpResolve(sim, d, target.ip4, target.mac, t, label);
      t += r.range(5, 50) * MS;
    }
    let n = 0;
    const peer = target;
    const driver = new Steps(t, (sim2) => {
      const c = peer === null ? sim2.connGateway(d, 80) : sim2.connLan(d, peer, port);
      const close = port === 23 || port === 554 ? 'finA' : 'finB';
      const s = new Script(sim2, sim2.now, { conn: c, rttUs: sim2.rng.range(0.4, 3) * MS, close });
      if (peer === null) s.push(...basicAttempt(sim2));
      else if (port === 23) s.push(...loginDialogue(sim2, sim2.rng.int(1, 3)));
      else if (port === 554) s.push(...rtspAttempts(sim2, ipText(peer.ip4)));
      else s.push(...sshAttempt(sim2, sshClient, sshServer));
      s.label = label;
      sim2.schedule(s);
      n++;
      return n < attempts ? sim2.rng.exp(S / rate) : -1;
    });
    sim.schedule(driver);
    return label;
  },
};
