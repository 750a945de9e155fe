/**
 * Per device and window: the peers (address, port, protocol) it started flows to, with the
 * counts and payload bytes behind `PeerEvidence` and the upload shape behind `UploadEvidence`.
 * A flow holds its initiator's tally for the current window (FlowNotes.peer), so a packet costs
 * a field read and a few additions; the tally is looked up once per flow and window.
 * @module
 */
import { ipv4ToString } from '../decode/addr.js';
import type { Flow } from '../flows/flow.js';
import type { DeviceActivity } from './accumulator.js';
import { MAX_PEERS, type PeerEvidence, type UploadEvidence } from './evidence.js';
import { respKey } from './flow-keys.js';

/** Peers tallied per device and window before new ones are refused (then MAX_PEERS reported). */
export const MAX_TRACKED_PEERS = 4 * MAX_PEERS;

/**
 * A pause longer than this ends a paced upload to a peer: payload sent in chunks every few
 * seconds (an audio uploader's, a leak paced to stay small) goes on as one upload, where the
 * device's continuous upload (accumulator.ts, pauses of 1 s at most) sees many short ones.
 * Not longer: at 10 s a real plug's bursts to its cloud during a phase change (pauses of 1–7.5 s,
 * 344 kB in 2 min: nku-lifecycle xiaodu_plug.pcap) ran together into a sustained upload.
 */
export const PACED_GAP_S = 5;

/**
 * The upload shape of each tally (sum of squared payload sizes, first and last payload times,
 * sums of gaps and squared gaps, the start of the current paced run and the longest run),
 * SHAPE doubles a tally in its book's `shape` array: fractional and large values in fields of
 * their own would each be a heap number the packet path reads through, seven per tally; here
 * they share a cache line or two and the collector never sees them.
 */
const SUM_SQ_UP = 0;
const FIRST_UP_TS = 1;
const LAST_UP_TS = 2;
const GAP_SUM = 3;
const GAP_SUM_SQ = 4;
const RUN_START = 5;
const RUN_LONGEST = 6;
const SHAPE = 7;
/** Tallies the shape array holds at first (doubled as needed, up to MAX_TRACKED_PEERS). */
const INITIAL_SHAPES = 8;

export class PeerTally {
  name = '';
  dnsAnswered = false;
  flows = 0;
  failed = 0;
  probes = 0;
  shortSessions = 0;
  bytesUp = 0;
  bytesDown = 0;
  /** Payload packets sent (their sizes and times: `sent()`, in the book's shape array). */
  packetsUp = 0;
  /**
   * Gaps before payload packets sent (since the previous packet of the same flow, so flows in
   * parallel do not shorten each other's): their count; sum and sum of squares in the shape.
   */
  gaps = 0;

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
    /** The book whose shape array holds this tally's upload shape, at `at`. */
    readonly book: PeerBook,
    readonly at: number,
  ) {
    this.ip4 = typeof ip === 'number' ? ip | 0 : 0;
    this.#ip6 = typeof ip === 'number' ? '' : ip;
  }

  /** The peer's address as text (IPv4 dotted, IPv6 RFC 5952). */
  get ip(): string {
    if (this.#ip6 === '') this.#ip6 = ipv4ToString(this.ip4);
    return this.#ip6;
  }

  /** Sum of squared payload sizes sent. */
  get sumSqUp(): number {
    return this.book.shape[this.at + SUM_SQ_UP];
  }

  /** Packet time of the first / last payload packet sent (-1: none). */
  get firstUpTs(): number {
    return this.book.shape[this.at + FIRST_UP_TS];
  }

  get lastUpTs(): number {
    return this.book.shape[this.at + LAST_UP_TS];
  }

  /** Sum and sum of squares of the gaps counted in `gaps`. */
  get gapSum(): number {
    return this.book.shape[this.at + GAP_SUM];
  }

  get gapSumSq(): number {
    return this.book.shape[this.at + GAP_SUM_SQ];
  }

  /** Seconds of the longest paced upload to the peer (pauses of PACED_GAP_S at most). */
  get pacedS(): number {
    return this.book.shape[this.at + RUN_LONGEST];
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
  /** The tallies' upload shapes, SHAPE doubles each (PeerTally.at). */
  shape = new Float64Array(0);
  /**
   * The LAN device at a LAN tally's address, as its MAC: a neighbour reached at its IPv4,
   * link-local and global IPv6 addresses is one peer. Beside the tallies rather than a field of
   * each: most tallies are of remote peers, and 100k of them are open at once on a busy network.
   */
  readonly #macs = new Map<PeerTally, string>();

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
    const at = this.#tallies.length * SHAPE;
    if (at + SHAPE > this.shape.length) this.#grow();
    const shape = this.shape;
    shape[at + SUM_SQ_UP] = 0;
    shape[at + FIRST_UP_TS] = -1;
    shape[at + LAST_UP_TS] = -1;
    shape[at + GAP_SUM] = 0;
    shape[at + GAP_SUM_SQ] = 0;
    shape[at + RUN_START] = -1;
    shape[at + RUN_LONGEST] = 0;
    const t = new PeerTally(ip, port, proto, local, this, at);
    if (first !== undefined) t.sameIp = first;
    this.#byIp.set(key, t);
    this.#tallies.push(t);
    return t;
  }

  /** Notes that the LAN device `mac` holds the address of tally `t`. */
  noteDevice(t: PeerTally, mac: string): void {
    if (!this.#macs.has(t)) this.#macs.set(t, mac);
  }

  clear(): void {
    this.refused = 0;
    const n = this.#tallies.length;
    if (n === 0) return;
    this.#byIp.clear();
    this.#macs.clear();
    this.#tallies.length = 0;
    // A window with many peers (a scan) does not keep its room for every later one.
    if (this.shape.length > 4 * SHAPE * Math.max(INITIAL_SHAPES, n)) {
      this.shape = new Float64Array(SHAPE * INITIAL_SHAPES);
    }
  }

  /** Doubles the shape array (its content is the current window's tallies). */
  #grow(): void {
    const tallies = Math.min(
      MAX_TRACKED_PEERS,
      Math.max(INITIAL_SHAPES, (2 * this.shape.length) / SHAPE),
    );
    const next = new Float64Array(tallies * SHAPE);
    next.set(this.shape);
    this.shape = next;
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
      mac: this.#macs.get(t) ?? '',
      name: t.name,
      dnsAnswered: t.dnsAnswered,
      flows: t.flows,
      failed: t.failed,
      probes: t.probes,
      shortSessions: t.shortSessions,
      bytesUp: t.bytesUp,
      bytesDown: t.bytesDown,
      packetsUp: t.packetsUp,
      sizeCvUp: cv(t.bytesUp, t.sumSqUp, t.packetsUp),
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
      pacedS: best.pacedS,
      sizeCv: cv(best.bytesUp, best.sumSqUp, best.packetsUp),
      gapCv: cv(best.gapSum, best.gapSumSq, best.gaps),
    };
  }
}

