/**
 * `brute_force`: repeated short authentication attempts against one service. Cold start.
 * Login services (SSH, telnet, FTP, RDP, VNC, RTSP, …): short sessions — answered, little
 * data, ended within seconds — to one address and port. Web logins: HTTP 401/403 answers from
 * one server. Counted over the last few minutes, so a slow guesser is seen too.
 * @module
 */
import { clock, endpoint, plural } from '../alerts/words.js';
import { expectBoolean, expectMap, expectNumbers, expectObject, refill } from '../state/codec.js';
import { LOGIN_SERVICES, serviceName } from './services.js';
import type { DetectContext, Detector, EpisodeView, Finding } from './types.js';

/** Attempts against one service within SPAN_S that make a brute force. */
export const ATTEMPTS = 8;
export const SPAN_S = 300;
/** Services remembered per device (the most recent kept). */
const MAX_SERVICES = 64;

export interface BruteForceFacts {
  target: string;
  port: number;
  service: string;
  /** Login attempts (short sessions, or 401/403 answers) over the episode. */
  attempts: number;
  kind: 'sessions' | 'http-auth';
  local: boolean;
}

interface Tally {
  times: number[];
  counts: number[];
  /** Attempts already reported in findings (the first finding reports the whole span). */
  reported: boolean;
}

export class BruteForceDetector implements Detector<BruteForceFacts> {
  readonly behaviour = 'brute_force' as const;
  readonly needsBaseline = false;
  readonly advice =
    'Someone is guessing passwords: if the attacker is one of your devices, disconnect and reset it; make sure the target (router, camera, NAS) has a strong unique password, no default account, and no login service open to the internet.';
  readonly #memory = new Map<string, Map<string, Tally>>();

  detect(ctx: DetectContext): Finding<BruteForceFacts>[] {
    const { w } = ctx;
    const mac = w.device.macStr;
    const now = w.record.start;
    const out: Finding<BruteForceFacts>[] = [];
    const seen = new Map<string, [number, BruteForceFacts]>();
    for (const p of w.evidence.peers) {
      if (p.shortSessions === 0 || LOGIN_SERVICES[p.port] === undefined || p.proto !== 6) continue;
      seen.set(`${p.ip}:${p.port}`, [
        p.shortSessions,
        {
          target: p.ip,
          port: p.port,
          service: serviceName(p.port),
          attempts: 0,
          kind: 'sessions',
          local: p.local,
        },
      ]);
    }
    for (const a of w.evidence.httpAuth) {
      if (a.failures === 0) continue;
      seen.set(`${a.ip}:${a.port}`, [
        a.failures,
        {
          target: a.host !== '' && a.host !== a.ip ? `${a.host} (${a.ip})` : a.ip,
          port: a.port,
          service: `the web login (${a.port})`,
          attempts: 0,
          kind: 'http-auth',
          local: w.evidence.peers.some((p) => p.ip === a.ip && p.local),
        },
      ]);
    }
    const services = this.#services(mac);
    for (const [key, [n, facts]] of seen) {
      let t = services.get(key);
      if (t === undefined) {
        if (services.size >= MAX_SERVICES) services.delete(services.keys().next().value as string);
        services.set(key, (t = { times: [], counts: [], reported: false }));
      }
      t.times.push(now);
      t.counts.push(n);
      while (t.times.length > 0 && now - t.times[0] >= SPAN_S) {
        t.times.shift();
        t.counts.shift();
      }
      const total = t.counts.reduce((a, b) => a + b, 0);
      if (total < ATTEMPTS) {
        if (t.times.length === 1) t.reported = false;
        continue;
      }
      const attempts = t.reported ? n : total;
      t.reported = true;
      out.push({
        behaviour: 'brute_force',
        key,
        ts: now,
        score: Math.min(1, 0.6 + total / (5 * ATTEMPTS)),
        severity: 'high',
        facts: { ...facts, attempts },
      });
    }
    return out;
  }

  snapshot(): unknown {
    return this.#memory;
  }

  restore(saved: unknown): void {
    const tally = (x: unknown, w: string): Tally =>
      expectObject<Tally>(x, w, {
        times: expectNumbers,
        counts: expectNumbers,
        reported: expectBoolean,
      });
    refill(
      this.#memory,
      expectMap(saved, 'brute_force', (x, w) => expectMap(x, w, tally)),
    );
  }

  #services(mac: string): Map<string, Tally> {
    let m = this.#memory.get(mac);
    if (m === undefined) this.#memory.set(mac, (m = new Map()));
    return m;
  }

  merge(ep: BruteForceFacts, next: BruteForceFacts): BruteForceFacts {
    return { ...ep, attempts: ep.attempts + next.attempts };
  }

  sentence(ep: EpisodeView<BruteForceFacts>): string {
    const f = ep.facts;
    const where = endpoint(f.target, f.port);
    // The endpoint shows the port: the service is named without it ("SSH on 192.168.1.5:22").
    const what =
      f.kind === 'http-auth'
        ? `has been refused ${plural(f.attempts, 'time')} by the web login of ${where}`
        : `has opened ${plural(f.attempts, 'short login session')} to ${LOGIN_SERVICES[f.port] ?? f.service} on ${where}`;
    const on = f.local ? 'a device on your network' : 'a server on the internet';
    return `${ep.who} ${what} since ${clock(ep.since, ep.last)}: it is guessing passwords against ${on}.`;
  }

  forget(mac: string): void {
    this.#memory.delete(mac);
  }
}
