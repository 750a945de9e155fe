/**
 * A router's own capture (`tcpdump -i any`, Linux cooked frames, SLL2) must tell the same story
 * about a device as a capture on the device's link (Ethernet). Three namespaces the test
 * creates: a device, a router forwarding between two links, and an "internet" host that echoes
 * UDP. Both captures run at once; each is replayed with the CLI and the device's packets up and
 * down are compared. Cooked frames carry no destination MAC, and the router sees each forwarded
 * packet twice (in on one interface, out on the other, the outgoing copy under the router's own
 * MAC): without care the device gets no down traffic and the router's interfaces pass for it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { signalAndWait, startAgent, stopAllAgents } from './agent.js';
import { labUnavailable, type Lab } from './netns.js';

const skip = labUnavailable() ?? (spawnSync('tcpdump', ['--version']).error ? 'no tcpdump' : null);

const id = Math.random().toString(16).slice(2, 8);
const NS = { dev: `hw-r${id}-d`, rtr: `hw-r${id}-r`, net: `hw-r${id}-n` };
const MAC = {
  dev: '02:00:00:00:07:02',
  rtrLan: '02:00:00:00:07:01',
  rtrWan: '02:00:00:00:71:01',
  net: '02:00:00:00:71:02',
};
const DEV_IP = '192.168.7.2';
const NET_IP = '203.0.113.2';
const DATAGRAMS = 40;

function sh(args: string[]): string {
  const r = spawnSync(args[0], args.slice(1), { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error(`${args.join(' ')}: ${r.error?.message ?? r.stderr.trim()}`);
  }
  return r.stdout;
}

const inNs = (ns: string, cmd: string[]): string[] => ['ip', 'netns', 'exec', ns, ...cmd];

/** Creates a veth pair between two namespaces with fixed MACs and addresses. */
function link(a: [string, string, string, string], b: [string, string, string, string]): void {
  const [nsA, ifA, macA, addrA] = a;
  const [nsB, ifB, macB, addrB] = b;
  sh(['ip', 'link', 'add', ifA, 'netns', nsA, 'type', 'veth', 'peer', 'name', ifB, 'netns', nsB]);
  for (const [ns, iface, mac, addr] of [
    [nsA, ifA, macA, addrA],
    [nsB, ifB, macB, addrB],
  ]) {
    sh(['ip', '-n', ns, 'link', 'set', iface, 'address', mac]);
    sh(['ip', '-n', ns, 'addr', 'add', addr, 'dev', iface]);
    sh(['ip', '-n', ns, 'link', 'set', iface, 'up']);
  }
}

/** Starts tcpdump and resolves once it listens (its "listening on" line). */
function startCapture(ns: string, iface: string, file: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn('ip', [
      'netns',
      'exec',
      ns,
      'tcpdump',
      '--immediate-mode',
      '-i',
      iface,
      '-U',
      '-w',
      file,
    ]);
    let err = '';
    const timer = setTimeout(() => reject(new Error(`tcpdump did not start: ${err}`)), 10_000);
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      err += d;
      if (err.includes('listening on')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.on('error', reject);
  });
}

function stopCapture(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.on('close', () => resolve());
    child.kill('SIGINT');
  });
}

interface DeviceCounts {
  up: number;
  down: number;
  ips: string[];
}

/** Per-device packets up/down summed over the windows of a replay, and the device records. */
function replay(file: string): Map<string, DeviceCounts> {
  const r = runCli(['replay', file, '--out', '-']);
  expect(r.code, r.stderr).toBe(0);
  return perDevice(r.stdout);
}

function perDevice(jsonLines: string): Map<string, DeviceCounts> {
  const out = new Map<string, DeviceCounts>();
  for (const line of jsonLines.trim().split('\n')) {
    const rec = JSON.parse(line) as {
      type: string;
      mac: string;
      ips: string[];
      features: Record<string, number>;
    };
    const d = out.get(rec.mac) ?? { up: 0, down: 0, ips: [] };
    if (rec.type === 'device') d.ips = rec.ips;
    if (rec.type === 'window') {
      d.up += rec.features.packetsUp;
      d.down += rec.features.packetsDown;
    }
    if (rec.type === 'device' || rec.type === 'window') out.set(rec.mac, d);
  }
  return out;
}

/** ARP requests sent to `mac` alone, on the device's link (tshark is the oracle). */
function unicastArpRequestsTo(mac: string): number {
  const r = spawnSync(
    'tshark',
    ['-r', join(dirOf.path, 'device-link.pcap'), '-Y', `arp.opcode == 1 && eth.dst == ${mac}`],
    { encoding: 'utf8' },
  );
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.split('\n').filter((l) => l.trim() !== '').length;
}

const dirOf = { path: '' };

