/**
 * `beaconing`: regular, repeated contact with a remote endpoint that is not in the device's
 * baseline — the heartbeat of a command-and-control channel. Judged after learning: a device's
 * own cloud heartbeat (a lock hub's MQTT keep-alive, a speaker's) is in its baseline, by
 * address or by the domain it looked the address up under, so it is not judged.
 *
 * Scoring follows RITA: the regularity of the intervals between contacts (Bowley skewness and
 * MAD over the median) and of the bytes sent per contact, with more weight as contacts add up.
 * It alerts as soon as the history holds enough contacts (the feature stage keeps hours of
 * history per endpoint, so a beacon every 10 minutes is seen after about an hour).
 * General-purpose devices open many regular connections to new services; for them only an
 * endpoint reached without any DNS lookup (a bare IP) or a long-lived beacon counts.
 * @module
 */
import { clock, duration, endpoint, plural, round } from '../alerts/words.js';
import type { BeaconEvidence, PeerEvidence } from '../features/evidence.js';
import { expectMap, expectNumber, refill } from '../state/codec.js';
import { isGeneralPurpose } from './services.js';
import type { DetectContext, Detector, EpisodeView, Finding } from './types.js';

/** Contacts needed before a beacon can be named (five intervals). */
export const MIN_CONTACTS = 6;
/**
 * A clock-driven beacon — its intervals' median deviation within CLOCK_JITTER of its period —
 * is named one contact earlier: four intervals that alike are as strong evidence as five
 * jittered ones, and for a beacon every few minutes one interval less is minutes sooner.
 */
export const CLOCK_CONTACTS = 5;
export const CLOCK_JITTER = 0.05;
/**
 * Contacts no further apart than this are continuous traffic, not check-ins: the tracker
 * separates contacts by at least its CONTACT_GAP_S (1 s), so a flood or a stream that opens
 * connection after connection shows as "contacts" exactly that far apart (real fast beacons
 * check in every 2 s or more).
 */
export const MIN_PERIOD_S = 1.5;
/** For general-purpose devices, an endpoint with a DNS name needs this many. */
export const GENERAL_CONTACTS = 24;
/** Timing regularity (0 … 1) needed. */
export const MIN_TIMING = 0.8;
/** The combined score needed. */
export const MIN_SCORE = 0.75;
/**
 * Infrastructure a device polls by design: DNS resolvers (53, DNS over TLS 853) and NTP
 * servers (123). DNS misuse is `dns_anomaly`'s to name.
 */
const INFRASTRUCTURE_PORTS: ReadonlySet<number> = new Set([53, 123, 853]);
/**
 * A stream fetched in chunks on one connection (a speaker's audio, a TV's video segments) is
 * regular too, but it is no beacon: its contacts are bursts on a connection already open, and
 * it receives far more than it sends. A command channel checks in (often a connection each
 * time) and is answered in about as many bytes as it sent, TLS certificates aside.
 */
export const STREAM_RATIO = 4;
export const STREAM_BYTES_PER_CONTACT = 2_000;

/** An endpoint seen streaming stays a stream this long (a pause is not a beacon). */
const STREAM_MEMORY_S = 86_400;
const MAX_STREAMS = 32;

function isStream(b: BeaconEvidence, peer: PeerEvidence | undefined, windowS: number): boolean {
  if (peer === undefined || peer.bytesDown < STREAM_RATIO * peer.bytesUp) return false;
  const contacts = Math.max(1, windowS / Math.max(b.periodS, 1));
  return peer.flows * 2 < contacts && peer.bytesDown / contacts >= STREAM_BYTES_PER_CONTACT;
}

export interface BeaconingFacts {
  ip: string;
  port: number;
  name: string;
  dnsAnswered: boolean;
  periodS: number;
  jitterS: number;
  contacts: number;
  firstContact: number;
  bytesPerContact: number;
}

/** Contacts a beacon needs before it can be named: fewer when it keeps time like a clock. */
export function contactsNeeded(b: BeaconEvidence): number {
  return b.jitterS <= CLOCK_JITTER * b.periodS ? CLOCK_CONTACTS : MIN_CONTACTS;
}

