/**
 * Alert episodes: findings of one device, one behaviour and one key (e.g. the endpoint) that
 * follow each other are one episode. It is written as an `alert` record when it opens, as an
 * `update` at most every UPDATE_S while it lasts (only when it has news; at once when its
 * severity rises, for a detector that `escalates`), and once more when it closes — after
 * QUIET_S of packet time without a finding, or at the end of a replay. Each record's `summary`
 * is the detector's sentence over the facts merged so far.
 * @module
 */
import type { Detector, Finding } from '../detect/types.js';
import type { AlertRecord, AlertState, Severity } from '../sinks/records.js';
import { HomewatchError } from '../util/errors.js';

/** Seconds of packet time between updates of an open episode, at most one each. */
export const UPDATE_S = 300;
/** Seconds without a finding after which an episode closes. */
export const QUIET_S = 900;

const SEVERITY_RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2 };

export interface EpisodeSnapshot {
  id: string;
  mac: string;
  behaviour: string;
  key: string;
  who: string;
  since: number;
  last: number;
  lastEmit: number;
  windows: number;
  score: number;
  severity: Severity;
  facts: object;
  news: boolean;
}

type Episode = EpisodeSnapshot;

/** 32-bit FNV-1a of a string, as 8 hex digits (short, stable episode ids). */
function fnv(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

export class AlertManager {
  /** Episodes opened (alerts a person sees). */
  opened = 0;
  readonly #detectors = new Map<string, Detector>();
  readonly #emit: (r: AlertRecord) => void;
  /** Open episodes by mac|behaviour|key. */
  readonly #open = new Map<string, Episode>();

  constructor(detectors: readonly Detector[], emit: (r: AlertRecord) => void) {
    for (const d of detectors) this.#detectors.set(d.behaviour, d);
    this.#emit = emit;
  }

  /** Registers a detector-like sentence maker for a behaviour (the model's `anomaly`). */
  register(d: Detector): void {
    this.#detectors.set(d.behaviour, d);
  }

  /** True when the device has an episode open (of a behaviour other than `except`). */
  hasOpen(mac: string, except?: string): boolean {
    for (const e of this.#open.values()) if (e.mac === mac && e.behaviour !== except) return true;
    return false;
  }

  get openCount(): number {
    return this.#open.size;
  }

  /** Findings of device `mac` (named `who`) in the window that ended at packet time `now`. */
  take(mac: string, who: string, findings: readonly Finding[], now: number): void {
    for (const f of findings) {
      const k = `${mac}|${f.behaviour}|${f.key}`;
      const det = this.#detectors.get(f.behaviour);
      const e = this.#open.get(k);
      if (e === undefined) {
        const ep: Episode = {
          id: `${mac.replace(/:/g, '')}-${f.behaviour}-${Math.floor(f.ts)}${f.key ? `-${fnv(f.key)}` : ''}`,
          mac,
          behaviour: f.behaviour,
          key: f.key,
          who,
          since: f.ts,
          last: Math.max(f.ts, now),
          lastEmit: now,
          windows: 1,
          score: f.score,
          severity: f.severity,
          facts: f.facts,
          news: false,
        };
        this.#open.set(k, ep);
        this.opened++;
        this.#write(ep, 'open', now);
        continue;
      }
      e.facts = det?.merge ? det.merge(e.facts, f.facts) : f.facts;
      e.last = Math.max(e.last, now);
      e.windows++;
      e.who = who;
      if (f.score > e.score) e.score = f.score;
      const raised = SEVERITY_RANK[f.severity] > SEVERITY_RANK[e.severity];
      if (raised) e.severity = f.severity;
      e.news = true;
      if (now - e.lastEmit >= UPDATE_S || (raised && det?.escalates === true)) {
        e.lastEmit = now;
        e.news = false;
        this.#write(e, 'update', now);
      }
    }
  }

  /** Closes episodes quiet for QUIET_S at packet time `now`. */
  tick(now: number): void {
    for (const [k, e] of this.#open) {
      if (now - e.last >= QUIET_S) {
        this.#open.delete(k);
        this.#write(e, 'closed', e.last + QUIET_S);
      }
    }
  }

  /** Closes every open episode (end of a replay), at packet time `now`. */
  closeAll(now: number): void {
    for (const [k, e] of this.#open) {
      this.#open.delete(k);
      this.#write(e, 'closed', Math.max(e.last, Math.min(now, e.last + QUIET_S)));
    }
  }

  #write(e: Episode, state: AlertState, ts: number): void {
    const det = this.#detectors.get(e.behaviour);
    const view = { who: e.who, since: e.since, last: e.last, windows: e.windows, facts: e.facts };
    this.#emit({
      type: 'alert',
      mac: e.mac,
      ts,
      behaviour: e.behaviour,
      score: Number(e.score.toFixed(3)),
      summary: det ? det.sentence(view) : `${e.who}: ${e.behaviour}`,
      evidence: {
        ...(e.facts as Record<string, unknown>),
        since: e.since,
        last: e.last,
        windows: e.windows,
        advice: det === undefined ? '' : (det.adviceFor?.(e.facts) ?? det.advice),
      },
      episode: e.id,
      state,
      severity: e.severity,
    });
  }

  snapshot(): EpisodeSnapshot[] {
    return [...this.#open.values()].map((e) => ({ ...e }));
  }

  restore(s: unknown): void {
    if (s === undefined || s === null) return;
    if (!Array.isArray(s)) throw new HomewatchError('ERR_STATE', 'episodes: expected a list');
    this.#open.clear();
    for (const e of s as EpisodeSnapshot[]) {
      if (typeof e?.id !== 'string' || typeof e.mac !== 'string')
        throw new HomewatchError('ERR_STATE', 'episodes: an episode lacks id or mac');
      this.#open.set(`${e.mac}|${e.behaviour}|${e.key}`, { ...e });
    }
  }
}
