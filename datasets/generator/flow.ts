/**
 * A TCP or UDP conversation played out packet by packet: handshake, rounds of request
 * and response messages cut into segments with delayed ACKs, teardown. TLS flows open
 * with a ClientHello (SNI) and ServerHello, then carry one application-data record per
 * segment; HTTP flows carry a GET and a response with an exact Content-Length; QUIC flows
 * open with Initial packets, then short-header packets.
 * @module
 */
import { TCP_ACK, TCP_FIN, TCP_PSH, TCP_SYN, type Conn } from './frames.js';
import type { LabelEvent } from './labels.js';
import { httpResponseHeadLength, writeHttpGet, writeHttpResponseHead } from './protocols/http.js';
import { writeQuicInitial, writeQuicShort } from './protocols/quic.js';
import {
  TLS_APPLICATION_DATA,
  TLS_RECORD_HEADER_LEN,
  writeClientHello,
  writeRecordHeader,
  writeServerHello,
} from './protocols/tls.js';
import type { Sim, Task } from './sim.js';

const MS = 1e3;
const S = 1e6;

export const APP_TLS = 1;
export const APP_HTTP = 2;
export const APP_QUIC = 3;
/** UDP with opaque payload (e.g. RTP video on the LAN). */
export const APP_RAW = 4;

/** How a flow behaves; sizes in bytes, times in µs. */
export interface FlowSpec {
  conn: Conn;
  tcp: boolean;
  app: number;
  /** SNI for TLS, Host for HTTP. */
  name: string;
  path: string;
  userAgent: string;
  rounds: number;
  upMin: number;
  upMax: number;
  downMin: number;
  downMax: number;
  /** Chance that a round's messages are `burstFactor` times larger (key frames, pages). */
  burstChance: number;
  burstFactor: number;
  pauseMinUs: number;
  pauseMaxUs: number;
  /** Mean spacing of back-to-back segments (sets the flow's rate). */
  segGapUs: number;
  rttUs: number;
  /** The receiver acknowledges every n-th segment (TCP: 1 or 2; UDP: 0 = never). */
  ackEvery: number;
  /** Counted in Sim.keptOpen and replaced when it ends (--concurrent-flows). */
  kept: boolean;
}

const P_SYN = 0;
const P_SYNACK = 1;
const P_ACK = 2;
const P_DATA = 3;
const P_DATA_ACK = 4;
const P_FIN_A = 5;
const P_FIN_B = 6;
const P_LAST_ACK = 7;
const P_DONE = 8;

const HTTP_TYPE = 'application/octet-stream';

export class Flow implements Task {
  at: number;
  readonly s: FlowSpec;
  #phase: number;
  #seqA: number;
  #seqB: number;
  #round = 0;
  /** Direction of the message being sent: true = A (client) to B. */
  #fromA = true;
  #left = 0;
  #segs = 0;
  /** Bytes of the answer to send after the current request. */
  #answer = 0;
  /** Content-Length of the HTTP response. */
  #httpBody = 0;
  #firstUp = true;
  #firstDown = true;
  #mss: number;
  #cid: number;
  onEnd: ((sim: Sim, flow: Flow) => void) | null = null;
  label: LabelEvent | null = null;

  constructor(sim: Sim, at: number, s: FlowSpec) {
    this.at = at;
    this.s = s;
    this.#seqA = sim.rng.u32();
    this.#seqB = sim.rng.u32();
    this.#cid = sim.rng.u32() | 1;
    this.#mss = s.conn.v6 ? 1440 : 1460;
    this.#phase = s.tcp ? P_SYN : P_DATA;
    if (!s.tcp) this.#startRound(sim, true);
  }

