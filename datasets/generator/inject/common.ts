/**
 * Helpers the injectors share to start labelled traffic at a given packet time.
 * @module
 */
import { dnsThen } from '../exchanges.js';
import { BROADCAST_MAC } from '../frames.js';
import { Steps } from '../script.js';
import type { LabelEvent } from '../labels.js';
import type { Device, Host, Sim, Task } from '../sim.js';

/**
 * At `atUs`, look `h` up (A, and AAAA as well when `v6`), then start `then` (its `at` is a
 * delay after the answer).
 */
export function lookupThen(
  sim: Sim,
  d: Device,
  h: Host,
  atUs: number,
  then: Task,
  label: LabelEvent,
  v6 = false,
): void {
  dnsThen(sim, d, h, atUs, v6, then).label = label;
}

const ARP_REQUEST = 1;
const ARP_REPLY = 2;

/** At `atUs`, `d` asks who has `ip` and the owner (`mac`) answers: both frames labelled. */
export function arpResolve(
  sim: Sim,
  d: Device,
  ip: number,
  mac: number,
  atUs: number,
  label: LabelEvent,
): void {
  const s = new Steps(atUs, (sim2, i) => {
    const e = sim2.epochUs(sim2.now);
    if (i === 0) {
      sim2.f.arp(e, BROADCAST_MAC, ARP_REQUEST, d.mac, d.ip4, 0, ip);
      return sim2.rng.range(0.3, 3) * 1e3;
    }
    sim2.f.arp(e, d.mac, ARP_REPLY, mac, ip, d.mac, d.ip4);
    return -1;
  });
  s.label = label;
  sim.schedule(s);
}

/** Ready LAN devices other than `d`, in a drawn order. */
export function otherDevices(sim: Sim, d: Device): Device[] {
  const out = sim.devices.filter((x) => x !== d && x.ready);
  for (let i = out.length - 1; i > 0; i--) {
    const j = sim.rng.int(0, i);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
