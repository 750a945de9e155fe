/**
 * The arguments of a UPnP IGD port-mapping action (UPnP WANIPConnection:2 §2.5.16 AddPortMapping,
 * §2.5.18 AddAnyPortMapping; WANIPConnection:1 and WANPPPConnection:1 alike), read from the SOAP
 * 1.1 body of the HTTP POST that carries it:
 *
 * ```
 * <s:Envelope …><s:Body><u:AddPortMapping xmlns:u="urn:schemas-upnp-org:service:WANIPConnection:1">
 *   <NewRemoteHost></NewRemoteHost><NewExternalPort>8080</NewExternalPort>
 *   <NewProtocol>TCP</NewProtocol><NewInternalPort>80</NewInternalPort>
 *   <NewInternalClient>192.168.1.23</NewInternalClient><NewEnabled>1</NewEnabled>
 *   <NewPortMappingDescription>cam</NewPortMappingDescription><NewLeaseDuration>0</NewLeaseDuration>
 * </u:AddPortMapping></s:Body></s:Envelope>
 * ```
 * The body may start in the header's segment or in the next ones: `readPortMappingArgs` reads one
 * segment at a time and fills what it finds (an argument split across two segments is missed).
 * Only the six values below are kept, bounded; nothing else of the body.
 * @module
 */
import { ascii, decimal, printable } from './text.js';
import type { UpnpPortMappingArgs } from './types.js';

/** SOAPAction of a port-mapping request (v1 counted `AddPortMapping`; IGD2 adds `AddAnyPortMapping`). */
const ADD_PORT_MAPPING = /Add(?:Any)?PortMapping/i;

export function isAddPortMapping(soapAction: string): boolean {
  return ADD_PORT_MAPPING.test(soapAction);
}

const ARG_EXTERNAL_PORT = 0;
const ARG_PROTOCOL = 1;
const ARG_INTERNAL_PORT = 2;
const ARG_INTERNAL_CLIENT = 3;
const ARG_LEASE = 4;
// 5: NewPortMappingDescription, the remaining case in store().
const NAMES = [
  'NewExternalPort',
  'NewProtocol',
  'NewInternalPort',
  'NewInternalClient',
  'NewLeaseDuration',
  'NewPortMappingDescription',
].map(ascii);
/** `found` when every argument has been read. */
export const ALL_ARGS = (1 << NAMES.length) - 1;

const MAX_DESCRIPTION = 64;
const MAX_CLIENT = 64;
const LT = 0x3c;
const GT = 0x3e;
const COLON = 0x3a;

export function newPortMappingArgs(): UpnpPortMappingArgs {
  return {
    externalPort: 0,
    protocol: '',
    internalPort: 0,
    internalClient: '',
    leaseS: 0,
    description: '',
    found: 0,
  };
}

/** Index of the argument whose element name starts at `pos` (after `<` and any prefix), or -1. */
function argAt(buf: Uint8Array, pos: number, end: number): number {
  outer: for (let a = 0; a < NAMES.length; a++) {
    const name = NAMES[a];
    if (pos + name.length >= end) continue;
    for (let i = 0; i < name.length; i++) if (buf[pos + i] !== name[i]) continue outer;
    const after = buf[pos + name.length];
    if (after === GT || after === 0x20 || after === 0x2f) return a;
  }
  return -1;
}

function store(args: UpnpPortMappingArgs, a: number, buf: Uint8Array, s: number, e: number): void {
  if (a === ARG_EXTERNAL_PORT || a === ARG_INTERNAL_PORT || a === ARG_LEASE) {
    const v = decimal(buf, s, e);
    if (v === undefined) return;
    if (a === ARG_LEASE) args.leaseS = v;
    else if (v <= 65535) {
      if (a === ARG_EXTERNAL_PORT) args.externalPort = v;
      else args.internalPort = v;
    } else return;
  } else if (a === ARG_PROTOCOL) {
    args.protocol = printable(buf, s, e, 8).toUpperCase();
  } else if (a === ARG_INTERNAL_CLIENT) {
    args.internalClient = printable(buf, s, e, MAX_CLIENT);
  } else {
    args.description = printable(buf, s, e, MAX_DESCRIPTION);
  }
  args.found |= 1 << a;
}

/** Reads the arguments found in `buf[off, off+len)` into `args`. Never throws. */
export function readPortMappingArgs(
  buf: Uint8Array,
  off: number,
  len: number,
  args: UpnpPortMappingArgs,
): void {
  const end = off + len;
  for (let i = off; i < end && args.found !== ALL_ARGS; i++) {
    if (buf[i] !== LT) continue;
    // An optional namespace prefix (`<m:NewExternalPort>`): skip to the colon within 16 bytes.
    let name = i + 1;
    for (let j = name; j < end && j < i + 17; j++) {
      const c = buf[j];
      if (c === COLON) {
        name = j + 1;
        break;
      }
      if (c === GT || c === LT || c === 0x20 || c === 0x2f) break;
    }
    const a = argAt(buf, name, end);
    if (a < 0) continue;
    let v = name + NAMES[a].length;
    while (v < end && buf[v] !== GT) v++;
    if (v >= end || buf[v - 1] === 0x2f) continue; // cut, or an empty element `<NewX/>`
    v++;
    let stop = v;
    while (stop < end && buf[stop] !== LT) stop++;
    if (stop >= end) return; // the value runs into the next segment
    store(args, a, buf, v, stop);
    i = stop - 1;
  }
}