  step(sim: Sim): boolean {
    const s = this.s;
    const c = s.conn;
    const f = sim.f;
    const t = sim.now;
    const e = sim.epochUs(t);
    switch (this.#phase) {
      case P_SYN:
        f.beginTcp(c.v6, true);
        f.endTcp(e, c, true, TCP_SYN, this.#seqA, 0, 0, 0);
        this.#seqA = (this.#seqA + 1) >>> 0;
        this.#phase = P_SYNACK;
        this.at = t + s.rttUs;
        return true;
      case P_SYNACK:
        f.beginTcp(c.v6, true);
        f.endTcp(e, c, false, TCP_SYN | TCP_ACK, this.#seqB, this.#seqA, 0, 0);
        this.#seqB = (this.#seqB + 1) >>> 0;
        this.#phase = P_ACK;
        this.at = t + 60 + sim.rng.range(0, 200);
        return true;
      case P_ACK:
        f.beginTcp(c.v6, false);
        f.endTcp(e, c, true, TCP_ACK, this.#seqA, this.#seqB, 0, 0);
        this.#phase = P_DATA;
        this.#startRound(sim, true);
        this.at = t + 100 + sim.rng.range(0, 400);
        return true;
      case P_DATA:
        this.#dataSegment(sim, e);
        return true;
      case P_DATA_ACK:
        this.#ack(sim, e);
        return true;
      case P_FIN_A:
        f.beginTcp(c.v6, false);
        f.endTcp(e, c, true, TCP_FIN | TCP_ACK, this.#seqA, this.#seqB, 0, 0);
        this.#seqA = (this.#seqA + 1) >>> 0;
        this.#phase = P_FIN_B;
        this.at = t + s.rttUs;
        return true;
      case P_FIN_B:
        f.beginTcp(c.v6, false);
        f.endTcp(e, c, false, TCP_FIN | TCP_ACK, this.#seqB, this.#seqA, 0, 0);
        this.#seqB = (this.#seqB + 1) >>> 0;
        this.#phase = P_LAST_ACK;
        this.at = t + 50 + sim.rng.range(0, 150);
        return true;
      case P_LAST_ACK:
        f.beginTcp(c.v6, false);
        f.endTcp(e, c, true, TCP_ACK, this.#seqA, this.#seqB, 0, 0);
        this.#end(sim);
        return false;
      default:
        this.#end(sim);
        return false;
    }
  }

  #size(sim: Sim, lo: number, hi: number, burst: boolean): number {
    if (hi <= 0) return 0;
    const n = Math.round(sim.rng.range(lo, hi) * (burst ? this.s.burstFactor : 1));
    return Math.max(n, 16);
  }

  /** Pick the sizes of the next request/answer pair. */
  #startRound(sim: Sim, first: boolean): void {
    const s = this.s;
    const burst = sim.rng.chance(s.burstChance);
    let up = this.#size(sim, s.upMin, s.upMax, burst);
    let down = this.#size(sim, s.downMin, s.downMax, burst);
    if (first && s.app === APP_HTTP) {
      up = 1; // the GET alone; its length is known when it is written
      this.#httpBody = down;
      down += httpResponseHeadLength(down, HTTP_TYPE);
    } else if (first && (s.app === APP_TLS || s.app === APP_QUIC)) {
      up = 1;
      down = Math.max(down, 1200) + sim.rng.int(2000, 4500); // certificate chain
    }
    this.#fromA = up > 0;
    this.#left = up > 0 ? up : down;
    this.#answer = up > 0 ? down : 0;
    this.#segs = 0;
  }

  #dataSegment(sim: Sim, e: number): void {
    const s = this.s;
    const c = s.conn;
    const f = sim.f;
    const buf = sim.buf;
    const fromA = this.#fromA;
    const off = s.tcp ? f.beginTcp(c.v6, false) : f.beginUdp(c.v6);
    let app = 0;
    let len: number;
    const max = s.tcp ? this.#mss : 1350;
    if (fromA && this.#firstUp) {
      this.#firstUp = false;
      if (s.app === APP_TLS)
        app = writeClientHello(buf, off, sim.rng, s.name, s.conn.portB === 443);
      else if (s.app === APP_HTTP) app = writeHttpGet(buf, off, s.name, s.path, s.userAgent);
      else if (s.app === APP_QUIC) {
        app = writeQuicInitial(buf, off, sim.rng, this.#cid, this.#cid ^ 0x77, 1250);
      }
      if (app > 0) this.#left = app;
      len = Math.min(max, this.#left);
    } else if (!fromA && this.#firstDown && s.app !== APP_RAW) {
      this.#firstDown = false;
      len = Math.min(max, this.#left);
      if (s.app === APP_TLS) {
        app = writeServerHello(buf, off, sim.rng);
        writeRecordHeader(buf, off + app, TLS_APPLICATION_DATA, len - app - TLS_RECORD_HEADER_LEN);
        app += TLS_RECORD_HEADER_LEN;
      } else if (s.app === APP_HTTP) {
        app = writeHttpResponseHead(buf, off, this.#httpBody, HTTP_TYPE);
      } else {
        const n = Math.min(len, 1250);
        app = writeQuicInitial(buf, off, sim.rng, this.#cid ^ 0x77, this.#cid, n);
        len = app;
      }
    } else {
      len = Math.min(max, this.#left);
      // Never leave a tail too short to hold a record header.
      if (this.#left > len && this.#left - len < 16) len -= 16;
      if (s.app === APP_TLS) {
        writeRecordHeader(buf, off, TLS_APPLICATION_DATA, len - TLS_RECORD_HEADER_LEN);
        app = TLS_RECORD_HEADER_LEN;
      } else if (s.app === APP_QUIC) {
        app = writeQuicShort(buf, off, sim.rng, fromA ? this.#cid : this.#cid ^ 0x77);
        if (len < app) len = app;
      }
    }
    this.#left -= len;
    this.#segs++;
    if (s.tcp) {
      const seq = fromA ? this.#seqA : this.#seqB;
      const ack = fromA ? this.#seqB : this.#seqA;
      const flags = this.#left <= 0 ? TCP_ACK | TCP_PSH : TCP_ACK;
      f.endTcp(e, c, fromA, flags, seq, ack, app, len);
      if (fromA) this.#seqA = (this.#seqA + len) >>> 0;
      else this.#seqB = (this.#seqB + len) >>> 0;
    } else {
      f.endUdp(e, c, fromA, app, len);
    }
    const every = s.ackEvery;
    if (every > 0 && (this.#segs % every === 0 || this.#left <= 0)) {
      this.#phase = P_DATA_ACK;
      this.at = sim.now + 40 + sim.rng.range(0, 300);
    } else if (this.#left > 0) {
      this.at = sim.now + s.segGapUs * sim.rng.range(0.5, 1.5);
    } else {
      this.#messageDone(sim);
    }
  }

  /** The receiver's acknowledgement: a pure TCP ACK, or a small QUIC ACK packet. */
  #ack(sim: Sim, e: number): void {
    const s = this.s;
    const c = s.conn;
    const f = sim.f;
    const fromA = !this.#fromA;
    if (s.tcp) {
      f.beginTcp(c.v6, false);
      f.endTcp(
        e,
        c,
        fromA,
        TCP_ACK,
        fromA ? this.#seqA : this.#seqB,
        fromA ? this.#seqB : this.#seqA,
        0,
        0,
      );
    } else {
      const off = f.beginUdp(c.v6);
      const app = writeQuicShort(sim.buf, off, sim.rng, fromA ? this.#cid : this.#cid ^ 0x77);
      f.endUdp(e, c, fromA, app, app + sim.rng.int(4, 30));
    }
    this.#phase = P_DATA;
    if (this.#left > 0) this.at = sim.now + s.segGapUs * sim.rng.range(0.5, 1.5);
    else this.#messageDone(sim);
  }

  #messageDone(sim: Sim): void {
    const s = this.s;
    this.#phase = P_DATA;
    if (this.#fromA && this.#answer > 0) {
      this.#fromA = false;
      this.#left = this.#answer;
      this.#answer = 0;
      this.#segs = 0;
      // The server's think time; media streams answer without waiting for the request.
      const wait = s.app === APP_RAW ? 0 : s.rttUs;
      this.at = sim.now + wait + sim.rng.range(200, 5000);
      return;
    }
    this.#round++;
    if (this.#round < s.rounds) {
      this.#startRound(sim, false);
      this.at = sim.now + sim.rng.range(s.pauseMinUs, s.pauseMaxUs);
      return;
    }
    if (s.tcp) {
      this.#phase = P_FIN_A;
      this.at = sim.now + sim.rng.range(1000, 50_000);
    } else {
      // UDP flows just stop; mark finished on the next step.
      this.#phase = P_DONE;
      this.at = sim.now;
    }
  }

  #end(sim: Sim): void {
    if (this.onEnd !== null) this.onEnd(sim, this);
  }
}

/** A FlowSpec with common defaults, overridden by `o`. */
export function flowSpec(sim: Sim, conn: Conn, o: Partial<FlowSpec>): FlowSpec {
  return {
    conn,
    tcp: true,
    app: APP_TLS,
    name: '',
    path: '/',
    userAgent: '',
    rounds: 1,
    upMin: 200,
    upMax: 800,
    downMin: 200,
    downMax: 2000,
    burstChance: 0,
    burstFactor: 1,
    pauseMinUs: 100 * MS,
    pauseMaxUs: 1 * S,
    segGapUs: 150,
    rttUs: sim.rng.range(12, 90) * MS,
    // Receivers ack every other segment (delayed ACK) or, in quick-ack mode, each one.
    ackEvery: sim.rng.chance(0.85) ? 1 : 2,
    kept: false,
    ...o,
  };
}
