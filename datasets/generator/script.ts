/**
 * A TCP conversation whose messages carry real bytes (HTTP requests and responses with
 * bodies, SOAP, stratum lines, telnet prompts, SSH banners): handshake (or a refused or
 * unanswered SYN), the messages cut into segments with ACKs, then FIN or RST. Messages
 * are queued up front or produced on demand by `more` (long sessions such as a miner's).
 * Flow (flow.ts) plays opaque bulk traffic; this plays what a decoder must read.
 * @module
 */
import { TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN, type Conn } from './frames.js';
import type { LabelEvent } from './labels.js';
import type { Sim, Task } from './sim.js';

const MS = 1e3;

export const FILL_ZERO = 0;
export const FILL_RANDOM = 1;

export interface Msg {
  fromA: boolean;
  /** The message's real bytes (its start). */
  head: Buffer;
  /** Total length, at least `head.length`; past the head comes filler. */
  len: number;
  fill: number;
  /** Wait before the message starts, after the previous one ended (µs). */
  waitUs: number;
}

/** A message of real bytes (text is latin1), optionally padded with filler to `len`. */
export function msg(
  fromA: boolean,
  head: string | Buffer,
  waitUs: number,
  len = 0,
  fill = FILL_ZERO,
): Msg {
  const b = typeof head === 'string' ? Buffer.from(head, 'latin1') : head;
  return { fromA, head: b, len: Math.max(len, b.length), fill, waitUs };
}

/** How the peer answers the SYN. */
export type Answer = 'accept' | 'refuse' | 'silent';
/** Who ends the connection and how; 'cut' leaves it open (the capture or the attacker stops). */
export type Close = 'finA' | 'finB' | 'rstA' | 'cut';

export interface ScriptSpec {
  conn: Conn;
  answer: Answer;
  close: Close;
  rttUs: number;
  /** Spacing of back-to-back segments of one message (µs). */
  segGapUs: number;
  /** The receiver acknowledges every n-th data segment and the last of each message. */
  ackEvery: number;
  /** SYN retransmissions when the SYN goes unanswered (1 s, 2 s, 4 s … apart). */
  synRetries: number;
  /** SYN with the usual options (false: a bare raw-socket SYN). */
  synOptions: boolean;
  /** Called when the queued messages run out: queue more and return true, or false to close. */
  more: ((sim: Sim, s: Script) => boolean) | null;
}

const P_SYN = 0;
const P_SYNACK = 1;
const P_ACK = 2;
const P_DATA = 3;
const P_DATA_ACK = 4;
const P_FIN1 = 5;
const P_FIN2 = 6;
const P_LAST_ACK = 7;
const P_REFUSE = 8;
const P_RST = 9;
const P_CUT = 10;

export class Script implements Task {
  at: number;
  label: LabelEvent | null = null;
  readonly s: ScriptSpec;
  readonly msgs: Msg[] = [];
  /** Sequence numbers of A (client) and B. */
  seqA: number;
  seqB: number;
  #phase = P_SYN;
  #msg = 0;
  /** Bytes of the current message already sent. */
  #off = 0;
  #segs = 0;
  #syns = 0;
  onEnd: ((sim: Sim) => void) | null = null;

  constructor(sim: Sim, at: number, spec: Partial<ScriptSpec> & { conn: Conn }) {
    this.at = at;
    this.s = {
      answer: 'accept',
      close: 'finA',
      rttUs: sim.rng.range(15, 80) * MS,
      segGapUs: 150,
      ackEvery: 1,
      synRetries: 2,
      synOptions: true,
      more: null,
      ...spec,
    };
    this.seqA = sim.rng.u32();
    this.seqB = sim.rng.u32();
  }

  /** Queue messages. */
  push(...m: Msg[]): this {
    for (const x of m) this.msgs.push(x);
    return this;
  }

