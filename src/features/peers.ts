/**
 * Per device and window: the peers (address, port, protocol) it started flows to, with the
 * counts and payload bytes behind `PeerEvidence` and the upload shape behind `UploadEvidence`.
 * A flow holds its initiator's tally for the current window (FlowNotes.peer), so a packet costs
 * a field read and a few additions; the tally is looked up once per flow and window.
 * @module
 */
import { ipv4ToString } from '../decode/addr.js';
import type { Flow } from '../flows/flow.js';
import { MAX_PEERS, type PeerEvidence, type UploadEvidence } from './evidence.js';

/** Peers tallied per device and window before new ones are refused (then MAX_PEERS reported). */
export const MAX_TRACKED_PEERS = 4 * MAX_PEERS;

export class PeerTally {
  name = '';
  dnsAnswered = false;
  flows = 0;
  failed = 0;
  probes = 0;
  shortSessions = 0;
  bytesUp = 0;
  bytesDown = 0;
  /** Payload packets sent, sum of squared payload sizes, first / last of them (windows.ts). */
  packetsUp = 0;
  sumSqUp = 0;
  firstUpTs = -1;
  lastUpTs = -1;
  /**
   * Gaps before payload packets sent (since the previous packet of the same flow, so flows in
   * parallel do not shorten each other's): count, sum, sum of squares.
   */
  gaps = 0;
  gapSum = 0;
  gapSumSq = 0;

  /** The next tally of the same address (another port or protocol), or null. */
  sameIp: PeerTally | null = null;
  /** The peer's IPv6 address as text, or '' for IPv4 (`ip4`): text is made only for output. */
  #ip6: string;
  /** IPv4 address as an int32 (a small integer to V8; `ip` gives the text). */
  readonly ip4: number;

  constructor(
    ip: number | string,
    readonly port: number,
    readonly proto: number,
    readonly local: boolean,
  ) {
    this.ip4 = typeof ip === 'number' ? ip | 0 : 0;
    this.#ip6 = typeof ip === 'number' ? '' : ip;
  }

  /** The peer's address as text (IPv4 dotted, IPv6 RFC 5952). */
  get ip(): string {
    if (this.#ip6 === '') this.#ip6 = ipv4ToString(this.ip4);
    return this.#ip6;
  }
}

function cv(sum: number, sumSq: number, n: number): number {
  if (n < 2 || sum <= 0) return 0;
  const m = sum / n;
  return Math.sqrt(Math.max(0, sumSq / n - m * m)) / m;
}

export class PeerBook {
  /**
   * Tallies by address (IPv4 as an int32, a small integer to V8; IPv6 as text), the tallies of
   * one address chained through `sameIp` (ports and protocols of one address are few).
   */
  readonly #byIp = new Map<number | string, PeerTally>();
  readonly #tallies: PeerTally[] = [];
  /** Flow-windows that found the book full. */
  refused = 0;

  /**
   * The tally of (ip, port, proto), created when there is room; null when full. `ip` is an IPv4
   * address as a number or an IPv6 address as text.
   */
  tally(ip: number | string, port: number, proto: number, local: boolean): PeerTally | null {
    const key = typeof ip === 'number' ? ip | 0 : ip;
    const first = this.#byIp.get(key);
    for (let t: PeerTally | null = first ?? null; t !== null; t = t.sameIp) {
      if (t.port === port && t.proto === proto) return t;
    }
    if (this.#tallies.length >= MAX_TRACKED_PEERS) {
      this.refused++;
      return null;
    }
    const t = new PeerTally(ip, port, proto, local);
    if (first !== undefined) t.sameIp = first;
    this.#byIp.set(key, t);
    this.#tallies.push(t);
    return t;
  }

  clear(): void {
    this.refused = 0;
    if (this.#tallies.length === 0) return;
    this.#byIp.clear();
    this.#tallies.length = 0;
  }

  /** The name the device knew peer `ip` by on any port (IPv4 as a number), or ''. */
  nameOf(ip: number | string): string {
    const first = this.#byIp.get(typeof ip === 'number' ? ip | 0 : ip);
    for (let t: PeerTally | null = first ?? null; t !== null; t = t.sameIp) {
      if (t.name !== '') return t.name;
    }
    return '';
  }

  tallies(): readonly PeerTally[] {
    return this.#tallies;
  }

  /** Peers, most flows first (then most bytes), at most MAX_PEERS; `dropped` gets the rest. */
  evidence(): { peers: PeerEvidence[]; dropped: number } {
    const all = this.#tallies
      .slice()
      .sort((a, b) => b.flows - a.flows || b.bytesUp + b.bytesDown - (a.bytesUp + a.bytesDown));
    const peers = all.slice(0, MAX_PEERS).map((t): PeerEvidence => ({
      ip: t.ip,
      port: t.port,
      proto: t.proto,
      local: t.local,
      name: t.name,
      dnsAnswered: t.dnsAnswered,
      flows: t.flows,
      failed: t.failed,
      probes: t.probes,
      shortSessions: t.shortSessions,
      bytesUp: t.bytesUp,
      bytesDown: t.bytesDown,
    }));
    return { peers, dropped: Math.max(0, all.length - MAX_PEERS) + this.refused };
  }

  /** The remote peer the device sent most payload to, and the shape of that stream. */
  upload(): UploadEvidence | null {
    let best: PeerTally | null = null;
    for (const t of this.#tallies) {
      if (t.local || t.bytesUp === 0) continue;
      if (best === null || t.bytesUp > best.bytesUp) best = t;
    }
    if (best === null) return null;
    return {
      ip: best.ip,
      port: best.port,
      name: best.name,
      dnsAnswered: best.dnsAnswered,
      bytes: best.bytesUp,
      packets: best.packetsUp,
      durationS: best.lastUpTs - best.firstUpTs,
      sizeCv: cv(best.bytesUp, best.sumSqUp, best.packetsUp),
      gapCv: cv(best.gapSum, best.gapSumSq, best.gaps),
    };
  }
}

/**
 * Counts one payload packet the device sent to peer `t` on flow `f`: its size, and the gap since
 * the flow's previous packet, for the upload shape. Times come from the flow (the flow table set
 * them for this packet): a packet time passed to a call V8 does not inline would be boxed.
 */
export function sent(t: PeerTally, f: Flow, len: number): void {
  t.bytesUp += len;
  t.packetsUp++;
  t.sumSqUp += len * len;
  const g = f.fwdGapS;
  if (g >= 0 && t.firstUpTs >= 0) {
    t.gaps++;
    t.gapSum += g;
    t.gapSumSq += g * g;
  }
  if (t.firstUpTs < 0) t.firstUpTs = f.fwdLastTs;
  t.lastUpTs = f.fwdLastTs;
}
