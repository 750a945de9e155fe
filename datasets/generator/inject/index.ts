/**
 * Every injector, one row a behaviour (DESIGN.md's vocabulary less the model's `anomaly`).
 * A new injected behaviour is one new file here and one row below.
 * @module
 */
import type { Behaviour } from '../labels.js';
import { abnormalUpload } from './abnormal-upload.js';
import { beaconing } from './beaconing.js';
import { bruteForce } from './brute-force.js';
import { cryptoMining } from './crypto-mining.js';
import { dnsAnomaly } from './dns-anomaly.js';
import { inboundExposure } from './inbound-exposure.js';
import { lateralMovement } from './lateral-movement.js';
import { malwareDownload } from './malware-download.js';
import { newDevice } from './new-device.js';
import { scan } from './scan.js';
import type { Injector } from './types.js';
import { upnpExposure } from './upnp-exposure.js';

export const INJECTORS: Readonly<Record<Behaviour, Injector>> = {
  new_device: newDevice,
  beaconing,
  abnormal_upload: abnormalUpload,
  scan,
  lateral_movement: lateralMovement,
  brute_force: bruteForce,
  upnp_exposure: upnpExposure,
  inbound_exposure: inboundExposure,
  malware_download: malwareDownload,
  dns_anomaly: dnsAnomaly,
  crypto_mining: cryptoMining,
};

/** Pairs injected on one device one after the other when both are asked for. */
export const FOLLOWS: Readonly<Partial<Record<Behaviour, Behaviour>>> = {
  inbound_exposure: 'upnp_exposure',
  lateral_movement: 'brute_force',
};
