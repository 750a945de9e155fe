/**
 * The shapes of a device's TCP connection that the window counters count, judged from the flow
 * record alone: a probe (`PeerEvidence.probes`) and a short session (`shortSessionsMax`, one
 * login attempt's shape), and the Flow.marks bits with which the window stage (windows.ts)
 * counts each flow once. Pure tests; when and where a shape is counted is DeviceWindows'.
 * @module
 */
import { TcpFlag } from '../decode/packet.js';
import { type Flow, Outcome } from '../flows/flow.js';

/** Flow.marks bits used by the window stage (8, MARK_TLS, is app-records.ts's). */
export const MARK_INBOUND = 1;
export const MARK_ACCEPTED = 2;
export const MARK_ENDPOINT = 4;
/** The flow's failed connection attempt has been counted. */
export const MARK_FAILED = 16;
/** The TCP connection has closed (RST, or FIN both ways) and was judged as a short session. */
export const MARK_CLOSED = 32;
/** The flow was counted as a probe. */
export const MARK_PROBE = 64;

/** A flow without payload that lasted at most this long is a probe (PeerEvidence.probes). */
export const PROBE_S = 30;

/**
 * A short session (shortSessionsMax): an answered TCP connection whose payload stayed under this
 * each way and that ended within SHORT_SESSION_S of its start — one login attempt's shape.
 */
export const SHORT_SESSION_BYTES = 4096;
export const SHORT_SESSION_S = 30;

/** A TCP flow that ended without payload either way within PROBE_S of its first packet. */
export function isProbe(f: Flow): boolean {
  if (f.proto !== 6 || f.payloadUp !== 0 || f.payloadDown !== 0) return false;
  return f.lastTs - f.firstTs <= PROBE_S;
}

/**
 * A closed TCP connection of a short session's shape: its start seen, answered, payload both
 * ways but under SHORT_SESSION_BYTES each way, closed within SHORT_SESSION_S of its start.
 */
export function isShortSession(f: Flow): boolean {
  if (f.outcome !== Outcome.Answered) return false;
  if ((f.fwdFlags & TcpFlag.SYN) === 0 || f.lastTs - f.firstTs > SHORT_SESSION_S) return false;
  if (f.payloadUp === 0 || f.payloadDown === 0) return false;
  return f.payloadUp < SHORT_SESSION_BYTES && f.payloadDown < SHORT_SESSION_BYTES;
}
