/**
 * Ports and device kinds the detectors reason with, as tables.
 * @module
 */
import { endpoint } from '../alerts/words.js';

/** Services whose sessions are logins: short sessions to them are login attempts. */
export const LOGIN_SERVICES: Readonly<Record<number, string>> = {
  21: 'FTP',
  22: 'SSH',
  23: 'telnet',
  2323: 'telnet',
  110: 'POP3',
  143: 'IMAP',
  445: 'SMB',
  554: 'RTSP',
  8554: 'RTSP',
  1433: 'MS SQL',
  1883: 'MQTT',
  3306: 'MySQL',
  3389: 'RDP',
  5432: 'PostgreSQL',
  5900: 'VNC',
  5901: 'VNC',
};

/** Web ports, where a login failure shows as HTTP 401/403. */
export const WEB_PORTS: ReadonlySet<number> = new Set([
  80, 443, 8000, 8008, 8080, 8081, 8443, 8888,
]);

/**
 * Administration ports (issue 7): reaching one on a LAN peer the device never used is how a
 * compromised device looks for its next victim.
 */
export const ADMIN_PORTS: ReadonlySet<number> = new Set([
  22, 23, 2323, 80, 443, 445, 554, 1883, 3389, 5555, 5900, 8080, 8443,
]);

/** Remote shells and file sharing: one new use from a single-purpose device is telling. */
export const SHELL_PORTS: ReadonlySet<number> = new Set([22, 23, 2323, 445, 3389, 5555, 5900]);

/** Mirai and its kin scan telnet on these ports. */
export const TELNET_PORTS: ReadonlySet<number> = new Set([23, 2323]);

/** A login service's or a web interface's name ("SSH", "the web interface"), else undefined. */
function known(port: number): string | undefined {
  return LOGIN_SERVICES[port] ?? (WEB_PORTS.has(port) ? 'the web interface' : undefined);
}

const ADB_PORT = 5555;

/** A LAN service in a sentence: "SSH on 192.168.1.5:22", "the web interface on …", or the endpoint. */
export function serviceAt(ip: string, port: number): string {
  const at = endpoint(ip, port);
  const name = port === ADB_PORT ? 'ADB (Android debugging)' : known(port);
  return name === undefined ? at : `${name} on ${at}`;
}

/** The service a port stands for in a sentence: "SSH (22)", or "port 8123". */
export function serviceName(port: number): string {
  const name = known(port);
  return name === undefined ? `port ${port}` : `${name} (${port})`;
}

/**
 * Kinds of general-purpose devices (people use them for anything: new sites, new peers, big
 * uploads are their normal). Single-purpose IoT devices talk to a few known services, so a
 * change in what they reach means more.
 */
export const GENERAL_PURPOSE: ReadonlySet<string> = new Set([
  'phone',
  'computer',
  'tablet',
  'console',
]);

export function isGeneralPurpose(kind: string): boolean {
  return GENERAL_PURPOSE.has(kind);
}
