/**
 * A bounded, bidirectional flow table on packet time. Lookups hash numeric fields straight from
 * the DecodedPacket into an open-addressed index (linear probing, backward-shift deletion), so
 * the hot path allocates nothing for a packet of a known flow.
 *
 * Timeouts: each flow sits in one of three LRU lists by timeout class (connection attempts,
 * open flows, closed TCP), so expiry walks only flows that are due. Everything is bounded:
 * at `maxFlows` the least recently active flow is evicted and counted.
 * @module
 */
import { DecodedPacket, L3, TcpFlag } from '../decode/packet.js';
import { ExpireReason, Flow, Outcome } from './flow.js';
import { direction, hashFlow, hashPacket } from './key.js';

export interface FlowTableOptions {
  /** Most flows held at once; the least recently active is evicted beyond it. */
  maxFlows: number;
  /** Idle timeout of open flows (TCP established, UDP, others). */
  idleTimeoutS: number;
  /** Idle timeout of TCP connection attempts not answered yet. */
  attemptTimeoutS: number;
  /** Idle timeout after FIN from both sides or RST. */
  closedTimeoutS: number;
  /** A flow longer than this is expired and continues as a new flow (NetFlow's active timeout). */
  activeTimeoutS: number;
  /** Called once for every flow leaving the table. */
  onExpire?: (flow: Flow, reason: ExpireReason) => void;
}

export const DEFAULT_FLOW_OPTIONS: Omit<FlowTableOptions, 'onExpire'> = {
  maxFlows: 500_000,
  idleTimeoutS: 120,
  attemptTimeoutS: 20,
  closedTimeoutS: 10,
  activeTimeoutS: 1800,
};

export interface FlowTableStats {
  active: number;
  created: number;
  expired: number;
  evicted: number;
}

const CLASS_ATTEMPT = 0;
const CLASS_OPEN = 1;
const CLASS_CLOSED = 2;
const NIL = -1;
/** Slots allocated up front; the table doubles as flows arrive, up to maxFlows. */
const INITIAL_CAPACITY = 1024;
/** Most flows one `advance()` call expires; the rest wait for the next call. */
const SWEEP_BUDGET = 256;

export class FlowTable {
  readonly #opts: FlowTableOptions;
  readonly #timeouts: Float64Array;
  #flows: (Flow | undefined)[];
  /** Hash index: slot + 1 of the flow in each bucket, 0 when empty. */
  #index: Int32Array;
  #mask: number;
  /** Bucket of each slot, for deletion. */
  #bucketOf: Int32Array;
  /** LRU links per slot and list heads/tails per timeout class. */
  #prev: Int32Array;
  #next: Int32Array;
  readonly #head = new Int32Array([NIL, NIL, NIL]);
  readonly #tail = new Int32Array([NIL, NIL, NIL]);
  #freeSlots: Int32Array;
  /** Slots allocated so far; grows by doubling up to maxFlows. */
  #capacity = 0;
  #freeTop: number;
  #serial = 0;
  readonly #activeTimeoutS: number;

  readonly stats: FlowTableStats = { active: 0, created: 0, expired: 0, evicted: 0 };
  /** After `update()`: the packet went initiator → responder. */
  forward = true;
  /** After `update()`: the packet created the flow. */
  created = false;
  /**
   * After `update()`: for a forward packet, seconds since the flow's previous forward packet;
   * -1 for its first forward packet and for reverse packets.
   */
  gapS = -1;

  constructor(options: Partial<FlowTableOptions> = {}) {
    this.#opts = { ...DEFAULT_FLOW_OPTIONS, ...options };
    const max = Math.max(16, Math.floor(this.#opts.maxFlows));
    this.#opts.maxFlows = max;
    this.#activeTimeoutS = this.#opts.activeTimeoutS;
    this.#timeouts = new Float64Array([
      this.#opts.attemptTimeoutS,
      this.#opts.idleTimeoutS,
      this.#opts.closedTimeoutS,
    ]);
    this.#index = new Int32Array(0);
    this.#mask = 0;
    this.#flows = [];
    this.#bucketOf = this.#prev = this.#next = this.#freeSlots = new Int32Array(0);
    this.#freeTop = 0;
    this.#grow(Math.min(max, INITIAL_CAPACITY));
  }

  get size(): number {
    return this.stats.active;
  }

