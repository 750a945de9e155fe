/**
 * What a new flow tells about its devices' endpoints, noted once per flow as it starts
 * (windows.ts): a remote endpoint the device contacts (counted when no DNS answer named it, and
 * when it is new to the device's history), and an inbound connection from the internet, kept as
 * window evidence and on the flow, where its acceptance is recorded later.
 * @module
 */
import type { Device } from '../devices/device.js';
import type { Flow } from '../flows/flow.js';
import type { DeviceActivity } from './accumulator.js';
import { MARK_ENDPOINT } from './connection-shape.js';
import { FlowNotes } from './flow-notes.js';
import { initText, respKey, respText } from './flow-keys.js';

/** Device `d` (activity `a`) started flow `f` to a remote endpoint: counted once per flow. */
export function noteRemote(d: Device, a: DeviceActivity, f: Flow): void {
  if (f.marks & MARK_ENDPOINT) return;
  f.marks |= MARK_ENDPOINT;
  const key = respKey(f);
  if (!a.dnsAnswers.has(key)) a.counters.noDnsEndpoints.add(key);
  if (d.history.endpoints.addIsNew(respText(f), f.firstTs)) a.counters.newEndpoints++;
}

/** Flow `f` from the internet reached a device (activity `a`) at `now`: noted, not yet accepted. */
export function noteInbound(a: DeviceActivity, f: Flow, now: number): void {
  const inbound = { ts: now, ip: initText(f), port: f.respPort, proto: f.proto, accepted: false };
  if (a.notes.inboundConnection(inbound)) (f.notes ??= new FlowNotes()).inbound = inbound;
}
