/**
 * Per device and window: the peers (address, port, protocol) it started flows to, with the
 * counts and payload bytes behind `PeerEvidence` and the upload shape behind `UploadEvidence`.
 * A flow holds its initiator's tally for the current window (FlowNotes.peer), so a packet costs
 * a field read and a few additions; the tally is looked up once per flow and window.
 * @module
 */
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
  /** Payload packets sent, sum of squared payload sizes, first / last of them. */
  packetsUp = 0;
  sumSqUp = 0;
  firstUpTs = -1;
  lastUpTs = -1;
  /** Gaps between consecutive payload packets sent: count, sum, sum of squares. */
  gaps = 0;
  gapSum = 0;
  gapSumSq = 0;

  constructor(
    readonly ip: string,
    readonly port: number,
    readonly proto: number,
    readonly local: boolean,
  ) {}

  /** Counts one payload packet the device sent to this peer. */
  up(ts: number, bytes: number): void {
    this.bytesUp += bytes;
    this.packetsUp++;
    this.sumSqUp += bytes * bytes;
    if (this.lastUpTs >= 0) {
      const g = ts - this.lastUpTs;
      this.gaps++;
      this.gapSum += g;
      this.gapSumSq += g * g;
    } else this.firstUpTs = ts;
    this.lastUpTs = ts;
  }
}

function cv(sum: number, sumSq: number, n: number): number {
  if (n < 2 || sum <= 0) return 0;
  const m = sum / n;
  return Math.sqrt(Math.max(0, sumSq / n - m * m)) / m;
}

export class PeerBook {
  readonly #tallies = new Map<string, PeerTally>();
  /** Flow-windows that found the book full. */
  refused = 0;

  /** The tally of (ip, port, proto), created when there is room; null when full. */
  tally(ip: string, port: number, proto: number, local: boolean): PeerTally | null {
    const key = `${proto}/${port}/${ip}`;
    let t = this.#tallies.get(key);
    if (t === undefined) {
      if (this.#tallies.size >= MAX_TRACKED_PEERS) {
        this.refused++;
        return null;
      }
      t = new PeerTally(ip, port, proto, local);
      this.#tallies.set(key, t);
    }
    return t;
  }

  clear(): void {
    this.#tallies.clear();
    this.refused = 0;
  }

  tallies(): IterableIterator<PeerTally> {
    return this.#tallies.values();
  }

  /** Peers, most flows first (then most bytes), at most MAX_PEERS; `dropped` gets the rest. */
  evidence(): { peers: PeerEvidence[]; dropped: number } {
    const all = [...this.#tallies.values()].sort(
      (a, b) => b.flows - a.flows || b.bytesUp + b.bytesDown - (a.bytesUp + a.bytesDown),
    );
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
    for (const t of this.#tallies.values()) {
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
