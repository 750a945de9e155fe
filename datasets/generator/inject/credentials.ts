/**
 * Default credentials IoT brute-forcers try (a subset of Mirai's scanner table) and the
 * telnet login dialogue they play out: the server's option negotiation (RFC 854/855 DO
 * TERMINAL-TYPE, TERMINAL-SPEED, X-DISPLAY-LOCATION, NEW-ENVIRON), the client refusing
 * them, then `login:` / `Password:` / `Login incorrect` per attempt.
 * @module
 */
import { msg, type Msg } from '../script.js';
import type { Sim } from '../sim.js';

const MS = 1e3;

export const CREDENTIALS: readonly (readonly [string, string])[] = [
  ['root', 'xc3511'],
  ['root', 'vizxv'],
  ['admin', 'admin'],
  ['root', 'admin'],
  ['root', '888888'],
  ['root', 'xmhdipc'],
  ['root', 'default'],
  ['root', 'juantech'],
  ['root', '123456'],
  ['root', '54321'],
  ['support', 'support'],
  ['admin', 'password'],
  ['root', 'root'],
  ['root', '12345'],
  ['user', 'user'],
  ['root', 'pass'],
  ['admin', 'admin1234'],
  ['root', '1111'],
  ['admin', 'smcadmin'],
  ['root', '666666'],
  ['root', 'password'],
  ['root', '1234'],
  ['root', 'klv123'],
  ['Administrator', 'admin'],
  ['service', 'service'],
  ['supervisor', 'supervisor'],
  ['guest', 'guest'],
  ['guest', '12345'],
  ['admin1', 'password'],
  ['ubnt', 'ubnt'],
  ['root', 'Zte521'],
  ['root', 'hi3518'],
  ['root', 'jvbzd'],
  ['root', 'anko'],
  ['root', '7ujMko0vizxv'],
  ['root', 'system'],
  ['root', 'dreambox'],
  ['root', 'realtek'],
  ['admin', '1234'],
  ['admin', '12345'],
  ['tech', 'tech'],
];

const IAC_DO = Buffer.from([255, 253, 24, 255, 253, 32, 255, 253, 35, 255, 253, 39]);
const IAC_WONT = Buffer.from([255, 252, 24, 255, 252, 32, 255, 252, 35, 255, 252, 39]);

/** The messages of a telnet session with `attempts` failed logins (A = the client). */
export function loginDialogue(sim: Sim, attempts: number): Msg[] {
  const r = sim.rng;
  const out: Msg[] = [
    msg(false, IAC_DO, r.range(2, 30) * MS),
    msg(true, IAC_WONT, r.range(1, 20) * MS),
    msg(false, '\r\nlogin: ', r.range(5, 60) * MS),
  ];
  for (let i = 0; i < attempts; i++) {
    const [user, pass] = r.pick(CREDENTIALS);
    out.push(
      msg(true, `${user}\r\n`, r.range(20, 300) * MS),
      msg(false, `${user}\r\nPassword: `, r.range(2, 30) * MS),
      msg(true, `${pass}\r\n`, r.range(20, 300) * MS),
      msg(
        false,
        `\r\nLogin incorrect\r\n${i + 1 < attempts ? 'login: ' : ''}`,
        r.range(300, 2500) * MS,
      ),
    );
  }
  return out;
}
