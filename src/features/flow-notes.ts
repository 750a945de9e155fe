/**
 * What the feature stage keeps per flow about its app exchanges (Flow.notes): allocated on the
 * first HTTP message, AddPortMapping, inbound connection or session read for commands of a
 * flow, never per packet. The
 * per-packet state (peer tally, payload, beacon slot) is on the Flow itself.
 * @module
 */
import type { UpnpPortMappingArgs } from '../decode/app/types.js';
import type { CommandScanner } from './commands.js';
import type { InboundEvidence, PortMappingEvidence } from './evidence.js';

/** An HTTP request waiting for its response (pipelined requests queue up). */
export interface HttpRequestNote {
  method: string;
  host: string;
  uri: string;
}

/** A response whose header ended its segment: the body's first bytes come in the next one. */
export interface PendingBody {
  status: number;
  contentType: string;
  request: HttpRequestNote | null;
}

/** HTTP requests remembered per flow before the oldest is dropped. */
export const MAX_PENDING_REQUESTS = 8;
/** Segments after an AddPortMapping header read for the rest of its SOAP body. */
export const MAX_SOAP_SEGMENTS = 4;

export class FlowNotes {
  /** HTTP requests sent on the flow and not answered yet, oldest first. */
  requests: HttpRequestNote[] | null = null;
  /** A response whose body is sniffed in the next segment from the responder. */
  pendingBody: PendingBody | null = null;
  /** An AddPortMapping whose SOAP body is still being read, its evidence and window. */
  soap: UpnpPortMappingArgs | null = null;
  soapEvidence: PortMappingEvidence | null = null;
  soapWindow = -1;
  soapSegments = 0;
  /** The inbound-connection evidence of this flow (its `accepted` is set when answered). */
  inbound: InboundEvidence | null = null;
  /** Reads what another host sends to the device's service for dropper commands (commands.ts). */
  commands: CommandScanner | null = null;
}
