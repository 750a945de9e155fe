/**
 * `abnormal_upload`: the device sends far more than its own normal — audio, video or files
 * leaving the home. Judged after learning, against the device's baseline:
 * - volume: a window's bytes sent at least VOLUME_RATIO × its normal high (99th percentile),
 *   and at least a floor, to a destination outside its baseline, or
 * - duration: sending continuously, at a rate of at least SUSTAIN_RATIO × its normal high a
 *   window, for SUSTAIN_TOTAL_S (BURSTY_SUSTAIN_TOTAL_S for cameras and doorbells) over at
 *   least SUSTAIN_WINDOWS windows in a row (the first may be partial: an upload starts
 *   mid-window), to any destination, when its normal uploads are short (a
 *   toy's voice reply lasts seconds, a leak of the room's audio minutes; a printer's scan to
 *   its cloud is one burst). Continuous is either the device's upload with pauses of 1 s at
 *   most, or its top upload's paced run (pauses of features/peers.ts PACED_GAP_S at most) to a
 *   destination outside its baseline: a leak sent in a chunk every few seconds is as sustained
 *   as a stream, though each chunk alone is a second's upload.
 * The floor is a leak's size, not a window's: a sustained upload needs FLOOR_BYTES over its
 * streak, and each of its windows only SUSTAIN_FLOOR_BYTES a minute (a slow leak, a few kbit/s
 * for many minutes, never sends FLOOR_BYTES in one window; a burst must, to be named on
 * volume).
 * The normal high is the one at the window's hour once the device's baseline has days of
 * evidence for that hour (baseline/hourly.ts): a night-time leak is not hidden by daytime uploads.
 * Uploads of general-purpose devices (phones, computers) to services they use are their normal
 * (photo backups); cameras and doorbells upload clips in bursts, so they need a sustained upload.
 *
 * A window in which the device sweeps a port over many hosts (a scan) is judged on the payload
 * the sweep does not explain: its SYNs and the login attempts on the hosts that answered
 * (Mirai's brute-forcer) are the scan's, which `scan` names; an upload to anywhere else in the
 * same window is still judged (one incident, one alert; a true leak is not hidden by a scan).
 * @module
 */
import { clock, duration, endpoint, plural, rate, size } from '../alerts/words.js';
import {
  MAX_FORGED_SOURCES,
  type PeerEvidence,
  type UploadEvidence,
} from '../features/evidence.js';
import { SHORT_SESSION_BYTES } from '../features/connection-shape.js';
import { expectBoolean, expectMap, expectNumber, expectObject, refill } from '../state/codec.js';
import { type FloodFacts, floodInput, floodOf } from './flood.js';
import { isGeneralPurpose } from './services.js';
import type { DetectContext, Detector, EpisodeView, Finding } from './types.js';

/** Window bytes sent, as a multiple of the device's 99th percentile, that is abnormal. */
export const VOLUME_RATIO = 8;
/** Bytes sent in a window below which nothing is abnormal. */
export const FLOOR_BYTES = 100_000;
/** A general-purpose device sending to a new service needs this much in a window. */
export const GENERAL_FLOOR_BYTES = 20_000_000;
/**
 * Bytes a minute (≈ 2.7 kbit/s) a window of a sustained upload must send at the least: a
 * low-rate audio codec or a slow exfiltration, far above a keep-alive's trickle.
 */
export const SUSTAIN_FLOOR_BYTES_PER_MIN = 20_000;
/** Consecutive windows of continuous upload that make a sustained upload. */
export const SUSTAIN_WINDOWS = 2;
/** Seconds of continuous upload, over those windows, that make a sustained upload. */
export const SUSTAIN_TOTAL_S = 60;
/** The same for kinds whose normal is bursts of upload (a camera's clip can last a minute). */
export const BURSTY_SUSTAIN_TOTAL_S = 180;
/** A window of a sustained upload sends at least this multiple of the device's normal high. */
export const SUSTAIN_RATIO = 2;
/** A window's longest continuous upload (s) that counts towards a sustained one. */
export const SUSTAIN_S = 20;
/** Kinds that upload in bursts as their normal (clips on motion). */
const BURSTY = new Set(['camera', 'doorbell']);
/**
 * Distinct hosts, never looked up by DNS, with failed attempts on one port in a window, that
 * make the port a sweep's (scan.ts counts 20 internet or 8 LAN hosts over five minutes; a
 * sweep's minute needs fewer to be told apart from an ordinary device's failures).
 */
export const SWEEP_HOSTS = 5;

