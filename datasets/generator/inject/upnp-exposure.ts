/**
 * `upnp_exposure`: a device asks the router to forward an internet port to it.
 * - `soap`: SSDP M-SEARCH for the IGD, the router's answer with its LOCATION, GET of the
 *   description, SOAP GetExternalIPAddress, then AddPortMapping (NewExternalPort,
 *   NewProtocol, NewInternalPort, NewInternalClient, NewLeaseDuration,
 *   NewPortMappingDescription) answered 200 OK, as miniupnpc and P2P camera SDKs do.
 * - `natpmp`: RFC 6886 external-address request, then a map request, both answered.
 * - `pcp`: an RFC 6887 MAP request and its response.
 * The mapped ports, protocol, lease and description are drawn; the label's detail keeps
 * the internal port for the inbound connections that may follow (inbound-exposure.ts).
 * @module
 */
import { ipText } from '../exchanges.js';
import type { Conn } from '../frames.js';
import { LabelEvent } from '../labels.js';
import { quietPort } from '../ports.js';
import {
  NATPMP_PORT,
  PROTO_TCP,
  PROTO_UDP,
  natpmpAddressRequest,
  natpmpAddressResponse,
  natpmpMapRequest,
  natpmpMapResponse,
  pcpMapRequest,
  pcpMapResponse,
} from '../protocols/natpmp.js';
import { extIp, extIp4 } from '../activities-scenario.js';
import { Steps, sendUdp } from '../script.js';
import type { Sim } from '../sim.js';
import { IGD_ST, igdControl, ssdpSearchGateway } from '../upnp-lan.js';
import type { InjectPlan, Injector } from './types.js';

const MS = 1e3;
const DESCRIPTIONS = ['libminiupnpc', 'miniupnpc', 'P2P', 'IPCAM', 'ppcs', 'upnp', 'device'];
const AGENTS = [
  'Linux/3.10 UPnP/1.1 MiniUPnPc/2.0',
  'Linux/4.9 UPnP/1.1 MiniUPnPc/2.2.3',
  'Linux UPnP/1.0 CS2PPPP/4.1',
  'POSIX UPnP/1.0 UPnP Stack/2.0',
];

/** A port mapping as asked for: protocol (6 or 17), ports, lifetime. */
interface Mapping {
  proto: number;
  inPort: number;
  exPort: number;
  lifetimeS: number;
}

/** NAT-PMP (address, then map) or PCP (map) to the router's port 5351. */
function portControl(sim: Sim, p: InjectPlan, pcp: boolean, m: Mapping, label: LabelEvent): void {
  const { proto, inPort, exPort, lifetimeS: lifetime } = m;
  const d = p.dev;
  const c: Conn = sim.connGateway(d, NATPMP_PORT);
  const epoch = sim.rng.int(3600, 3_000_000);
  const nonce = Buffer.alloc(12);
  sim.rng.fill(nonce, 0, 12);
  const ext = extIp4(sim);
  const steps = new Steps(p.startUs, (sim2, i) => {
    const t = epoch + Math.floor((sim2.now - p.startUs) / 1e6);
    if (pcp) {
      if (i === 0)
        sendUdp(sim2, c, true, pcpMapRequest(d.ip4, nonce, proto, inPort, exPort, lifetime));
      else sendUdp(sim2, c, false, pcpMapResponse(nonce, proto, t, inPort, exPort, ext, lifetime));
      return i === 0 ? sim2.rng.range(1, 8) * MS : -1;
    }
    switch (i) {
      case 0:
        sendUdp(sim2, c, true, natpmpAddressRequest());
        return sim2.rng.range(1, 8) * MS;
      case 1:
        sendUdp(sim2, c, false, natpmpAddressResponse(t, ext));
        return sim2.rng.range(5, 50) * MS;
      case 2:
        sendUdp(sim2, c, true, natpmpMapRequest(proto, inPort, exPort, lifetime));
        return sim2.rng.range(1, 8) * MS;
      default:
        sendUdp(sim2, c, false, natpmpMapResponse(proto, t, inPort, exPort, lifetime));
        return -1;
    }
  });
  steps.label = label;
  sim.schedule(steps);
}

export const upnpExposure: Injector = {
  behaviour: 'upnp_exposure',
  kinds: ['vacuum', 'camera', 'hub', 'tv', 'printer', 'toy', 'plug'],
  variants: [
    ['soap', 0.6],
    ['natpmp', 0.25],
    ['pcp', 0.15],
  ],
  durationS: () => [5, 30],
  inject(sim, p) {
    const r = sim.rng;
    const d = p.dev;
    const udp = p.variant !== 'soap' && r.chance(0.2);
    const inPort = udp
      ? quietPort(r, 10000, 60000)
      : r.pick([80, 554, 8080, 23, 8000, quietPort(r, 10000, 60000)]);
    const exPort = r.chance(0.5) ? inPort : quietPort(r, 10000, 60000);
    const proto = udp ? PROTO_UDP : PROTO_TCP;
    const lease = r.pick([0, 3600, 7200, 86400, 604800]);
    const desc = r.pick(DESCRIPTIONS);
    const label = new LabelEvent(d.mac, ['upnp_exposure'], ['anomaly'], p.variant, {
      internalPort: inPort,
      externalPort: exPort,
      protocol: udp ? 'UDP' : 'TCP',
      leaseS: lease,
      description: p.variant === 'soap' ? desc : '',
    });
    if (p.variant !== 'soap') {
      const m = { proto, inPort, exPort, lifetimeS: lease === 0 ? 7200 : lease };
      portControl(sim, p, p.variant === 'pcp', m, label);
      return label;
    }
    const calls = [
      { action: 'GetExternalIPAddress', args: [], result: [['NewExternalIPAddress', extIp(sim)]] },
      {
        action: 'AddPortMapping',
        args: [
          ['NewRemoteHost', ''],
          ['NewExternalPort', String(exPort)],
          ['NewProtocol', 'TCP'],
          ['NewInternalPort', String(inPort)],
          ['NewInternalClient', ipText(d.ip4)],
          ['NewEnabled', '1'],
          ['NewPortMappingDescription', desc],
          ['NewLeaseDuration', String(lease)],
        ],
        result: [],
      },
    ] as const;
    const ctl = igdControl(sim, d, r.range(5, 80) * MS, calls, r.pick(AGENTS), label);
    sim.schedule(ssdpSearchGateway(sim, d, p.startUs, IGD_ST, label, ctl));
    return label;
  },
};
