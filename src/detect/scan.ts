/**
 * `scan`: one device touching many hosts or many ports, most of which do not answer (Zeek's
 * scan.zeek: address scans and port scans counted over a few minutes). Cold start: no baseline
 * needed. An internet telnet sweep on 23/2323 is named as the Mirai family's.
 *
 * Counted per window from the peers the device started flows to: distinct hosts with failed
 * attempts (refused or never answered), per side (LAN, internet), over the last
 * `SPAN_WINDOWS` windows; and per host, distinct ports with failed attempts or probes (flows
 * without a byte of payload: reset right after the handshake, FIN/NULL/Xmas probes). The
 * span's windows are kept in scan-memory.ts.
 *
 * A low-and-slow sweep (a SYN every 30 s: a hundred hosts an hour) never fills the span: the
 * internet hosts that failed a TCP connection are also kept per port for SLOW_SPAN_S, and
 * SLOW_REMOTE_HOSTS of them on one port make a sweep. One port, TCP, addresses never looked
 * up: a sweep probes one service at addresses it picks; a peer-to-peer app's failures (UDP,
 * ports of its peers' choosing) are not that.
 *
 * A port scan of one host at a flood's rate by a device that runs no port scanner (no phone or
 * computer) is a SYN flood to random ports: `abnormal_upload` names it (flood.ts), and this
 * leaves it, in that window and for the span after (the flood's last window may be slower).
 * @module
 */
import { clock, list, plural } from '../alerts/words.js';
import { RecentKeys } from './recent.js';
import type { PeerEvidence } from '../features/evidence.js';
import { expectMap, expectObject, refill } from '../state/codec.js';
import { FLOOD_PPS, floodInput, floodOf } from './flood.js';
import { type Flooded, flooded, type Held, held } from './scan-held.js';
import {
  MAX_HOSTS,
  MAX_PORTS,
  NO_HOSTS,
  NO_PORTS,
  ScanMemory,
  side,
  type Side,
  SPAN_WINDOWS,
  topPorts,
  union,
} from './scan-memory.js';
import { isGeneralPurpose, TELNET_PORTS } from './services.js';
import type { DetectContext, Detector, EpisodeView, Finding } from './types.js';

/** Distinct internet hosts with failed attempts, over the span, that make a sweep. */
export const REMOTE_HOSTS = 20;
/** Distinct LAN hosts with failed attempts that make a LAN sweep (a home has few hosts). */
export const LAN_HOSTS = 8;
/** Distinct ports with failed attempts on one host that make a port scan. */
export const HOST_PORTS = 6;
/** Seconds over which a slow sweep's failed internet hosts add up, per port. */
export const SLOW_SPAN_S = 3600;
/** Distinct internet hosts failing TCP on one port over SLOW_SPAN_S that make a slow sweep. */
export const SLOW_REMOTE_HOSTS = 40;
/** Hosts remembered per device for slow sweeps (the oldest dropped first). */
const MAX_SLOW_HOSTS = 4096;

export interface ScanFacts {
  target: 'internet' | 'lan' | 'host';
  /** Distinct hosts probed with failures (sweeps) over the episode. */
  hosts: number;
  /** Ports probed most, most hosts first. */
  ports: number[];
  /** Failed attempts over the episode. */
  failed: number;
  /** For a port scan: the host and how many of its ports. */
  host: string;
  hostPorts: number;
  mirai: boolean;
  examples: string[];
}

const NO_KEYS: readonly string[] = [];

export class ScanDetector implements Detector<ScanFacts> {
  readonly behaviour = 'scan' as const;
  readonly needsBaseline = false;
  readonly advice =
    'A device that scans is usually compromised: disconnect it, reset it to factory settings, update its firmware and change its password; if it comes back, keep it on an isolated guest network.';
  readonly #memory = new ScanMemory();
  /** Per device: `port/ip` of internet hosts that failed TCP in the last SLOW_SPAN_S. */
  readonly #slow = new RecentKeys(SLOW_SPAN_S, MAX_SLOW_HOSTS);
  /** Per device: the host it last flooded (flood.ts) and the window's start. */
  readonly #flooded = new Map<string, Flooded>();
  /**
   * Per device: a port scan of one host held back (#hold) with the host and the end of its
   * window. A SYN flood to random ports that starts in the middle of a window sends that window
   * half its rate, short of flood.ts's FLOOD_PPS: the next window tells a flood's start from a
   * fast port scan. Named in the device's next window unless that is the flood, or released
   * (`release`) when the device has none. Saved with `--state` (and not released at the end of
   * a run that keeps its state): after a restart the device's next window tells it, as in one
   * run — a scan is named once, a flood's start is not named a scan.
   */
  readonly #held = new Map<string, Held>();

