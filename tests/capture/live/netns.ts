/**
 * A private network for live-capture tests: two network namespaces joined by a veth pair (or one
 * namespace and a veth end in this namespace, for in-process sources). Captures are replayed into
 * one end with tcpreplay at a fixed rate. Nothing is sent anywhere else: the namespaces have no
 * other links, IPv6 (router/neighbour solicitations) is off, and the ends carry only 10.x
 * addresses. Names are unique per run; cleanup() always removes everything.
 * @module
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const SHARED = resolve(import.meta.dirname, '../../../../shared/datasets');

/** Why live tests cannot run here, or null when they can. */
export function labUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'needs root (network namespaces and packet capture)';
  const ip = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  if (ip.error || ip.status !== 0) return "'ip netns' is unavailable (Debian package iproute2)";
  const tr = spawnSync('tcpreplay', ['--version'], { encoding: 'utf8' });
  if (tr.error) return 'tcpreplay is not installed (Debian package tcpreplay)';
  return null;
}

function run(args: string[]): void {
  const r = spawnSync(args[0], args.slice(1), { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error(`${args.join(' ')} failed: ${r.error?.message ?? r.stderr.trim()}`);
  }
}

function quiet(args: string[]): void {
  spawnSync(args[0], args.slice(1), { encoding: 'utf8' });
}

export interface Lab {
  /** Namespace tcpreplay sends from. */
  nsSend: string;
  ifSend: string;
  /** Namespace the capture runs in ('' = this process's namespace). */
  nsCapture: string;
  ifCapture: string;
  /** Argument prefix to run a command in the capture namespace. */
  inCapture(cmd: string[]): string[];
  cleanup(): void;
}

/** Disables IPv6 and ARP answers on an interface so the kernel sends nothing on its own. */
function silence(ns: string, iface: string): void {
  const pre = ns === '' ? [] : ['ip', 'netns', 'exec', ns];
  const sysctl = (k: string): void => quiet([...pre, 'sysctl', '-qw', k]);
  sysctl(`net.ipv6.conf.${iface}.disable_ipv6=1`);
  sysctl(`net.ipv4.conf.${iface}.arp_ignore=8`);
  sysctl(`net.ipv4.conf.${iface}.forwarding=0`);
}

/**
 * Creates the lab. `captureInHost`: the capture end stays in this process's namespace (for
 * in-process LiveSource tests); otherwise it goes into a second namespace.
 */
export function createLab(captureInHost = false): Lab {
  const id = randomBytes(3).toString('hex');
  const nsSend = `hw-test-${id}-s`;
  const nsCapture = captureInHost ? '' : `hw-test-${id}-c`;
  const ifSend = `hws${id}`;
  const ifCapture = `hwc${id}`;
  const lab: Lab = {
    nsSend,
    ifSend,
    nsCapture,
    ifCapture,
    inCapture: (cmd) => (nsCapture === '' ? cmd : ['ip', 'netns', 'exec', nsCapture, ...cmd]),
    cleanup: () => {
      quiet(['ip', 'netns', 'del', nsSend]); // deleting a namespace deletes its veth end
      if (nsCapture !== '') quiet(['ip', 'netns', 'del', nsCapture]);
      else quiet(['ip', 'link', 'del', ifCapture]);
    },
  };
  try {
    run(['ip', 'netns', 'add', nsSend]);
    if (nsCapture !== '') run(['ip', 'netns', 'add', nsCapture]);
    const peerNs = nsCapture === '' ? [] : ['netns', nsCapture];
    run([
      'ip',
      'link',
      'add',
      ifSend,
      'netns',
      nsSend,
      'type',
      'veth',
      'peer',
      'name',
      ifCapture,
      ...peerNs,
    ]);
    const inNs = (ns: string): string[] => (ns === '' ? [] : ['-n', ns]);
    for (const [ns, iface, addr] of [
      [nsSend, ifSend, '10.213.0.1/30'],
      [nsCapture, ifCapture, '10.213.0.2/30'],
    ]) {
      silence(ns, iface);
      // Captured frames can exceed 1514 bytes (offloads on the recording machine).
      run(['ip', ...inNs(ns), 'link', 'set', iface, 'mtu', '9000']);
      run(['ip', ...inNs(ns), 'addr', 'add', addr, 'dev', iface]);
      run(['ip', ...inNs(ns), 'link', 'set', iface, 'up']);
      if (ns !== '') run(['ip', '-n', ns, 'link', 'set', 'lo', 'up']);
    }
    waitOperUp(nsSend, ifSend);
    waitOperUp(nsCapture, ifCapture);
  } catch (err) {
    lab.cleanup();
    throw err;
  }
  return lab;
}

/** Waits (up to 5 s) until the kernel reports the link up: both veth ends are up. */
function waitOperUp(ns: string, iface: string): void {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let i = 0; i < 500; i++) {
    const args = [...(ns === '' ? [] : ['-n', ns]), '-br', 'link', 'show', 'dev', iface];
    const r = spawnSync('ip', args, { encoding: 'utf8' });
    if (/\sUP\s/.test(r.stdout)) return;
    Atomics.wait(pause, 0, 0, 10);
  }
  throw new Error(`${iface} did not come up`);
}

/**
 * Replays `file` into the lab's sending end at `pps` packets/s (0: no rate of its own, for a
 * speed given in `extra` such as --topspeed); resolves with tcpreplay's count.
 */
export function replayInto(
  lab: Lab,
  file: string,
  pps: number,
  extra: string[] = [],
  /** Wraps tcpreplay, e.g. ['taskset', '-c', '1'] (bench). */
  wrap: string[] = [],
): Promise<{ sent: number; failed: number; output: string }> {
  return new Promise((resolveP, reject) => {
    const child = spawn('ip', [
      'netns',
      'exec',
      lab.nsSend,
      ...wrap,
      'tcpreplay',
      `--intf1=${lab.ifSend}`,
      ...(pps > 0 ? [`--pps=${pps}`] : []),
      ...extra,
      file,
    ]);
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const sent = /Successful packets:\s+(\d+)/.exec(out);
      const failed = /Failed packets:\s+(\d+)/.exec(out);
      if (code !== 0 || !sent) reject(new Error(`tcpreplay failed (${code}): ${out}`));
      else resolveP({ sent: Number(sent[1]), failed: Number(failed?.[1] ?? 0), output: out });
    });
  });
}

/** Packet count of a capture from datasets/MANIFEST.tsv (tshark's count). */
export function manifestPackets(relPath: string): number {
  for (const line of readFileSync(resolve(SHARED, 'MANIFEST.tsv'), 'utf8').split('\n')) {
    const f = line.split('\t');
    if (f[0] === relPath) return Number(f[5]);
  }
  throw new Error(`${relPath} is not in MANIFEST.tsv`);
}

/** Resolves once a TCP port listens in the capture namespace (the agent is ready). */
export async function waitForListen(lab: Lab, port: number, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const [cmd, ...args] = lab.inCapture(['ss', '-Hltn', `sport = :${port}`]);
    const r = spawnSync(cmd, args, { encoding: 'utf8' });
    if (r.status === 0 && r.stdout.includes(`:${port}`)) return;
    await new Promise((r2) => setTimeout(r2, 50));
  }
  throw new Error(`nothing listens on port ${port} after ${timeoutMs} ms`);
}