  /**
   * Finds or creates the flow of an IPv4/IPv6 packet with a transport header and counts the
   * packet in it. Returns null for packets that carry no flow (non-IP, later fragments).
   * Afterwards `forward` and `created` describe the packet.
   */
  update(p: DecodedPacket, now: number): Flow | null {
    if (p.l3 !== L3.IPv4 && p.l3 !== L3.IPv6) return null;
    if (p.laterFragment) return null;
    const h = hashPacket(p);
    const mask = this.#mask;
    const index = this.#index;
    const flows = this.#flows;
    for (let b = h & mask; ; b = (b + 1) & mask) {
      const e = index[b];
      if (e === 0) break;
      const f = flows[e - 1] as Flow;
      const dir = f.proto === p.ipProto ? direction(f, p) : 0;
      if (dir === 0) continue;
      if (now - f.firstTs > this.#activeTimeoutS) {
        this.#remove(f, ExpireReason.Active);
        break;
      }
      // Idle past its timeout, but no packet since has let advance() expire it: it has ended
      // all the same, and this packet starts a new flow.
      if (this.#expireIfIdle(f, now)) break;
      this.forward = dir === 1;
      this.created = false;
      this.#count(f, p, now, dir === 1);
      return f;
    }
    return this.#create(p, now, h);
  }

  /** Expires flows idle past their timeout at packet time `now` (bounded work per call). */
  advance(now: number): void {
    let budget = SWEEP_BUDGET;
    for (let c = 0; c < 3; c++) {
      let s = this.#head[c];
      while (s !== NIL && budget > 0) {
        const nextSlot = this.#next[s];
        if (!this.#expireIfIdle(this.#flows[s] as Flow, now)) break;
        budget--;
        s = nextSlot;
      }
    }
  }

  /** Removes `f` when it has been idle past its class's timeout at `now`; true if it did. */
  #expireIfIdle(f: Flow, now: number): boolean {
    const cls = f.timeoutClass;
    if (now - f.lastTs <= this.#timeouts[cls]) return false;
    this.#remove(f, cls === CLASS_CLOSED ? ExpireReason.Closed : ExpireReason.Idle);
    return true;
  }

  /** Expires every flow (end of input, shutdown), oldest first per class. */
  flushAll(): void {
    for (let c = 0; c < 3; c++) {
      while (this.#head[c] !== NIL)
        this.#remove(this.#flows[this.#head[c]] as Flow, ExpireReason.Flush);
    }
  }

  /** Active flows, for inspection and tests (allocates). */
  flows(): Flow[] {
    const out: Flow[] = [];
    for (const f of this.#flows) if (f !== undefined) out.push(f);
    return out;
  }

  #create(p: DecodedPacket, now: number, h: number): Flow | null {
    if (this.#freeTop === 0) {
      if (this.#capacity < this.#opts.maxFlows) {
        this.#grow(Math.min(this.#opts.maxFlows, this.#capacity * 2));
      } else this.#evictOldest();
    }
    const slot = this.#freeSlots[--this.#freeTop];
    const f = new Flow();
    f.slot = slot;
    f.serial = ++this.#serial;
    f.proto = p.ipProto;
    // A TCP segment with SYN+ACK answers an attempt we missed: its receiver initiated.
    const reversed =
      p.ipProto === 6 && (p.tcpFlags & (TcpFlag.SYN | TcpFlag.ACK)) === (TcpFlag.SYN | TcpFlag.ACK);
    if (p.l3 === L3.IPv6) {
      const ip6 = new Uint32Array(8);
      const a = reversed ? p.dst6 : p.src6;
      const z = reversed ? p.src6 : p.dst6;
      ip6.set(a, 0);
      ip6.set(z, 4);
      f.ip6 = ip6;
    } else {
      f.initIp4 = (reversed ? p.dst4 : p.src4) | 0;
      f.respIp4 = (reversed ? p.src4 : p.dst4) | 0;
    }
    f.initPort = reversed ? p.dport : p.sport;
    f.respPort = reversed ? p.sport : p.dport;
    f.firstTs = now;
    f.timeoutClass = p.ipProto === 6 && !reversed ? CLASS_ATTEMPT : CLASS_OPEN;
    this.#flows[slot] = f;
    let b = h & this.#mask;
    while (this.#index[b] !== 0) b = (b + 1) & this.#mask;
    this.#index[b] = slot + 1;
    this.#bucketOf[slot] = b;
    this.#linkTail(slot, f.timeoutClass);
    this.stats.active++;
    this.stats.created++;
    this.forward = !reversed;
    this.created = true;
    this.#count(f, p, now, !reversed);
    return f;
  }

  #count(f: Flow, p: DecodedPacket, now: number, fwd: boolean): void {
    const len = p.wireLen;
    const flags = p.tcpFlags;
    if (fwd) {
      f.fwdPackets++;
      f.fwdBytes += len;
      f.fwdFlags |= flags;
      this.gapS = f.fwdPackets === 1 ? -1 : now - f.fwdLastTs;
      f.fwdLastTs = now;
    } else {
      f.revPackets++;
      f.revBytes += len;
      f.revFlags |= flags;
      this.gapS = -1;
      if (f.outcome === Outcome.Pending) {
        if (f.proto !== 6) f.outcome = Outcome.Answered;
        else if ((flags & TcpFlag.RST) !== 0) f.outcome = Outcome.Refused;
        else if ((flags & TcpFlag.SYN) !== 0 || f.revBytes > 0) f.outcome = Outcome.Answered;
      }
    }
    f.lastTs = now;
    let cls = f.timeoutClass;
    if (f.proto === 6) {
      if ((flags & TcpFlag.RST) !== 0 || (f.fwdFlags & f.revFlags & TcpFlag.FIN) !== 0)
        cls = CLASS_CLOSED;
      else if (cls === CLASS_ATTEMPT && f.outcome === Outcome.Answered) cls = CLASS_OPEN;
    }
    const slot = f.slot;
    if (cls === f.timeoutClass && this.#tail[cls] === slot) return; // already the most recent
    this.#unlink(slot, f.timeoutClass);
    f.timeoutClass = cls;
    this.#linkTail(slot, cls);
  }

  /** Enlarges every per-slot array to `cap` slots and rebuilds the hash index. */
  #grow(cap: number): void {
    const old = this.#capacity;
    const widen = (a: Int32Array): Int32Array => {
      const b = new Int32Array(cap);
      b.set(a);
      return b;
    };
    this.#prev = widen(this.#prev);
    this.#next = widen(this.#next);
    this.#bucketOf = new Int32Array(cap);
    const free = new Int32Array(cap);
    free.set(this.#freeSlots.subarray(0, this.#freeTop));
    let top = this.#freeTop;
    for (let i = cap - 1; i >= old; i--) free[top++] = i;
    this.#freeSlots = free;
    this.#freeTop = top;
    this.#flows.length = cap;
    this.#capacity = cap;
    let size = 16;
    while (size < cap * 2) size *= 2;
    this.#index = new Int32Array(size);
    this.#mask = size - 1;
    for (let slot = 0; slot < old; slot++) {
      const f = this.#flows[slot];
      if (f === undefined) continue;
      let b = this.#home(f);
      while (this.#index[b] !== 0) b = (b + 1) & this.#mask;
      this.#index[b] = slot + 1;
      this.#bucketOf[slot] = b;
    }
  }

  #evictOldest(): void {
    let best = NIL;
    let bestTs = Infinity;
    for (let c = 0; c < 3; c++) {
      const s = this.#head[c];
      if (s !== NIL && (this.#flows[s] as Flow).lastTs < bestTs) {
        best = s;
        bestTs = (this.#flows[s] as Flow).lastTs;
      }
    }
    if (best !== NIL) this.#remove(this.#flows[best] as Flow, ExpireReason.Evicted);
  }

  #remove(f: Flow, reason: ExpireReason): void {
    const slot = f.slot;
    if (f.outcome === Outcome.Pending)
      f.outcome = f.revPackets > 0 ? Outcome.Answered : Outcome.Unanswered;
    this.#unlink(slot, f.timeoutClass);
    this.#deleteBucket(this.#bucketOf[slot]);
    this.#flows[slot] = undefined;
    this.#freeSlots[this.#freeTop++] = slot;
    this.stats.active--;
    if (reason === ExpireReason.Evicted) this.stats.evicted++;
    else this.stats.expired++;
    this.#opts.onExpire?.(f, reason);
  }

  /** Backward-shift deletion keeps probe chains intact without tombstones. */
  #deleteBucket(b: number): void {
    const index = this.#index;
    const mask = this.#mask;
    let hole = b;
    let j = b;
    for (;;) {
      j = (j + 1) & mask;
      const e = index[j];
      if (e === 0) break;
      const home = this.#home(this.#flows[e - 1] as Flow);
      // Move e into the hole when its home bucket is not in (hole, j] cyclically.
      const inRange = hole <= j ? home > hole && home <= j : home > hole || home <= j;
      if (!inRange) {
        index[hole] = e;
        this.#bucketOf[e - 1] = hole;
        hole = j;
      }
    }
    index[hole] = 0;
  }

  #home(f: Flow): number {
    return hashFlow(f) & this.#mask;
  }

  #linkTail(slot: number, cls: number): void {
    const t = this.#tail[cls];
    this.#prev[slot] = t;
    this.#next[slot] = NIL;
    if (t === NIL) this.#head[cls] = slot;
    else this.#next[t] = slot;
    this.#tail[cls] = slot;
  }

  #unlink(slot: number, cls: number): void {
    const p = this.#prev[slot];
    const n = this.#next[slot];
    if (p === NIL) this.#head[cls] = n;
    else this.#next[p] = n;
    if (n === NIL) this.#tail[cls] = p;
    else this.#prev[n] = p;
  }
}