describe.skipIf(skip !== null)('a router capturing on "any" (Linux cooked frames)', () => {
  let dir = '';
  let atDevice = new Map<string, DeviceCounts>();
  let atRouter = new Map<string, DeviceCounts>();
  let live = new Map<string, DeviceCounts>();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hw-router-'));
    dirOf.path = dir;
    try {
      for (const ns of Object.values(NS)) sh(['ip', 'netns', 'add', ns]);
      for (const ns of Object.values(NS)) {
        sh(inNs(ns, ['sysctl', '-qw', 'net.ipv6.conf.all.disable_ipv6=1']));
        sh(inNs(ns, ['sysctl', '-qw', 'net.ipv6.conf.default.disable_ipv6=1']));
        sh(['ip', '-n', ns, 'link', 'set', 'lo', 'up']);
      }
      sh(inNs(NS.rtr, ['sysctl', '-qw', 'net.ipv4.ip_forward=1']));
      link(
        [NS.dev, 'eth0', MAC.dev, `${DEV_IP}/24`],
        [NS.rtr, 'lan0', MAC.rtrLan, '192.168.7.1/24'],
      );
      link(
        [NS.rtr, 'wan0', MAC.rtrWan, '203.0.113.1/24'],
        [NS.net, 'eth0', MAC.net, `${NET_IP}/24`],
      );
      sh(['ip', '-n', NS.dev, 'route', 'add', 'default', 'via', '192.168.7.1']);
      sh(['ip', '-n', NS.net, 'route', 'add', '192.168.7.0/24', 'via', '203.0.113.1']);

      const devFile = join(dir, 'device-link.pcap');
      const rtrFile = join(dir, 'router-any.pcap');
      const caps = [
        await startCapture(NS.dev, 'eth0', devFile),
        await startCapture(NS.rtr, 'any', rtrFile),
      ];
      // And the agent itself on the router, as `homewatch capture --interface any`.
      const routerLab: Lab = {
        nsSend: NS.dev,
        ifSend: 'eth0',
        nsCapture: NS.rtr,
        ifCapture: 'any',
        inCapture: (cmd) => inNs(NS.rtr, cmd),
        cleanup: () => undefined,
      };
      const agent = await startAgent(routerLab, ['--out', '-']);
      // The internet host echoes DATAGRAMS datagrams, then exits; the device sends them, paced.
      const [echoCmd, ...echoArgs] = inNs(NS.net, [
        process.execPath,
        '-e',
        `const s = require('node:dgram').createSocket('udp4'); let n = 0;
           s.on('message', (m, r) => s.send(m, r.port, r.address, () => { if (++n === ${DATAGRAMS}) s.close(); }));
           s.bind(9999, () => console.log('ready'));
           setTimeout(() => s.close(), 20000).unref();`,
      ]);
      const echo = spawn(echoCmd, echoArgs);
      let echoErr = '';
      echo.stderr.setEncoding('utf8').on('data', (d: string) => (echoErr += d));
      await new Promise<void>((resolve, reject) => {
        echo.stdout.once('data', () => resolve());
        echo.once('close', () => reject(new Error(`the echo host did not start: ${echoErr}`)));
      });
      sh(
        inNs(NS.dev, [
          process.execPath,
          '-e',
          `const s = require('node:dgram').createSocket('udp4'); let got = 0, sent = 0;
           s.on('message', () => { if (++got === ${DATAGRAMS}) s.close(); });
           const t = setInterval(() => { s.send(Buffer.alloc(100, sent), 9999, '${NET_IP}');
             if (++sent === ${DATAGRAMS}) clearInterval(t); }, 10);
           setTimeout(() => process.exit(got === ${DATAGRAMS} ? 0 : 1), 10000).unref();`,
        ]),
      );
      await new Promise<void>((resolve) => echo.on('close', () => resolve()));
      // Let both captures write the last frames before they stop.
      await new Promise((resolve) => setTimeout(resolve, 300));
      for (const c of caps) await stopCapture(c);
      const agentRun = await signalAndWait(agent, 'SIGINT');
      expect(agentRun.code, agentRun.stderr).toBe(0);
      live = perDevice(agentRun.stdout);
      expect(statSync(rtrFile).size).toBeGreaterThan(0);
      atDevice = replay(devFile);
      atRouter = replay(rtrFile);
    } catch (err) {
      for (const ns of Object.values(NS)) spawnSync('ip', ['netns', 'del', ns]);
      throw err;
    }
  }, 60_000);

  afterAll(() => {
    stopAllAgents();
    for (const ns of Object.values(NS)) spawnSync('ip', ['netns', 'del', ns]);
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  it('the router capture is Linux cooked', () => {
    const r = spawnSync('capinfos', ['-E', join(dir, 'router-any.pcap')], { encoding: 'utf8' });
    expect(r.stdout).toMatch(/Linux cooked/i);
  });

  it('counts the device the same up and down as its own link does', () => {
    const own = atDevice.get(MAC.dev);
    const seen = atRouter.get(MAC.dev);
    expect(own?.up).toBeGreaterThanOrEqual(DATAGRAMS);
    expect(own?.down).toBeGreaterThanOrEqual(DATAGRAMS);
    expect(seen?.up).toBe(own?.up);
    // One thing a cooked frame cannot show: whether an ARP request the router sent went to the
    // device alone (Linux re-checks a neighbour with a unicast request that names no target
    // MAC) or to everybody. Those requests count as down on the device's link only.
    expect(seen?.down).toBe((own?.down ?? 0) - unicastArpRequestsTo(MAC.dev));
    expect(seen?.ips).toEqual([DEV_IP]);
  });

  it("does not take the router's interfaces for the device it forwards for", () => {
    for (const mac of [MAC.rtrLan, MAC.rtrWan]) {
      expect(atRouter.get(mac)?.ips ?? [], mac).not.toContain(DEV_IP);
    }
  });

  it('the agent capturing on "any" on the router sees what the replay of its capture sees', () => {
    expect(live.get(MAC.dev)).toEqual(atRouter.get(MAC.dev));
  });
});