  /** This window's failed internet TCP hosts added; the most hosts of one port still recent. */
  #slowSweep(mac: string, peers: readonly PeerEvidence[], now: number): [number, number] | null {
    const keys: string[] = [];
    const ports = new Set<number>();
    for (const p of peers) {
      if (p.local || p.proto !== 6 || p.failed === 0 || p.dnsAnswered) continue;
      keys.push(`${p.port}/${p.ip}`);
      ports.add(p.port);
    }
    const recent = this.#slow.add(mac, keys, now);
    if (ports.size === 0) return null;
    const byPort = new Map<number, number>();
    for (const k of recent) {
      const port = Number(k.slice(0, k.indexOf('/')));
      if (ports.has(port)) byPort.set(port, (byPort.get(port) ?? 0) + 1);
    }
    let best: [number, number] | null = null;
    for (const [port, n] of byPort) if (best === null || n > best[1]) best = [port, n];
    return best;
  }

  detect(ctx: DetectContext): Finding<ScanFacts>[] {
    const { w } = ctx;
    const peers = w.evidence.peers;
    const held = this.#held.get(w.device.macStr);
    this.#held.delete(w.device.macStr);
    if (!peers.some((p) => p.failed !== 0 || p.probes !== 0)) {
      // Nearly every window: nothing failed and nothing probed, so nothing can be found; the
      // window still counts in the span, and the slow sweep's old hosts still expire. A port
      // scan held back from the window before ended there: it is named now.
      this.#memory.remember(w.device.macStr, w.record.start, NO_HOSTS, NO_HOSTS, NO_PORTS);
      this.#slow.add(w.device.macStr, NO_KEYS, w.record.end);
      return held !== undefined ? [held.finding] : [];
    }
    const remote = side(peers, false);
    const lan = side(peers, true);
    // Port scans: per host, ports failing or probed without a byte of payload.
    const perHost = new Map<string, number[]>();
    for (const p of peers) {
      if (p.failed === 0 && p.probes === 0) continue;
      let ports = perHost.get(p.ip);
      if (ports === undefined) {
        if (perHost.size >= MAX_HOSTS) continue;
        perHost.set(p.ip, (ports = []));
      }
      if (ports.length < MAX_PORTS && !ports.includes(p.port)) ports.push(p.port);
    }
    const m = this.#memory.remember(
      w.device.macStr,
      w.record.start,
      remote.hosts,
      lan.hosts,
      perHost,
    );
    const remoteSpan = union(m.remote);
    const lanSpan = union(m.lan);
    const out: Finding<ScanFacts>[] = [];
    const ts = w.record.start;
    const slow = this.#slowSweep(w.device.macStr, peers, w.record.end);
    if (remote.hosts.size > 0 && remoteSpan >= REMOTE_HOSTS) {
      out.push(this.#sweep('internet', remote, remoteSpan, ts));
    } else if (slow !== null && slow[1] >= SLOW_REMOTE_HOSTS) {
      const f = this.#sweep('internet', remote, slow[1], ts);
      f.facts.ports = [slow[0]];
      f.facts.mirai = TELNET_PORTS.has(slow[0]);
      f.score = Math.min(1, 0.6 + (0.4 * slow[1]) / (4 * SLOW_REMOTE_HOSTS));
      out.push(f);
    }
    if (lan.hosts.size > 0 && lanSpan >= LAN_HOSTS) out.push(this.#sweep('lan', lan, lanSpan, ts));
    // Port scan: one host probed in this window, its ports over the span.
    let best: [string, Set<number>] | null = null;
    for (const host of perHost.keys()) {
      const all = new Set<number>();
      for (const win of m.ports) for (const port of win.get(host) ?? []) all.add(port);
      if (best === null || all.size > best[1].size) best = [host, all];
    }
    let hostScan = false;
    if (best !== null && best[1].size >= HOST_PORTS && !this.#flood(ctx, best[0])) {
      hostScan = true;
      const ports = [...best[1]].sort((a, b) => a - b);
      // The evidence lists at most MAX_PEERS peers: a larger scan's ports are in the features.
      const local = peers.some((p) => p.ip === best[0] && p.local);
      const f = w.record.features;
      const counted = w.evidence.dropped > 0 ? ((local ? f.lanPorts : f.remotePorts) ?? 0) : 0;
      out.push({
        behaviour: 'scan',
        key: '',
        ts,
        score: Math.min(1, 0.6 + best[1].size / 50),
        severity: 'high',
        facts: {
          target: 'host',
          hosts: 1,
          ports: ports.slice(0, 5),
          failed: remote.failed + lan.failed,
          host: best[0],
          hostPorts: Math.max(best[1].size, counted),
          mirai: false,
          examples: [best[0]],
        },
      });
    }
    const scan = out.length > 0 ? out[out.length - 1] : null;
    if (hostScan && scan !== null && held === undefined && this.#hold(ctx)) {
      this.#held.set(w.device.macStr, { host: scan.facts.host, end: w.record.end, finding: scan });
      out.pop();
    } else if (held !== undefined && !hostScan && !this.#flood(ctx, held.host)) {
      out.push(held.finding);
    }
    // One episode per device: the strongest finding speaks for the window.
    return out.length > 1 ? [out.sort((a, b) => b.score - a.score)[0]] : out;
  }

  /**
   * A port scan of one host by a device that runs no port scanner, at half a flood's rate or
   * more, judged against its baseline (flood.ts judges only then): possibly the first window of
   * a SYN flood to random ports, which flood.ts names; held back one window.
   */
  #hold(ctx: DetectContext): boolean {
    const r = ctx.w.record;
    const packetsUp = r.features.packetsUp ?? 0;
    return (
      ctx.judged && !isGeneralPurpose(ctx.kind) && packetsUp * 2 >= FLOOD_PPS * (r.end - r.start)
    );
  }

  holds(mac: string): boolean {
    return this.#held.has(mac);
  }

  release(end: number): { mac: string; finding: Finding<ScanFacts> }[] {
    const out: { mac: string; finding: Finding<ScanFacts> }[] = [];
    for (const [mac, h] of this.#held) {
      if (h.end >= end) continue;
      this.#held.delete(mac);
      out.push({ mac, finding: h.finding });
    }
    return out;
  }

  /**
   * The port scan of `host` is a flood `abnormal_upload` names (flood.ts: many ports of one host
   * at a flood's rate, by a device that runs no port scanner), in this window or within the span
   * (the flood's last window may be slower).
   */
  #flood(ctx: DetectContext, host: string): boolean {
    const mac = ctx.w.device.macStr;
    const start = ctx.w.record.start;
    const flood = ctx.judged ? floodOf(floodInput(ctx)) : null;
    if (flood !== null && flood.target === host) {
      this.#flooded.set(mac, { host, start });
      return true;
    }
    const last = this.#flooded.get(mac);
    return last !== undefined && last.host === host && start - last.start < SPAN_WINDOWS * 60;
  }

  #sweep(target: 'internet' | 'lan', s: Side, span: number, ts: number): Finding<ScanFacts> {
    const ports = topPorts(s.byPort);
    const telnet = [...s.byPort]
      .filter(([p]) => TELNET_PORTS.has(p))
      .reduce((a, [, n]) => a + n, 0);
    const mirai = target === 'internet' && telnet * 2 >= s.hosts.size;
    const threshold = target === 'internet' ? REMOTE_HOSTS : LAN_HOSTS;
    return {
      behaviour: 'scan',
      key: '',
      ts,
      score: Math.min(1, 0.6 + (0.4 * span) / (4 * threshold)),
      severity: 'high',
      facts: {
        target,
        hosts: span,
        ports,
        failed: s.failed,
        host: '',
        hostPorts: 0,
        mirai,
        examples: [...s.hosts].slice(0, 3),
      },
    };
  }

  merge(ep: ScanFacts, next: ScanFacts): ScanFacts {
    return {
      target: next.target,
      hosts: Math.max(ep.hosts, next.hosts),
      ports: [...new Set([...ep.ports, ...next.ports])].slice(0, 5),
      failed: ep.failed + next.failed,
      host: next.host || ep.host,
      hostPorts: Math.max(ep.hostPorts, next.hostPorts),
      mirai: ep.mirai || next.mirai,
      examples: [...new Set([...ep.examples, ...next.examples])].slice(0, 3),
    };
  }

  sentence(ep: EpisodeView<ScanFacts>): string {
    const f = ep.facts;
    const since = clock(ep.since, ep.last);
    if (f.target === 'host')
      return `${ep.who} has been probing ${plural(f.hostPorts, 'port')} of ${f.host} since ${since}, most refused or unanswered: a port scan.`;
    const where = f.target === 'lan' ? 'on your network' : 'on the internet';
    const hosts = plural(f.hosts, 'address', 'addresses');
    const failing = `${plural(f.failed, 'attempt')} failing`;
    if (f.mirai)
      return `${ep.who} has tried to connect to ${hosts} ${where} since ${since}, ${failing}: a Mirai-style telnet scan (ports 23/2323), the way infected cameras and routers spread.`;
    const ports =
      f.ports.length === 0
        ? ''
        : `${f.ports.length === 1 ? 'port' : 'ports'} ${list(f.ports.map(String), 5)} of `;
    return `${ep.who} has tried to connect to ${ports}${hosts} ${where} since ${since}, ${failing}: a network scan.`;
  }

  forget(mac: string): void {
    this.#memory.forget(mac);
    this.#slow.forget(mac);
    this.#flooded.delete(mac);
    this.#held.delete(mac);
  }

  snapshot(): unknown {
    return {
      memory: this.#memory.snapshot(),
      slow: this.#slow.snapshot(),
      held: this.#held,
      flooded: this.#flooded,
    };
  }

  /** `held` and `flooded` are absent in state saved before they were kept: none. */
  restore(saved: unknown): void {
    const s = expectObject<{ memory: unknown; slow: unknown; held: unknown; flooded: unknown }>(
      saved,
      'scan',
      { memory: (x) => x, slow: (x) => x, held: (x) => x, flooded: (x) => x },
    );
    this.#memory.restore(s.memory, 'scan.memory');
    this.#slow.restore(s.slow, 'scan.slow');
    this.#held.clear();
    if (s.held !== undefined) refill(this.#held, expectMap(s.held, 'scan.held', held));
    this.#flooded.clear();
    if (s.flooded !== undefined)
      refill(this.#flooded, expectMap(s.flooded, 'scan.flooded', flooded));
  }
}