/**
 * Counts one payload packet the device sent to peer `t` on flow `f`: its size; `gapS`, the
 * seconds since the flow's previous forward packet (-1: none; FlowTable.gapS), for the upload
 * shape; and the paced run it extends or starts (the peer's previous payload packet, on any of
 * its flows, within PACED_GAP_S). The packet's time comes from the flow (the flow table set it
 * for this packet).
 */
export function sent(t: PeerTally, f: Flow, len: number, gapS: number): void {
  t.bytesUp += len;
  t.packetsUp++;
  const shape = t.book.shape;
  const at = t.at;
  shape[at + SUM_SQ_UP] += len * len;
  const g = gapS;
  const first = shape[at + FIRST_UP_TS];
  if (g >= 0 && first >= 0) {
    t.gaps++;
    shape[at + GAP_SUM] += g;
    shape[at + GAP_SUM_SQ] += g * g;
  }
  const ts = f.fwdLastTs;
  if (first < 0) shape[at + FIRST_UP_TS] = ts;
  const last = shape[at + LAST_UP_TS];
  if (last < 0 || ts - last > PACED_GAP_S) shape[at + RUN_START] = ts;
  else if (ts - shape[at + RUN_START] > shape[at + RUN_LONGEST])
    shape[at + RUN_LONGEST] = ts - shape[at + RUN_START];
  shape[at + LAST_UP_TS] = ts;
}

/**
 * Looks up (or opens) the tally of the flow's responder in its initiator's window notes (`a` is
 * the initiator's activity), named by the DNS answer the initiator had for the address, else by
 * the flow's server name. Once per flow and window (DeviceWindows keeps it in Flow.peer).
 */
export function responderTally(f: Flow, a: DeviceActivity): PeerTally | null {
  const ip = respKey(f);
  const t = a.notes.peers.tally(ip, f.respPort, f.proto, f.respLocal);
  if (t !== null && f.respDev !== null) a.notes.peers.noteDevice(t, f.respDev.macStr);
  if (t !== null && !t.dnsAnswered) {
    const name = a.dnsAnswers.get(ip);
    if (name !== undefined) {
      t.dnsAnswered = true;
      t.name = name;
    } else if (t.name === '' && f.serverName !== '') t.name = f.serverName;
  }
  return t;
}