/** DNS and DNS over TLS: what a device sends there is judged by dns_anomaly. */
const RESOLVER_PORTS: ReadonlySet<number> = new Set([53, 853]);

/**
 * A peer of a sweep: on a swept port, at an address the device did not look up, sent no more
 * than the sweep's attempts send (a probe nothing, a login attempt less than a short session's
 * SHORT_SESSION_BYTES a connection). More than that to it is an upload, swept port or not.
 */
function ofSweep(
  swept: ReadonlySet<number>,
  p: { port: number; dnsAnswered: boolean },
  bytesUp: number,
  flows: number,
): boolean {
  return !p.dnsAnswered && swept.has(p.port) && bytesUp <= SHORT_SESSION_BYTES * Math.max(1, flows);
}

/**
 * When the window holds a sweep: the payload sent to peers outside it (at least the top
 * upload's, whose peer may not be in the bounded peer list) and the upload to judge (the top
 * one, or when that is the sweep's, the largest listed remote peer outside it). Null: no sweep.
 */
function outsideSweep(
  peers: readonly PeerEvidence[],
  up: UploadEvidence | null,
): { bytes: number; up: UploadEvidence | null } | null {
  const hostsByPort = new Map<number, number>();
  for (const p of peers) {
    if (p.failed === 0 || p.dnsAnswered) continue;
    hostsByPort.set(p.port, (hostsByPort.get(p.port) ?? 0) + 1);
  }
  const swept = new Set<number>();
  for (const [port, hosts] of hostsByPort) if (hosts >= SWEEP_HOSTS) swept.add(port);
  if (swept.size === 0) return null;
  let bytes = 0;
  let best: PeerEvidence | null = null;
  let upFlows = 1;
  for (const p of peers) {
    if (up !== null && p.ip === up.ip && p.port === up.port) upFlows = p.flows;
    if (ofSweep(swept, p, p.bytesUp, p.flows)) continue;
    bytes += p.bytesUp;
    if (!p.local && p.bytesUp > 0 && (best === null || p.bytesUp > best.bytesUp)) best = p;
  }
  if (up !== null && !ofSweep(swept, up, up.bytes, upFlows))
    return { bytes: Math.max(bytes, up.bytes), up };
  const other: UploadEvidence | null =
    best === null
      ? null
      : {
          ip: best.ip,
          port: best.port,
          name: best.name,
          dnsAnswered: best.dnsAnswered,
          bytes: best.bytesUp,
          packets: 0,
          durationS: 0,
          pacedS: 0,
          // Its shape is not known: never called steady.
          sizeCv: 1,
          gapCv: 1,
        };
  return { bytes, up: other };
}

export interface AbnormalUploadFacts {
  bytes: number;
  seconds: number;
  normalBytes: number;
  ip: string;
  port: number;
  name: string;
  known: boolean;
  steady: boolean;
  /** The upload is a flood (flood.ts): packets to one host, hardly answered. */
  flood?: FloodFacts;
}

interface Streak {
  windows: number;
  bytes: number;
  start: number;
  lastEnd: number;
  /** Seconds of continuous upload in its windows. */
  seconds: number;
  /** A finding has reported the streak (later findings report their own window). */
  reported: boolean;
}

export class AbnormalUploadDetector implements Detector<AbnormalUploadFacts> {
  readonly behaviour = 'abnormal_upload' as const;
  readonly needsBaseline = true;
  readonly advice =
    'The device is sending out far more than it normally does — it may be recording audio or video, or leaking files: check what it is doing (is someone using it?), update it, and if you cannot explain it, unplug it and reset it.';
  readonly #streaks = new Map<string, Streak>();

  snapshot(): unknown {
    return this.#streaks;
  }

