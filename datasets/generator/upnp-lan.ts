/**
 * UPnP on the LAN: the router's IGD (its identity by vendor, its answers to SSDP searches,
 * its description and SOAP control), and the conversations clients have with it and with
 * media renderers. The injected port mapping (inject/upnp.ts) and the benign traps (a
 * camera's IGD search with no mapping, a TV's status query, a phone's renderer control)
 * are built from the same pieces, so only the SOAP action tells them apart.
 * @module
 */
import { ipText } from './exchanges.js';
import { ipv4MulticastMac, type Conn } from './frames.js';
import type { LabelEvent } from './labels.js';
import { httpRequest, httpResponse, type Headers } from './protocols/http-message.js';
import { SSDP_GROUP, SSDP_PORT, writeSsdpResponse, writeSsdpSearch } from './protocols/ssdp.js';
import {
  IGD_ST,
  RENDERING_SERVICE,
  WANIP_SERVICE,
  igdDescription,
  rendererDescription,
  soapRequest,
  soapResponse,
  type IgdIdentity,
} from './protocols/upnp.js';
import { Script, Steps, msg } from './script.js';
import { GATEWAY_IP, type Device, type Sim, type Task } from './sim.js';

const MS = 1e3;
const RENDERER_PORT = 49152;

const identities = new WeakMap<Sim, IgdIdentity>();

/** The router's UPnP IGD, fixed by its vendor and MAC (no draw: the bench home is unchanged). */
export function igdOf(sim: Sim): IgdIdentity {
  let g = identities.get(sim);
  if (g !== undefined) return g;
  const low = sim.gatewayMac % 0x1000000;
  const macHex = sim.gatewayMac.toString(16).padStart(12, '0');
  const uuid = `${macHex.slice(4)}-0000-1000-8000-${macHex}`;
  if (sim.gatewayVendor === 'AVM') {
    g = {
      server: 'FRITZ!Box 7590 UPnP/1.0 AVM FRITZ!Box 7590 154.07.57',
      port: 49000,
      descPath: '/igddesc.xml',
      controlPath: '/igdupnp/control/WANIPConn1',
      friendlyName: 'FRITZ!Box 7590',
      manufacturer: 'AVM Berlin',
      modelName: 'FRITZ!Box 7590',
      uuid,
    };
  } else {
    // miniupnpd listens on a port chosen at start-up; 40000–48999 holds none tshark decodes.
    const asus = sim.gatewayVendor === 'ASUSTek';
    g = {
      server: asus ? 'AsusWRT/386 UPnP/1.1 MiniUPnPd/2.2.0' : 'Linux/3.10 UPnP/1.1 MiniUPnPd/2.1',
      port: 40000 + (low % 9000),
      descPath: '/rootDesc.xml',
      controlPath: '/ctl/IPConn',
      friendlyName: asus ? 'RT-AX58U' : 'NETGEAR R7000',
      manufacturer: asus ? 'ASUSTeK Computer Inc.' : 'NETGEAR, Inc.',
      modelName: asus ? 'RT-AX58U' : 'R7000',
      uuid,
    };
  }
  identities.set(sim, g);
  return g;
}

/**
 * SSDP M-SEARCH for `st` from `d`, answered by the router (when it is the IGD being looked
 * for) after 10–400 ms; then `then` starts.
 */
export function ssdpSearchGateway(
  sim: Sim,
  d: Device,
  at: number,
  st: string,
  label: LabelEvent | null,
  then: Task | null,
): Steps {
  const g = igdOf(sim);
  const c: Conn = {
    v6: false,
    macA: d.mac,
    macB: ipv4MulticastMac(SSDP_GROUP),
    ip4A: d.ip4,
    ip4B: SSDP_GROUP,
    ip6A: null,
    ip6B: null,
    portA: sim.port(d),
    portB: SSDP_PORT,
    ttlA: 4,
    ttlB: 64,
  };
  const s = new Steps(at, (sim2, i) => {
    const off = sim2.f.beginUdp(false);
    const e = sim2.epochUs(sim2.now);
    if (i === 0) {
      const len = writeSsdpSearch(sim2.buf, off, st, d.vendor.userAgent);
      sim2.f.endUdp(e, c, true, len, len);
      return sim2.rng.range(10, 400) * MS;
    }
    c.macB = sim2.gatewayMac;
    c.ip4B = GATEWAY_IP;
    const loc = `http://${ipText(GATEWAY_IP)}:${g.port}${g.descPath}`;
    const len = writeSsdpResponse(sim2.buf, off, loc, g.server, g.uuid, st);
    sim2.f.endUdp(e, c, false, len, len);
    if (then !== null) {
      then.at += sim2.now;
      sim2.schedule(then);
    }
    return -1;
  });
  s.label = label;
  return s;
}