/** RITA-style combined score: timing weighs most, data size and count confirm. */
export function beaconScore(b: BeaconEvidence): number {
  const count = Math.min(1, b.contacts / 24);
  return 0.6 * b.score + 0.25 * b.sizeScore + 0.15 * count;
}

export class BeaconingDetector implements Detector<BeaconingFacts> {
  readonly behaviour = 'beaconing' as const;
  readonly needsBaseline = true;
  readonly advice =
    'The device keeps calling a server it never used before, like malware checking in with its controller: look the address up, update the device, and if you cannot explain it, reset the device and block the address on the router.';

  /** Per device: endpoints seen streaming, and when last (a stream pauses between chunks). */
  readonly #streams = new Map<string, Map<string, number>>();

  /** The endpoint streams now, or did within STREAM_MEMORY_S. */
  #stream(
    mac: string,
    b: BeaconEvidence,
    peer: PeerEvidence | undefined,
    start: number,
    end: number,
  ): boolean {
    const now = end;
    const key = `${b.ip}:${b.port}`;
    let seen = this.#streams.get(mac);
    if (isStream(b, peer, end - start)) {
      if (seen === undefined) this.#streams.set(mac, (seen = new Map()));
      seen.delete(key);
      if (seen.size >= MAX_STREAMS) seen.delete(seen.keys().next().value as string);
      seen.set(key, now);
      return true;
    }
    const last = seen?.get(key);
    return last !== undefined && now - last <= STREAM_MEMORY_S;
  }

  forget(mac: string): void {
    this.#streams.delete(mac);
  }

  snapshot(): unknown {
    return this.#streams;
  }

  restore(saved: unknown): void {
    refill(
      this.#streams,
      expectMap(saved, 'beaconing', (x, w) => expectMap(x, w, expectNumber)),
    );
  }

  detect(ctx: DetectContext): Finding<BeaconingFacts>[] {
    const { w, baseline, kind } = ctx;
    const general = isGeneralPurpose(kind);
    const out: Finding<BeaconingFacts>[] = [];
    for (const b of w.evidence.beacons) {
      if (b.contacts < contactsNeeded(b) || b.score < MIN_TIMING || b.periodS < MIN_PERIOD_S)
        continue;
      if (INFRASTRUCTURE_PORTS.has(b.port)) continue;
      const peer = w.evidence.peers.find((p) => p.ip === b.ip && p.port === b.port);
      if (this.#stream(w.device.macStr, b, peer, w.record.start, w.record.end)) continue;
      if (baseline.knowsRemote(b.ip, b.name)) continue;
      if (general && b.dnsAnswered && b.contacts < GENERAL_CONTACTS) continue;
      const score = beaconScore(b);
      if (score < MIN_SCORE) continue;
      out.push({
        behaviour: 'beaconing',
        key: `${b.ip}:${b.port}`,
        ts: b.lastContact,
        score: Math.min(1, score),
        severity: b.dnsAnswered ? 'medium' : 'high',
        facts: {
          ip: b.ip,
          port: b.port,
          name: b.name,
          dnsAnswered: b.dnsAnswered,
          periodS: b.periodS,
          jitterS: b.jitterS,
          contacts: b.contacts,
          firstContact: b.firstContact,
          bytesPerContact: b.bytesPerContact,
        },
      });
    }
    return out;
  }

  merge(ep: BeaconingFacts, next: BeaconingFacts): BeaconingFacts {
    // Contacts keep counting past the history the scores use.
    return {
      ...next,
      firstContact: ep.firstContact,
      contacts: Math.max(ep.contacts, next.contacts),
    };
  }

  sentence(ep: EpisodeView<BeaconingFacts>): string {
    const f = ep.facts;
    const where = endpoint(f.ip, f.port, f.name);
    const named = f.dnsAnswered
      ? `it never used ${f.name || 'this address'} before`
      : 'it never used this address before and looked no name up for it';
    return `${ep.who} has contacted ${where} every ${duration(f.periodS)} (±${round(f.jitterS)} s) ${plural(f.contacts, 'time')} since ${clock(f.firstContact, ep.last)}; ${named}.`;
  }
}
