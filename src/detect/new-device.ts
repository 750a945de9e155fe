/**
 * `new_device`: a MAC never seen before starts talking. Devices present when the agent started
 * are the home as it is (the first `--learn` seconds of packet time are the home's own learning
 * phase; `--learn 0` announces every device); with `--state`, a device of an earlier run is
 * known. Cold start; fires on the device's first window.
 * @module
 */
import { clock } from '../alerts/words.js';
import type { DetectContext, Detector, EpisodeView, Finding } from './types.js';

export interface NewDeviceFacts {
  mac: string;
  vendor: string;
  name: string;
  ips: string[];
  firstSeen: number;
}

export class NewDeviceDetector implements Detector<NewDeviceFacts> {
  readonly behaviour = 'new_device' as const;
  readonly needsBaseline = false;
  readonly advice =
    'A device joined your network: if you do not recognise it, find it (the vendor and name help), and if it is not yours, change the Wi-Fi password.';

  detect(ctx: DetectContext): Finding<NewDeviceFacts>[] {
    const { w, baseline, home } = ctx;
    const d = w.device;
    if (baseline.windowsSeen > 0) return [];
    if (home.learnS > 0 && d.firstSeen < home.firstTs + home.learnS) return [];
    return [
      {
        behaviour: 'new_device',
        key: '',
        ts: d.firstSeen,
        score: 1,
        severity: 'low',
        facts: {
          mac: d.macStr,
          vendor: d.vendor,
          name: d.name,
          ips: d.ipList(),
          firstSeen: d.firstSeen,
        },
      },
    ];
  }

  sentence(ep: EpisodeView<NewDeviceFacts>): string {
    return `A new device joined the network at ${clock(ep.facts.firstSeen)}: ${ep.who}, MAC ${ep.facts.mac}.`;
  }
}