  step(sim: Sim): boolean {
    const s = this.s;
    const c = s.conn;
    const f = sim.f;
    const e = sim.epochUs(sim.now);
    const r = sim.rng;
    switch (this.#phase) {
      case P_SYN:
        f.beginTcp(c.v6, true, s.synOptions);
        f.endTcp(e, c, true, TCP_SYN, this.seqA, 0, 0, 0);
        this.#syns++;
        if (s.answer === 'accept') {
          this.#phase = P_SYNACK;
          this.at = sim.now + s.rttUs;
        } else if (s.answer === 'refuse') {
          this.#phase = P_REFUSE;
          this.at = sim.now + s.rttUs;
        } else {
          if (this.#syns > s.synRetries) return this.#end(sim);
          this.at = sim.now + (1 << (this.#syns - 1)) * 1e6 * r.range(0.98, 1.05);
        }
        return true;
      case P_REFUSE:
        f.beginTcp(c.v6, false);
        f.endTcp(e, c, false, TCP_RST | TCP_ACK, 0, (this.seqA + 1) >>> 0, 0, 0, 0);
        return this.#end(sim);
      case P_SYNACK:
        this.seqA = (this.seqA + 1) >>> 0;
        f.beginTcp(c.v6, true);
        f.endTcp(e, c, false, TCP_SYN | TCP_ACK, this.seqB, this.seqA, 0, 0);
        this.seqB = (this.seqB + 1) >>> 0;
        this.#phase = P_ACK;
        this.at = sim.now + 60 + r.range(0, 200);
        return true;
      case P_ACK:
        f.beginTcp(c.v6, false);
        f.endTcp(e, c, true, TCP_ACK, this.seqA, this.seqB, 0, 0);
        this.#phase = P_DATA;
        this.#nextMessage(sim, 100 + r.range(0, 400));
        return true;
      case P_DATA:
        this.#segment(sim, e);
        return true;
      case P_DATA_ACK: {
        const fromA = !this.msgs[this.#msg].fromA;
        f.beginTcp(c.v6, false);
        f.endTcp(e, c, fromA, TCP_ACK, this.#seq(fromA), this.#seq(!fromA), 0, 0);
        this.#phase = P_DATA;
        if (this.#off < this.msgs[this.#msg].len) this.at = sim.now + s.segGapUs;
        else this.#messageDone(sim);
        return true;
      }
      case P_CUT:
        return this.#end(sim);
      case P_RST:
        f.beginTcp(c.v6, false);
        f.endTcp(e, c, true, TCP_RST | TCP_ACK, this.seqA, this.seqB, 0, 0, 0);
        return this.#end(sim);
      case P_FIN1: {
        const fromA = s.close !== 'finB';
        f.beginTcp(c.v6, false);
        f.endTcp(e, c, fromA, TCP_FIN | TCP_ACK, this.#seq(fromA), this.#seq(!fromA), 0, 0);
        this.#bump(fromA, 1);
        this.#phase = P_FIN2;
        this.at = sim.now + s.rttUs;
        return true;
      }
      case P_FIN2: {
        const fromA = s.close === 'finB';
        f.beginTcp(c.v6, false);
        f.endTcp(e, c, fromA, TCP_FIN | TCP_ACK, this.#seq(fromA), this.#seq(!fromA), 0, 0);
        this.#bump(fromA, 1);
        this.#phase = P_LAST_ACK;
        this.at = sim.now + 50 + r.range(0, 150);
        return true;
      }
      default: {
        const fromA = s.close !== 'finB';
        f.beginTcp(c.v6, false);
        f.endTcp(e, c, fromA, TCP_ACK, this.#seq(fromA), this.#seq(!fromA), 0, 0);
        return this.#end(sim);
      }
    }
  }

  #seq(fromA: boolean): number {
    return fromA ? this.seqA : this.seqB;
  }

  #bump(fromA: boolean, n: number): void {
    if (fromA) this.seqA = (this.seqA + n) >>> 0;
    else this.seqB = (this.seqB + n) >>> 0;
  }

  /** Start message `#msg` after `delayUs`, or close when there is none. */
  #nextMessage(sim: Sim, delayUs: number): void {
    if (this.#msg >= this.msgs.length && (this.s.more === null || !this.s.more(sim, this))) {
      this.#close(sim, delayUs);
      return;
    }
    this.#off = 0;
    this.#segs = 0;
    this.at = sim.now + delayUs + this.msgs[this.#msg].waitUs;
  }

  #close(sim: Sim, delayUs: number): void {
    const close = this.s.close;
    this.#phase = close === 'rstA' ? P_RST : close === 'cut' ? P_CUT : P_FIN1;
    this.at = sim.now + delayUs + sim.rng.range(1000, 30_000);
  }

  #segment(sim: Sim, e: number): void {
    const s = this.s;
    const m = this.msgs[this.#msg];
    const f = sim.f;
    const buf = sim.buf;
    const mss = s.conn.v6 ? 1440 : 1460;
    const off = f.beginTcp(s.conn.v6, false);
    const len = Math.min(mss, m.len - this.#off);
    let app = 0;
    if (this.#off < m.head.length) {
      app = Math.min(len, m.head.length - this.#off);
      m.head.copy(buf, off, this.#off, this.#off + app);
    }
    if (m.fill === FILL_RANDOM && len > app) {
      sim.rng.fill(buf, off + app, len - app);
      app = len;
    }
    this.#off += len;
    this.#segs++;
    const last = this.#off >= m.len;
    const flags = last ? TCP_ACK | TCP_PSH : TCP_ACK;
    f.endTcp(e, s.conn, m.fromA, flags, this.#seq(m.fromA), this.#seq(!m.fromA), app, len);
    this.#bump(m.fromA, len);
    if (last || this.#segs % s.ackEvery === 0) {
      this.#phase = P_DATA_ACK;
      this.at = sim.now + (last ? s.rttUs / 2 : 40 + sim.rng.range(0, 300));
    } else {
      this.at = sim.now + s.segGapUs * sim.rng.range(0.5, 1.5);
    }
  }

  #messageDone(sim: Sim): void {
    this.#msg++;
    this.#nextMessage(sim, 0);
  }

  #end(sim: Sim): boolean {
    if (this.onEnd !== null) this.onEnd(sim);
    return false;
  }
}

/** A task that writes packet `i` on its i-th step; `fn` returns µs to the next, or -1. */
export class Steps implements Task {
  at: number;
  label: LabelEvent | null = null;
  #i = 0;
  readonly #fn: (sim: Sim, i: number) => number;

  constructor(at: number, fn: (sim: Sim, i: number) => number) {
    this.at = at;
    this.#fn = fn;
  }

  step(sim: Sim): boolean {
    const next = this.#fn(sim, this.#i++);
    if (next < 0) return false;
    this.at = sim.now + next;
    return true;
  }
}

/** Write one UDP datagram carrying `payload` on `c`. */
export function sendUdp(sim: Sim, c: Conn, fromA: boolean, payload: Buffer): void {
  const off = sim.f.beginUdp(c.v6);
  payload.copy(sim.buf, off);
  sim.f.endUdp(sim.epochUs(sim.now), c, fromA, payload.length, payload.length);
}
