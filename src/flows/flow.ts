/**
 * One bidirectional flow (5-tuple), oriented by its initiator. Allocated once per flow, never
 * per packet. Stages that observe flows keep their own state in it (`marks`, `notes`).
 * @module
 */
import type { Device } from '../devices/device.js';
import type { FlowNotes } from '../features/flow-notes.js';
import type { PeerTally } from '../features/peers.js';

/** How a TCP connection attempt ended (UDP and others: answered or unanswered). */
export const enum Outcome {
  /** Still waiting for an answer. */
  Pending = 0,
  /** The responder sent something back (SYN-ACK for TCP). */
  Answered = 1,
  /** The responder reset the attempt before answering it. */
  Refused = 2,
  /** The flow ended without a word from the responder. */
  Unanswered = 3,
}

/** Why a flow left the table. */
export const enum ExpireReason {
  Idle = 0,
  Active = 1,
  Evicted = 2,
  Closed = 3,
  Flush = 4,
}

export class Flow {
  /** Slot in the flow table (reused after expiry). */
  slot = -1;
  /** Serial number, unique for the life of a table. */
  serial = 0;
  proto = 0;
  /**
   * Initiator (the side that sent the first packet, or the SYN) and responder endpoints. IPv4
   * addresses as int32 (small integers to V8: no boxed number per flow); `>>> 0` for unsigned.
   */
  initIp4 = 0;
  respIp4 = 0;
  /** IPv6: words 0-3 initiator, 4-7 responder. Allocated only for IPv6 flows (null: IPv4). */
  ip6: Uint32Array | null = null;
  initPort = 0;
  respPort = 0;
  /** LAN devices on each side (null for a remote end). */
  initDev: Device | null = null;
  respDev: Device | null = null;
  /** Address classes of each end, from the LAN matcher. */
  initLocal = false;
  respLocal = false;

  firstTs = 0;
  lastTs = 0;
  /** Initiator→responder ("forward") and responder→initiator ("reverse") counters. */
  fwdPackets = 0;
  fwdBytes = 0;
  revPackets = 0;
  revBytes = 0;
  /** TCP flags seen from each side, OR-ed. */
  fwdFlags = 0;
  revFlags = 0;
  outcome: Outcome = Outcome.Pending;
  /** Timeout class (index into the table's LRU lists). */
  timeoutClass = 0;

  /** TLS SNI / HTTP Host the initiator named, when seen. */
  serverName = '';
  /** The HTTP header of a response ended a segment: sniff the next one for the body type. */
  expectBody = false;

  /**
   * Packet time of the last forward packet. (The gap before it is the table's `gapS`, kept for
   * the packet at hand only: every time a flow holds is a boxed number to V8, 16 bytes more a
   * flow, and 100k flows are open at once on a busy network.)
   */
  fwdLastTs = 0;
  /** Bits observers set to note what they have counted for this flow (see features). */
  marks = 0;

  /** Window index in which this flow was last counted for its initiator / responder device. */
  initWindow = -1;
  respWindow = -1;
  // The feature stage's per-flow state. Kept on the flow rather than in an object of its own:
  // one allocation a flow fewer, one indirection a packet fewer.
  /** The initiator device's peer tally for window `peerWindow` (features/peers.ts). */
  peer: PeerTally | null = null;
  peerWindow = -1;
  /** Transport payload bytes initiator → responder and back (short sessions, beacon contacts). */
  payloadUp = 0;
  payloadDown = 0;
  /** App-level state of the feature stage (HTTP exchanges, SOAP, inbound), when there is any. */
  notes: FlowNotes | null = null;
}
