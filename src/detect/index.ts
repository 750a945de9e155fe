/**
 * The detectors, one row per behaviour. A new behaviour is one new file in this folder and one
 * row here. `anomaly` comes from the model (src/model), not from a row of this table.
 * @module
 */
import { AbnormalUploadDetector } from './abnormal-upload.js';
import { BeaconingDetector } from './beaconing.js';
import { BruteForceDetector } from './brute-force.js';
import { CryptoMiningDetector } from './crypto-mining.js';
import { DnsAnomalyDetector } from './dns-anomaly.js';
import { InboundExposureDetector } from './inbound-exposure.js';
import { LateralMovementDetector } from './lateral-movement.js';
import { MalwareDownloadDetector } from './malware-download.js';
import { NewDeviceDetector } from './new-device.js';
import { ScanDetector } from './scan.js';
import type { Detector } from './types.js';
import { UpnpExposureDetector } from './upnp-exposure.js';

/** Fresh detectors (they keep per-device memory, so each runtime makes its own). */
export function createDetectors(): Detector[] {
  return [
    new NewDeviceDetector(),
    new ScanDetector(),
    new BruteForceDetector(),
    new UpnpExposureDetector(),
    new InboundExposureDetector(),
    new MalwareDownloadDetector(),
    new CryptoMiningDetector(),
    new DnsAnomalyDetector(),
    new LateralMovementDetector(),
    new BeaconingDetector(),
    new AbnormalUploadDetector(),
  ];
}
