/**
 * What another host sends a device in a flow's first bytes (features/windows.ts hands over each
 * payload packet to a device until COMMAND_BYTES, and the first payload the other way): a program
 * fetched outside HTTP when the first payload is one (raw-program.ts), and, on a session to the
 * device's own service, the dropper commands commands.ts reads in it, kept as the device's
 * evidence (derived fields only: tool, URL, host, service, sender). Nothing here runs once a
 * flow's first COMMAND_BYTES are past.
 * @module
 */
import { parseIpv4 } from '../decode/addr.js';
import { type DecodedPacket, TcpFlag } from '../decode/packet.js';
import type { Device } from '../devices/device.js';
import type { Flow } from '../flows/flow.js';
import type { DeviceActivity } from './accumulator.js';
import type { AppRecords } from './app-records.js';
import { COMMAND_BYTES, CommandScanner, sessionService } from './commands.js';
import type { CommandEvidence } from './evidence.js';
import { initText } from './flow-keys.js';
import { FlowNotes } from './flow-notes.js';
import { rawProgram } from './raw-program.js';

export class ServicePayload {
  readonly #apps: AppRecords;
  readonly #touch: (d: Device) => DeviceActivity;

  constructor(apps: AppRecords, touch: (d: Device) => DeviceActivity) {
    this.#apps = apps;
    this.#touch = touch;
  }

  /** The first payload a flow brings device `to`: a download when it is a program (raw-program.ts). */
  first(buf: Buffer, p: DecodedPacket, to: Device, now: number): void {
    const raw = rawProgram(buf, p);
    if (raw !== null) this.#apps.program(p, to, raw, now);
  }

  /**
   * Payload another host sends to a device's own TCP service, in the flow's first COMMAND_BYTES:
   * its first bytes decide whether the session is read for dropper commands (commands.ts).
   */
  toService(buf: Buffer, p: DecodedPacket, f: Flow, to: Device, now: number): void {
    let scanner = f.notes?.commands ?? null;
    if (f.payloadUp === 0) {
      this.first(buf, p, to, now);
      if (f.proto !== 6) return;
      const service = sessionService(buf, p.payloadOffset, p.payloadCapLen, f.respPort);
      if (service === null) return;
      scanner = new CommandScanner(service);
      (f.notes ??= new FlowNotes()).commands = scanner;
    }
    if (scanner === null) return;
    const len = Math.min(p.payloadCapLen, COMMAND_BYTES - f.payloadUp);
    const push = (p.tcpFlags & TcpFlag.PSH) !== 0;
    if (scanner.feed(buf, p.payloadOffset, len, push)) this.#commands(f, scanner, to, now);
    // Read in full (or nothing more to report): the flow is no longer read, nor flushed.
    if (scanner.done || f.payloadUp + p.payloadLen >= COMMAND_BYTES) {
      (f.notes as FlowNotes).commands = null;
    }
  }

  /** The device answered a session read for commands (an HTTP request is complete). */
  answered(f: Flow, scanner: CommandScanner, to: Device, now: number): void {
    if (scanner.answered()) this.#commands(f, scanner, to, now);
  }

  /** Keeps the commands `scanner` found as evidence of device `to`. */
  #commands(f: Flow, scanner: CommandScanner, to: Device, now: number): void {
    const a = this.#touch(to);
    const from = initText(f);
    for (const m of scanner.take()) {
      const e: CommandEvidence = {
        ts: now,
        from,
        fromLan: f.initLocal,
        port: f.respPort,
        service: scanner.service,
        tool: m.tool,
        url: m.url,
        host: m.host,
        bareIp: m.host.startsWith('[') || !Number.isNaN(parseIpv4(m.host)),
        runs: m.runs,
      };
      if (a.notes.command(e)) scanner.last = e;
    }
  }
}
