/**
 * `lateral_movement`: a device reaching into the rest of the home.
 * - Cold start: it answers ARP for an address that belongs to another device or the gateway
 *   (ARP spoofing, the man in the middle's first step).
 * - Against its normal (after learning): it starts talking to LAN peers or admin services
 *   (SSH, telnet, SMB, RDP, ADB, web admin, RTSP, MQTT …) it never used. General-purpose
 *   devices (phones, computers) reach new LAN services as a matter of course, so they need
 *   more of it; a single-purpose device opening a remote shell on a neighbour is enough.
 * @module
 */
import { clock, list, plural } from '../alerts/words.js';
import { ADMIN_PORTS, isGeneralPurpose, serviceAt, SHELL_PORTS } from './services.js';
import type { DetectContext, Detector, EpisodeView, Finding } from './types.js';

/** New LAN peers in a window (any port) that are movement for a single-purpose device. */
export const NEW_PEERS = 8;
/** New admin services in a window: single-purpose / general-purpose devices. */
export const NEW_ADMIN_IOT = 2;
export const NEW_ADMIN_GENERAL = 4;
/** Services and peers an episode keeps by name (its counts go on past them). */
const KEPT = 32;

export interface LateralMovementFacts {
  kind: 'arp' | 'peers';
  /** ARP: the addresses claimed and whose they are. */
  claimed: string[];
  gateway: boolean;
  /**
   * Peers: the new LAN services ("SSH on 192.168.1.5:22") and the new peers' addresses, each
   * distinct, at most KEPT; and how many of each the episode has seen (past KEPT as well: an
   * episode counts a service or a peer once, however many windows it spans).
   */
  services: string[];
  peers?: string[];
  newServices: number;
  newPeers: number;
}

export class LateralMovementDetector implements Detector<LateralMovementFacts> {
  readonly behaviour = 'lateral_movement' as const;
  readonly needsBaseline = false;
  readonly advice =
    'A device is reaching into the rest of your network as an intruder would: disconnect it, reset it and update its firmware, change the passwords of the devices it reached, and keep IoT devices on their own network.';

  detect(ctx: DetectContext): Finding<LateralMovementFacts>[] {
    const { w, baseline, judged, kind } = ctx;
    const out: Finding<LateralMovementFacts>[] = [];
    const claims = w.evidence.arpClaims;
    // The gateway's announcements are of its own addresses (arp-claims.ts): one made before the
    // capture had told which device the gateway is, in a capture begun mid-spoof, is no claim.
    if (claims.length > 0 && !w.device.isGateway) {
      const gateway = claims.some((c) => c.ownerIsGateway);
      out.push({
        behaviour: 'lateral_movement',
        key: 'arp',
        ts: claims[0].ts,
        score: gateway ? 0.95 : 0.85,
        severity: 'high',
        facts: {
          kind: 'arp',
          claimed: [
            ...new Set(
              claims.map((c) => `${c.ip} (${c.ownerIsGateway ? 'the gateway' : c.ownerMac})`),
            ),
          ].slice(0, 3),
          gateway,
          services: [],
          newServices: 0,
          newPeers: 0,
        },
      });
    }
    if (!judged) return out;
    const newPeers = new Set<string>();
    const admin: string[] = [];
    let shells = 0;
    for (const p of w.evidence.peers) {
      const mac = p.mac ?? '';
      if (!p.local || p.proto !== 6 || baseline.knowsLanService(p.ip, p.port, mac)) continue;
      if (!baseline.knowsLanPeer(p.ip, mac)) newPeers.add(mac !== '' ? mac : p.ip);
      if (ADMIN_PORTS.has(p.port)) {
        admin.push(serviceAt(p.ip, p.port));
        if (SHELL_PORTS.has(p.port)) shells++;
      }
    }
    const general = isGeneralPurpose(kind);
    const enough = general
      ? admin.length >= NEW_ADMIN_GENERAL || shells >= 2
      : admin.length >= NEW_ADMIN_IOT || shells >= 1 || newPeers.size >= NEW_PEERS;
    if (enough) {
      out.push({
        behaviour: 'lateral_movement',
        key: 'peers',
        ts: w.record.start,
        score: Math.min(1, 0.55 + 0.1 * admin.length + 0.1 * shells),
        severity: shells > 0 ? 'high' : 'medium',
        facts: {
          kind: 'peers',
          claimed: [],
          gateway: false,
          services: admin.slice(0, KEPT),
          peers: [...newPeers].slice(0, KEPT),
          newServices: admin.length,
          newPeers: newPeers.size,
        },
      });
    }
    return out;
  }

  merge(ep: LateralMovementFacts, next: LateralMovementFacts): LateralMovementFacts {
    const services = union(ep.services, ep.newServices, next.services, next.newServices);
    const peers = union(ep.peers ?? [], ep.newPeers, next.peers ?? [], next.newPeers);
    return {
      ...ep,
      claimed: [...new Set([...ep.claimed, ...next.claimed])].slice(0, 3),
      gateway: ep.gateway || next.gateway,
      services: services.items,
      newServices: services.count,
      peers: peers.items,
      newPeers: peers.count,
    };
  }

  sentence(ep: EpisodeView<LateralMovementFacts>): string {
    const f = ep.facts;
    const since = clock(ep.since, ep.last);
    if (f.kind === 'arp')
      return `${ep.who} has been answering ARP for ${list(f.claimed, 2)} since ${since}: it is ${f.gateway ? 'impersonating the router to intercept traffic (a man in the middle)' : 'taking over another device’s address'}.`;
    const peers =
      f.newPeers > 0 ? ` and ${plural(f.newPeers, 'LAN device')} it never talked to` : '';
    return `${ep.who} has started reaching ${plural(f.newServices, 'admin service')} on your network it never used (${list(f.services, 3, f.newServices)})${peers} since ${since}: it may be looking for its next victim.`;
  }
}

/**
 * Merges the distinct items an episode has seen (kept up to KEPT) with a window's: an item the
 * episode already holds is not counted again; once past KEPT, the window's new ones are added
 * to the count as they come (some may repeat: the count is then an upper bound).
 */
function union(
  seen: readonly string[],
  seenCount: number,
  next: readonly string[],
  nextCount: number,
): { items: string[]; count: number } {
  const kept = new Set(seen);
  let added = Math.max(0, nextCount - next.length);
  for (const x of next) {
    if (kept.has(x)) continue;
    added++;
    if (kept.size < KEPT) kept.add(x);
  }
  return { items: [...kept], count: seenCount + added };
}