  restore(saved: unknown): void {
    const streak = (x: unknown, w: string): Streak =>
      expectObject<Streak>(x, w, {
        windows: expectNumber,
        bytes: expectNumber,
        start: expectNumber,
        lastEnd: expectNumber,
        seconds: expectNumber,
        reported: expectBoolean,
      });
    refill(this.#streaks, expectMap(saved, 'abnormal_upload', streak));
  }

  detect(ctx: DetectContext): Finding<AbnormalUploadFacts>[] {
    const { w, baseline, kind } = ctx;
    const f = w.record.features;
    const sweep = outsideSweep(w.evidence.peers, w.evidence.upload);
    const up = sweep === null ? w.evidence.upload : sweep.up;
    // What stayed on the LAN (a speaker's multicast audio, a camera's stream to a recorder) is
    // no upload: judged is what left, at least (the window's LAN bytes, both ways, taken off).
    const lanBytes = (f.lanByteShare ?? 0) * ((f.bytesUp ?? 0) + (f.bytesDown ?? 0));
    const bytes = sweep === null ? Math.max(0, (f.bytesUp ?? 0) - lanBytes) : sweep.bytes;
    const mac = w.device.macStr;
    // The normal high is read only for a window that may need it (most windows send little).
    let high: number | null = null;
    const normalHigh = (): number => (high ??= baseline.highAt('bytesUp', 0.99, w.record.start));
    // Continuous upload well above its normal, tracked across windows.
    // The rate, not the window's total: an upload that began mid-window has sent part of it.
    // Continuous, or paced to one peer in chunks a few seconds apart (outsideSweep's `other`
    // upload has no known run: 0) when that peer is outside the device's baseline: a device's
    // own cloud sees bursts a few seconds apart as a matter of course (a real plug's phase
    // change, 1-7.5 s pauses, nku-lifecycle), and a paced leak to it is not told from them.
    // And only when more leaves than comes back: a video player's segment requests are paced
    // a few seconds apart too (a TV streaming from a CDN node it never used), but each brings
    // back far more than it sends.
    const paced =
      up !== null &&
      up.pacedS > 0 &&
      sendsMore(w.evidence.peers, up.ip, up.port) &&
      !baseline.knowsRemote(up.ip, up.name)
        ? up.pacedS
        : 0;
    const streakS = Math.max(f.uploadLongestS ?? 0, paced);
    const scale = Math.min(1, streakS / Math.max(1, w.record.end - w.record.start));
    const windowS = w.record.end - w.record.start;
    const floor = (SUSTAIN_FLOOR_BYTES_PER_MIN * windowS) / 60;
    const continuing =
      streakS >= SUSTAIN_S && bytes >= Math.max(floor, SUSTAIN_RATIO * normalHigh()) * scale;
    let s = this.#streaks.get(mac);
    if (!continuing) {
      this.#streaks.delete(mac);
      s = undefined;
    } else if (s === undefined || s.lastEnd !== w.record.start) {
      s = {
        windows: 1,
        bytes,
        seconds: streakS,
        start: w.record.start,
        lastEnd: w.record.end,
        reported: false,
      };
      this.#streaks.set(mac, s);
    } else {
      s.windows++;
      s.bytes += bytes;
      s.seconds += streakS;
      s.lastEnd = w.record.end;
    }
    const flood = floodOf(floodInput(ctx));
    if (flood !== null)
      return [floodFinding(flood, f.bytesUp ?? 0, normalHigh(), w.record.start, windowS)];
    const streakBytes = s === undefined ? 0 : s.bytes;
    if (Math.max(bytes, streakBytes) < FLOOR_BYTES || up === null) return [];
    const normal = normalHigh();
    const normalStreak = baseline.highAt('uploadLongestS', 0.95, w.record.start);
    // Queries to a resolver are dns_anomaly's to judge (a DNS tunnel's upload is its evidence):
    // one incident, one alert.
    if (RESOLVER_PORTS.has(up.port)) return [];
    const known = baseline.knowsRemote(up.ip, up.name);
    if (isGeneralPurpose(kind) && (known || bytes < GENERAL_FLOOR_BYTES)) return [];
    // Far above its normal in one window, to a destination outside its baseline; or going on
    // for minutes when its normal uploads are short — to any destination: a printer's scan to
    // its cloud is one burst, a toy streaming the room's audio to its own cloud goes on.
    const volume =
      bytes >= FLOOR_BYTES &&
      bytes >= VOLUME_RATIO * Math.max(normal, 1) &&
      !known &&
      !BURSTY.has(kind);
    const sustained =
      s !== undefined &&
      s.bytes >= FLOOR_BYTES &&
      s.windows >= SUSTAIN_WINDOWS &&
      s.seconds >= (BURSTY.has(kind) ? BURSTY_SUSTAIN_TOTAL_S : SUSTAIN_TOTAL_S) &&
      normalStreak < SUSTAIN_S;
    if (!volume && !sustained) return [];
    const steady = up.sizeCv < 0.35 && up.gapCv < 0.6;
    const ratio = bytes / Math.max(normal, 1);
    // The first finding of a streak reports the whole streak so far; later ones their window.
    const first = sustained && s !== undefined && !s.reported;
    if (s !== undefined && sustained) s.reported = true;
    return [
      {
        behaviour: 'abnormal_upload',
        key: '',
        ts: first && s !== undefined ? s.start : w.record.start,
        score: Math.min(1, 0.5 + Math.log10(ratio) / 4 + (sustained ? 0.2 : 0)),
        severity: ratio >= 50 || (s?.windows ?? 0) >= 5 ? 'high' : 'medium',
        facts: {
          bytes: first && s !== undefined ? s.bytes : bytes,
          seconds:
            first && s !== undefined ? s.lastEnd - s.start : Math.max(f.uploadLongestS ?? 0, 1),
          normalBytes: Math.round(normal),
          ip: up.ip,
          port: up.port,
          name: up.name,
          known,
          steady,
        },
      },
    ];
  }

  merge(ep: AbnormalUploadFacts, next: AbnormalUploadFacts): AbnormalUploadFacts {
    const merged = { ...next, bytes: ep.bytes + next.bytes, seconds: ep.seconds + next.seconds };
    const flood = next.flood ?? ep.flood;
    if (flood !== undefined) {
      const packets = (ep.flood?.packets ?? 0) + (next.flood?.packets ?? 0);
      const ratio = Math.max(ep.flood?.ratio ?? 0, flood.ratio);
      merged.flood = {
        ...flood,
        packets,
        ratio,
        ports: Math.max(ep.flood?.ports ?? 0, flood.ports),
        forgedSources: Math.max(ep.flood?.forgedSources ?? 0, flood.forgedSources),
      };
    }
    return merged;
  }

  sentence(ep: EpisodeView<AbnormalUploadFacts>): string {
    const f = ep.facts;
    if (f.flood !== undefined) return floodSentence(ep.who, f, f.flood, ep.since, ep.last);
    const secs = Math.max(f.seconds, ep.last - ep.since, 1);
    const shape = f.steady
      ? `at a steady ${rate(f.bytes, secs)}, like a live audio or video stream`
      : `at ${rate(f.bytes, secs)}`;
    const dest = `${endpoint(f.ip, f.port, f.name)}${f.known ? '' : ', a destination it never used before'}`;
    return `${ep.who} has sent ${size(f.bytes)} in ${duration(secs)} since ${clock(ep.since, ep.last)} ${shape} to ${dest}; normally it sends at most ${size(f.normalBytes)} a minute.`;
  }

  forget(mac: string): void {
    this.#streaks.delete(mac);
  }
}

function floodFinding(
  flood: FloodFacts,
  bytes: number,
  normalBytes: number,
  start: number,
  windowS: number,
): Finding<AbnormalUploadFacts> {
  return {
    behaviour: 'abnormal_upload',
    key: '',
    ts: start,
    score: Math.min(1, 0.7 + Math.log10(flood.ratio) / 10),
    severity: 'high',
    facts: {
      bytes,
      seconds: windowS,
      normalBytes: Math.round(normalBytes),
      ip: flood.target,
      port: 0,
      name: '',
      known: false,
      steady: false,
      flood,
    },
  };
}

const PROTOCOLS: Readonly<Record<number, string>> = { 1: 'ICMP', 6: 'TCP', 17: 'UDP', 47: 'GRE' };

function floodSentence(
  who: string,
  f: AbnormalUploadFacts,
  flood: FloodFacts,
  since: number,
  last: number,
): string {
  const proto = PROTOCOLS[flood.proto] ?? `IP protocol ${flood.proto}`;
  const ports =
    flood.ports > 1
      ? `, ${flood.ports} ports or more`
      : flood.port > 0
        ? ` port ${flood.port}`
        : '';
  const times = flood.ratio.toLocaleString('en-US');
  const back = flood.pings
    ? `pinging it (ICMP echo requests)${flood.unanswered ? ', almost never answered' : ''}`
    : flood.unanswered
      ? 'getting almost nothing back'
      : 'opening a new connection every few packets';
  const target = flood.local ? `${flood.target}, a device on your network` : flood.target;
  // Saved episodes from before forged sources were told have none.
  const forged =
    flood.forgedSources > 0
      ? ` from ${plural(flood.forgedSources, 'forged source address', 'forged source addresses')}${flood.forgedSources >= MAX_FORGED_SOURCES ? ' or more' : ''}`
      : '';
  return `${who} has sent ${flood.packets.toLocaleString('en-US')} packets (${size(f.bytes)})${forged} to ${target} (${proto}${ports}) since ${clock(since, last)}, about ${flood.perSecond.toLocaleString('en-US')} a second, ${times} times its normal, ${back}: the shape of a denial-of-service flood, which infected devices send when their botnet orders them to.`;
}

/** The peer `ip`:`port` got more payload from the device than it sent back in the window. */
function sendsMore(peers: readonly PeerEvidence[], ip: string, port: number): boolean {
  for (const p of peers) if (p.ip === ip && p.port === port) return p.bytesUp > p.bytesDown;
  return false;
}
