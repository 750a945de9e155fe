/**
 * `inbound_exposure`: connections from the internet that a LAN device accepted — something on
 * the internet can reach it (a port forward, a UPnP mapping, a device on a public address).
 * Cold start.
 * @module
 */
import { clock, list, plural } from '../alerts/words.js';
import type { DetectContext, Detector, EpisodeView, Finding } from './types.js';

export interface InboundExposureFacts {
  /** The device's ports that accepted, at most 5. */
  ports: number[];
  accepted: number;
  attempted: number;
  /** Internet addresses that connected, first seen first, at most MAX_PEERS. */
  peers: string[];
  /** Distinct addresses that connected (at least: past MAX_PEERS they are not told apart). */
  peerCount: number;
}

/** Addresses kept in the evidence. */
const MAX_PEERS = 64;

export class InboundExposureDetector implements Detector<InboundExposureFacts> {
  readonly behaviour = 'inbound_exposure' as const;
  readonly needsBaseline = false;
  readonly advice =
    'Something on the internet can connect to this device: remove port forwards and UPnP mappings on the router that point to it, turn UPnP off, and update the device; if you did not expect it to be reachable, treat it as compromised.';

  detect(ctx: DetectContext): Finding<InboundExposureFacts>[] {
    const inbound = ctx.w.evidence.inbound;
    const accepted = inbound.filter((i) => i.accepted);
    if (accepted.length === 0) return [];
    const peers = [...new Set(accepted.map((i) => i.ip))];
    return [
      {
        behaviour: 'inbound_exposure',
        key: '',
        ts: accepted[0].ts,
        score: Math.min(1, 0.7 + 0.05 * peers.length),
        severity: 'high',
        facts: {
          ports: [...new Set(accepted.map((i) => i.port))].slice(0, 5),
          accepted: accepted.length,
          attempted: inbound.length,
          peers: peers.slice(0, MAX_PEERS),
          peerCount: peers.length,
        },
      },
    ];
  }

  merge(ep: InboundExposureFacts, next: InboundExposureFacts): InboundExposureFacts {
    const peers = [...new Set([...ep.peers, ...next.peers])];
    const full = ep.peers.length >= MAX_PEERS;
    return {
      ports: [...new Set([...ep.ports, ...next.ports])].slice(0, 5),
      accepted: ep.accepted + next.accepted,
      attempted: ep.attempted + next.attempted,
      peers: peers.slice(0, MAX_PEERS),
      peerCount: full ? Math.max(ep.peerCount, peers.length) : Math.min(peers.length, MAX_PEERS),
    };
  }

  sentence(ep: EpisodeView<InboundExposureFacts>): string {
    const f = ep.facts;
    const ports = f.ports.map(String);
    return `${ep.who} has accepted ${plural(f.accepted, 'connection')} from ${plural(f.peerCount, 'internet address', 'internet addresses')} (${list(f.peers, 2)}) on ${ports.length === 1 ? 'port' : 'ports'} ${list(ports, 3)} since ${clock(ep.since, ep.last)}: it is reachable from the internet.`;
  }
}
