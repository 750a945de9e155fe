/**
 * Stable device names: a small, bounded count of the names a device used, per source strength
 * (`NameRank`), and the choice of the one it is known by.
 *
 * Devices do not always call themselves the same: a smart-lock hub renews its DHCP lease
 * alternately as `lockly-hub-01` and `PGH200`, a camera's DHCP server echoes two names. The name
 * shown (and used as a tag) is the one used most from the strongest source that gave any (ties:
 * the first used); it changes only when another name of that source has clearly been used more
 * (`SWITCH_RATIO` and `SWITCH_LEAD`), or a stronger source names the device. The others are
 * aliases.
 *
 * A *use* is one sighting of a name, with repeats within `USE_GAP_S` of packet time counted
 * once (a DHCP DISCOVER/REQUEST exchange, an mDNS announcement burst). Counts are halved for a
 * source when one reaches `COUNT_CAP`, so a name the device stopped using can be overtaken
 * in time; and a replay of traffic already counted (same packet times) counts nothing again.
 * @module
 */
import type { NameRank } from './device.js';

/** Names remembered per source strength; the least used is forgotten first. */
export const MAX_NAMES_PER_RANK = 8;
/** Sightings of a name closer than this (packet time) are one use. */
export const USE_GAP_S = 60;
/** A count reaching this halves every count of its source. */
export const COUNT_CAP = 256;
/** A name replaces the current one when used at least this many times as often … */
export const SWITCH_RATIO = 1.5;
/** … and at least this many times more. */
export const SWITCH_LEAD = 3;

export interface NameUse {
  name: string;
  rank: NameRank;
  /** Uses counted. */
  count: number;
  /** Packet time of the last use counted. */
  lastTs: number;
}

export class NameCounts {
  /** In order of first use. */
  readonly #uses: NameUse[] = [];

  /** Every name remembered, in order of first use. */
  all(): readonly NameUse[] {
    return this.#uses;
  }

  /** Records a sighting of `name` (already sanitised) from a source of strength `rank`. */
  use(name: string, rank: NameRank, ts: number): void {
    const uses = this.#uses;
    let entry: NameUse | undefined;
    let sameRank = 0;
    for (const u of uses) {
      if (u.rank !== rank) continue;
      sameRank++;
      if (u.name === name) entry = u;
    }
    if (entry === undefined) {
      if (sameRank >= MAX_NAMES_PER_RANK) this.#forgetLeastUsed(rank);
      uses.push({ name, rank, count: 1, lastTs: ts });
      return;
    }
    if (!(ts >= entry.lastTs + USE_GAP_S)) return;
    entry.count++;
    entry.lastTs = ts;
    if (entry.count >= COUNT_CAP) {
      for (const u of uses) if (u.rank === rank) u.count = Math.ceil(u.count / 2);
    }
  }

  /** Restores a saved entry (in saved order). */
  load(u: NameUse): void {
    if (this.#uses.some((x) => x.name === u.name && x.rank === u.rank)) return;
    this.#uses.push({ ...u });
  }

  /**
   * The name to be known by, given the current one (`null`: none yet): the strongest source's
   * most used name, but the current one stays unless that source's leader clearly outnumbers it.
   */
  choose(current: NameUse | null): NameUse | null {
    let best: NameUse | null = null;
    for (const u of this.#uses) {
      if (best === null || u.rank > best.rank || (u.rank === best.rank && u.count > best.count)) {
        best = u;
      }
    }
    if (best === null || current === null || best === current) return best;
    if (!this.#uses.includes(current) || current.rank < best.rank) return best;
    const clearly =
      best.count >= current.count * SWITCH_RATIO && best.count >= current.count + SWITCH_LEAD;
    return clearly ? best : current;
  }

  #forgetLeastUsed(rank: NameRank): void {
    let least = -1;
    const uses = this.#uses;
    for (let i = 0; i < uses.length; i++) {
      if (uses[i].rank !== rank) continue;
      if (least < 0 || uses[i].count < uses[least].count) least = i;
    }
    if (least >= 0) uses.splice(least, 1);
  }
}
