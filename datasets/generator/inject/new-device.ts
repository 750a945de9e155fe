/**
 * `new_device`: a MAC never seen before joins the network after ~2 h (a guest's phone, a
 * plug just unboxed): DHCP DISCOVER/OFFER/REQUEST/ACK with its host name and vendor class,
 * ARP probe and announcement, then it lives like any device of its kind. The event spans
 * its boot exchange; the planner adds the device to the home (Sim.addDevice) beforehand.
 * @module
 */
import { bootDevice } from '../home.js';
import { LabelEvent } from '../labels.js';
import type { Injector } from './types.js';

export const newDevice: Injector = {
  behaviour: 'new_device',
  kinds: ['phone', 'plug', 'camera', 'toy', 'speaker', 'tv', 'laptop', 'thermostat'],
  variants: [['join', 1]],
  durationS: () => [5, 10],
  inject(sim, p) {
    const label = new LabelEvent(p.dev.mac, ['new_device'], ['anomaly'], p.variant, {
      kind: p.dev.kind,
      hostname: p.dev.hostname,
    });
    bootDevice(sim, p.dev, p.startUs, label);
    return label;
  },
};