/** One HTTP request and its answer on a fresh connection (each `Connection: close`). */
function httpOnce(
  sim: Sim,
  c: Conn,
  delayUs: number,
  request: string,
  response: string,
  label: LabelEvent | null,
): Script {
  const s = new Script(sim, delayUs, { conn: c, rttUs: sim.rng.range(0.5, 4) * MS, close: 'finB' });
  s.push(msg(true, request, 0), msg(false, response, sim.rng.range(1, 15) * MS));
  s.label = label;
  return s;
}

/** A SOAP call: action, its arguments, and what the service answers. */
export interface SoapCall {
  action: string;
  args: readonly (readonly [string, string])[];
  result: readonly (readonly [string, string])[];
}

/**
 * What a UPnP client does after finding the IGD: GET the description, then one POST per
 * SOAP action, each on its own connection, one after the other. Returns the first task
 * (its `at` is a delay, as for Exchange.then); the rest are chained from it.
 */
export function igdControl(
  sim: Sim,
  d: Device,
  delayUs: number,
  calls: readonly SoapCall[],
  userAgent: string,
  label: LabelEvent | null,
): Script {
  const g = igdOf(sim);
  const host = `${ipText(GATEWAY_IP)}:${g.port}`;
  const serverHeaders: Headers = [
    ['Content-Type', 'text/xml; charset="utf-8"'],
    ['Connection', 'close'],
    ['Server', g.server],
    ['Ext', ''],
  ];
  const desc = igdDescription(g, ipText(GATEWAY_IP));
  const tasks: Script[] = [
    httpOnce(
      sim,
      sim.connGateway(d, g.port),
      delayUs,
      httpRequest('GET', g.descPath, [
        ['Host', host],
        ['Connection', 'Close'],
        ['User-Agent', userAgent],
      ]),
      httpResponse(200, 'OK', serverHeaders, desc.length, desc),
      label,
    ),
  ];
  for (const call of calls) {
    const body = soapRequest(WANIP_SERVICE, call.action, call.args);
    const answer = soapResponse(WANIP_SERVICE, call.action, call.result);
    tasks.push(
      httpOnce(
        sim,
        sim.connGateway(d, g.port),
        sim.rng.range(2, 60) * MS,
        httpRequest(
          'POST',
          g.controlPath,
          [
            ['Host', host],
            ['User-Agent', userAgent],
            ['Content-Type', 'text/xml'],
            ['SOAPAction', `"${WANIP_SERVICE}#${call.action}"`],
            ['Connection', 'Close'],
            ['Cache-Control', 'no-cache'],
            ['Pragma', 'no-cache'],
          ],
          body,
        ),
        httpResponse(200, 'OK', serverHeaders, answer.length, answer),
        label,
      ),
    );
  }
  for (let i = 0; i + 1 < tasks.length; i++) {
    const next = tasks[i + 1];
    tasks[i].onEnd = (sim2) => {
      next.at += sim2.now;
      sim2.schedule(next);
    };
  }
  return tasks[0];
}

/**
 * A phone's control point talking to a media renderer on the LAN (a TV or a speaker):
 * GET its description, then SOAP GetVolume on RenderingControl. Legitimate UPnP that a
 * detector must not take for a port mapping.
 */
export function rendererControl(sim: Sim, d: Device, p: Device): Script {
  const host = `${ipText(p.ip4)}:${RENDERER_PORT}`;
  const server = p.vendor.ssdpServer ?? 'Linux/4.9 UPnP/1.0 DLNADOC/1.50';
  const headers: Headers = [
    ['Content-Type', 'text/xml; charset="utf-8"'],
    ['Connection', 'close'],
    ['Server', server],
  ];
  const desc = rendererDescription(
    `${p.vendor.model} (${p.hostname})`,
    p.vendor.name,
    p.vendor.model,
    p.uuid,
  );
  const first = httpOnce(
    sim,
    sim.connLan(d, p, RENDERER_PORT),
    2 * MS,
    httpRequest('GET', '/description.xml', [
      ['Host', host],
      ['User-Agent', d.vendor.userAgent],
    ]),
    httpResponse(200, 'OK', headers, desc.length, desc),
    null,
  );
  const body = soapRequest(RENDERING_SERVICE, 'GetVolume', [
    ['InstanceID', '0'],
    ['Channel', 'Master'],
  ]);
  const answer = soapResponse(RENDERING_SERVICE, 'GetVolume', [
    ['CurrentVolume', String(sim.rng.int(5, 60))],
  ]);
  const second = httpOnce(
    sim,
    sim.connLan(d, p, RENDERER_PORT),
    sim.rng.range(20, 300) * MS,
    httpRequest(
      'POST',
      '/upnp/control/RenderingControl1',
      [
        ['Host', host],
        ['Content-Type', 'text/xml; charset="utf-8"'],
        ['SOAPACTION', `"${RENDERING_SERVICE}#GetVolume"`],
        ['User-Agent', d.vendor.userAgent],
      ],
      body,
    ),
    httpResponse(200, 'OK', headers, answer.length, answer),
    null,
  );
  first.onEnd = (sim2) => {
    second.at += sim2.now;
    sim2.schedule(second);
  };
  return first;
}

export { IGD_ST, WANIP_SERVICE };
