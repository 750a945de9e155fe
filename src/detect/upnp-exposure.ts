/**
 * `upnp_exposure`: the device asked the router to open a port to the internet — UPnP IGD
 * `AddPortMapping`, or a NAT-PMP / PCP map request. Cold start. An SSDP search for the gateway
 * alone is not exposure (cameras do it at set-up); a mapping request is.
 * @module
 */
import { clock, list, plural } from '../alerts/words.js';
import type { PortMappingEvidence } from '../features/evidence.js';
import { ADMIN_PORTS } from './services.js';
import type { DetectContext, Detector, EpisodeView, Finding } from './types.js';

export interface UpnpExposureFacts {
  /** "TCP 8080 → 192.168.1.23:80 (UPnP)", most recent last, at most 5. */
  mappings: string[];
  requests: number;
  externalPorts: number[];
  router: string;
  via: string;
}

const VIA: Record<PortMappingEvidence['via'], string> = {
  upnp: 'UPnP',
  natpmp: 'NAT-PMP',
  pcp: 'PCP',
};

function describe(m: PortMappingEvidence, self: string): string {
  const proto = m.protocol !== '' ? `${m.protocol} ` : '';
  const to = `${m.internalClient || self}:${m.internalPort || m.externalPort}`;
  return `${proto}${m.externalPort} → ${to} (${VIA[m.via]})`;
}

export class UpnpExposureDetector implements Detector<UpnpExposureFacts> {
  readonly behaviour = 'upnp_exposure' as const;
  readonly needsBaseline = false;
  readonly advice =
    'A device opened a port on your router to the internet: unless you set this up on purpose (a game console, a media server), turn UPnP and NAT-PMP off in the router and remove the mapping; the device may be exposed or compromised.';

  detect(ctx: DetectContext): Finding<UpnpExposureFacts>[] {
    const { w } = ctx;
    const self = w.device.ipList()[0] ?? '';
    // NAT-PMP/PCP requests with lifetime 0 delete a mapping: not an exposure.
    const maps = w.evidence.portMappings.filter((m) => m.via === 'upnp' || m.lifetimeS > 0);
    if (maps.length === 0) return [];
    const ports = [...new Set(maps.map((m) => m.externalPort))];
    const admin = ports.some((p) => ADMIN_PORTS.has(p));
    const elsewhere = maps.some((m) => m.internalClient !== '' && m.internalClient !== self);
    return [
      {
        behaviour: 'upnp_exposure',
        key: '',
        ts: maps[0].ts,
        score: 0.95,
        severity: admin || elsewhere ? 'high' : 'medium',
        facts: {
          mappings: maps.slice(-5).map((m) => describe(m, self)),
          requests: maps.reduce((n, m) => n + m.count, 0),
          externalPorts: ports.slice(0, 10),
          router: maps[0].router,
          via: [...new Set(maps.map((m) => VIA[m.via]))].join('/'),
        },
      },
    ];
  }

  merge(ep: UpnpExposureFacts, next: UpnpExposureFacts): UpnpExposureFacts {
    return {
      mappings: [...new Set([...ep.mappings, ...next.mappings])].slice(-5),
      requests: ep.requests + next.requests,
      externalPorts: [...new Set([...ep.externalPorts, ...next.externalPorts])].slice(0, 10),
      router: ep.router,
      via: [...new Set([...ep.via.split('/'), ...next.via.split('/')])].join('/'),
    };
  }

  sentence(ep: EpisodeView<UpnpExposureFacts>): string {
    const f = ep.facts;
    const ports = f.externalPorts.map(String);
    return `${ep.who} asked the router${f.router ? ` (${f.router})` : ''} through ${f.via} to open ${ports.length === 1 ? 'port' : 'ports'} ${list(ports, 4)} to the internet (${plural(f.requests, 'request')} since ${clock(ep.since, ep.last)}: ${list(f.mappings, 2)}).`;
  }
}
