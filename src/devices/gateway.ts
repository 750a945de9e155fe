/**
 * Which MAC is the gateway (the router): the one that carries traffic to and from remote
 * addresses.
 *
 * Rule. Every MAC gets a score: packets it sends with a remote source IP (forwarded from the
 * internet) plus unicast packets addressed to it with a remote destination IP (sent to the
 * internet through it). The leader becomes the gateway once it is clearly dominant: score at
 * least MIN_PACKETS (10) and at least DOMINANCE (3) times the runner-up's. A chosen gateway
 * stays until another MAC is clearly dominant over it by the same rule (hysteresis).
 *
 * Hint. DHCP option 3 (router, RFC 2132 §3.5) names the router's IP; once that IP maps to a
 * MAC (the DHCP reply came from it, or a device or ARP sender uses it) that MAC is the gateway
 * unless another MAC is clearly dominant over it by counts.
 *
 * Cost: a Map lookup per remote packet except for the current gateway (a number compare), and
 * top-two tracking in O(1): scores only grow by one, so only the counted MAC can move.
 * @module
 */
import type { Device } from './device.js';

export const MIN_PACKETS = 10;
export const DOMINANCE = 3;
/** Distinct MACs scored; beyond it new candidates are ignored (counted). */
export const MAX_CANDIDATES = 1024;

interface Candidate {
  mac: number;
  score: number;
}

export class GatewayDetector {
  /** The gateway MAC, -1 while undecided. Read per packet by the registry. */
  mac = -1;
  /** Candidates ignored because MAX_CANDIDATES were already scored. */
  ignored = 0;
  /** Router IPv4 from DHCP option 3, -1 when none seen. */
  hintIp = -1;
  readonly #candidates = new Map<number, Candidate>();
  #gw: Candidate | null = null;
  #leader: Candidate | null = null;
  #runnerUp: Candidate | null = null;
  #hint: Candidate | null = null;

  /** One remote-traffic packet sent by, or addressed to, `mac` (a unicast, non-zero MAC). */
  count(mac: number): void {
    const gw = this.#gw;
    if (gw !== null && gw.mac === mac) {
      this.countGateway();
      return;
    }
    let c = this.#candidates.get(mac);
    if (c === undefined) {
      if (this.#candidates.size >= MAX_CANDIDATES) {
        this.ignored++;
        return;
      }
      c = { mac, score: 0 };
      this.#candidates.set(mac, c);
    }
    c.score++;
    this.#rank(c);
  }

  /**
   * `count(this.mac)` once a gateway is chosen, without passing the MAC: most packets of a home
   * go through the gateway, and a 48-bit MAC passed to a call V8 does not inline is boxed.
   */
  countGateway(): void {
    const gw = this.#gw;
    if (gw === null) return;
    gw.score++;
    if (gw === this.#leader) return; // the gateway leads: nothing can change
    this.#rank(gw);
  }

  /** Score so far for `mac` (0 when never counted). */
  score(mac: number): number {
    return this.#candidates.get(mac)?.score ?? 0;
  }

  /** DHCP told us the router's IPv4 address. */
  setHintIp(ip: number): void {
    this.hintIp = ip;
  }

  /**
   * DHCP option 3 named the router's IPv4 `ip`: `mac` when the reply came from the router (-1
   * otherwise: then the MAC of the device among `devices` that uses `ip`, if any).
   */
  routerHint(ip: number, mac: number, devices: readonly Device[]): void {
    this.setHintIp(ip);
    if (mac >= 0) {
      this.setHintMac(mac);
    } else {
      const owner = devices.find((d) => d.hasIp4(ip));
      if (owner !== undefined) this.setHintMac(owner.mac);
    }
  }

  /** The router's IP resolved to `mac` (DHCP server MAC, device or ARP sender for `hintIp`). */
  setHintMac(mac: number): void {
    if (this.#hint?.mac === mac) return;
    let c = this.#candidates.get(mac);
    if (c === undefined) {
      c = { mac, score: 0 };
      this.#candidates.set(mac, c);
    }
    this.#hint = c;
    this.#decide();
  }

  /** Restores a saved decision: that MAC starts as gateway with MIN_PACKETS of credit. */
  restore(mac: number): void {
    const c = { mac, score: MIN_PACKETS };
    this.#candidates.set(mac, c);
    this.#leader = c;
    this.#runnerUp = null;
    this.#gw = c;
    this.mac = mac;
  }

  /** Keeps #leader / #runnerUp right after `c` gained one point. */
  #rank(c: Candidate): void {
    const leader = this.#leader;
    if (leader === null || leader === c) {
      this.#leader = c;
    } else if (c.score > leader.score) {
      this.#runnerUp = leader;
      this.#leader = c;
    } else if (this.#runnerUp === null || c.score > this.#runnerUp.score) {
      this.#runnerUp = c;
    }
    this.#decide();
  }

  #decide(): void {
    const leader = this.#leader;
    const base = this.#hint ?? this.#gw;
    let next: Candidate | null = base;
    if (leader !== null && leader !== base) {
      const against = base ?? this.#runnerUp;
      const rival = against === null || against === leader ? 0 : against.score;
      if (leader.score >= MIN_PACKETS && leader.score >= DOMINANCE * rival) next = leader;
    }
    if (next !== this.#gw) {
      this.#gw = next;
      this.mac = next === null ? -1 : next.mac;
    }
  }
}
