/**
 * `inbound_exposure`: connections from the internet that a LAN device accepted — something on
 * the internet can reach it (a port forward, a UPnP mapping, a device on a public address).
 * Cold start. TCP: any connection from the internet the device accepted. UDP: a datagram from
 * the internet that the device answered, on a port it had mapped on the router (UPnP, NAT-PMP,
 * PCP) — elsewhere a late reply to the device's own expired flow, or a P2P peer after hole
 * punching, looks the same.
 * @module
 */
import { clock, list, plural } from '../alerts/words.js';
import { expectMap, expectNumber, refill } from '../state/codec.js';
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
/** Mapped ports remembered per device, and for how long without a lifetime (a day). */
const MAX_MAPPED = 16;
const MAPPED_DEFAULT_S = 86_400;

export class InboundExposureDetector implements Detector<InboundExposureFacts> {
  readonly behaviour = 'inbound_exposure' as const;
  readonly needsBaseline = false;
  readonly advice =
    "Something on the internet can connect to this device: remove port forwards and UPnP mappings on the router that point to it, turn UPnP off, block inbound IPv6 connections to it in the router's firewall, and update the device; if you did not expect it to be reachable, treat it as compromised.";

  /** Per device: internal ports it mapped on the router, and until when. */
  readonly #mapped = new Map<string, Map<number, number>>();

  snapshot(): unknown {
    return this.#mapped;
  }

  restore(saved: unknown): void {
    const ports = (x: unknown, w: string): Map<number, number> =>
      expectMap(x, w, expectNumber, true);
    refill(this.#mapped, expectMap(saved, 'inbound_exposure', ports));
  }

  detect(ctx: DetectContext): Finding<InboundExposureFacts>[] {
    const mac = ctx.w.device.macStr;
    const now = ctx.w.record.end;
    let mapped = this.#mapped.get(mac);
    for (const m of ctx.w.evidence.portMappings) {
      if (m.via !== 'upnp' && m.lifetimeS === 0) continue;
      if (mapped === undefined) this.#mapped.set(mac, (mapped = new Map()));
      if (mapped.size >= MAX_MAPPED) mapped.delete(mapped.keys().next().value as number);
      const until = m.ts + (m.lifetimeS > 0 ? m.lifetimeS : MAPPED_DEFAULT_S);
      for (const port of [m.internalPort || m.externalPort, m.externalPort])
        mapped.set(port, until);
    }
    const onMapped = (port: number): boolean => (mapped?.get(port) ?? -Infinity) >= now - 60;
    const inbound = ctx.w.evidence.inbound.filter((i) => i.proto === 6 || onMapped(i.port));
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

  forget(mac: string): void {
    this.#mapped.delete(mac);
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
    // IPv6 has no NAT to forward through: what let them in is the router's IPv6 firewall.
    const how = f.peers.some((p) => p.includes(':'))
      ? ' over IPv6, where the router does no NAT: its IPv6 firewall lets connections to this device in'
      : '';
    return `${ep.who} has accepted ${plural(f.accepted, 'connection')} from ${plural(f.peerCount, 'internet address', 'internet addresses')} (${list(f.peers, 2)}) on ${ports.length === 1 ? 'port' : 'ports'} ${list(ports, 3)} since ${clock(ep.since, ep.last)}: it is reachable from the internet${how}.`;
  }
}
