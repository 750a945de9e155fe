/**
 * Ground truth for device kinds on real captures nobody on the team made (../shared/datasets,
 * INDEX.md), mapped by hand from what the data sets say each device is, and the runner that
 * replays them. Used by tests/golden/kinds.test.ts and bench/kinds.ts (the README figure).
 *
 * Devices the data sets do not identify (the Tuya and Google devices of the nDPI samples, the
 * Nest device of nest_log_sink, the setup phones of IoT Sentinel) have no truth: the runner
 * reports what was said of them, which cannot be scored.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openCaptureFiles } from '../../src/capture/file/index.js';
import { DecodedPacket, decodeFrame } from '../../src/decode/index.js';
import type { DeviceKind } from '../../src/devices/kinds.js';
import { LanMatcher } from '../../src/devices/lan.js';
import { DeviceRegistry } from '../../src/devices/registry.js';

export interface KindCase {
  /** Capture set, for the per-set table. */
  set: string;
  /** What the data set calls the device. */
  device: string;
  mac: string;
  /** The kind a person who knows the product gives it. */
  truth: DeviceKind;
  /** Why, where the choice is debatable. */
  note?: string;
  /** Capture files, replayed as one timeline. */
  files: string[];
}

/** IoT Sentinel folder → kind (the folder names and the paper's device list say what they are). */
export const SENTINEL_TRUTH: Readonly<Record<string, { truth: DeviceKind; note?: string }>> = {
  Aria: {
    truth: 'sensor',
    note: 'Fitbit Aria Wi-Fi scale: a scale reports a measurement, like a sensor',
  },
  'D-LinkCam': { truth: 'camera', note: 'DCS-935L' },
  'D-LinkDayCam': { truth: 'camera', note: 'DCS-930L' },
  'D-LinkDoorSensor': {
    truth: 'hub',
    note: 'the door sensor is Z-Wave; the MAC listed (1c:5f:2b:aa:fd:4e) is the DCH-G020 hub it was set up through',
  },
  'D-LinkHomeHub': { truth: 'hub', note: 'DCH-G020 connected home hub' },
  'D-LinkSensor': { truth: 'sensor', note: 'DCH-S150 Wi-Fi motion sensor' },
  'D-LinkSiren': {
    truth: 'sensor',
    note: 'DCH-S220 Wi-Fi siren: an alarm accessory of the DCH-S sensor family; no closer kind',
  },
  'D-LinkSwitch': { truth: 'plug', note: 'DSP-W215 smart plug' },
  'D-LinkWaterSensor': { truth: 'sensor', note: 'DCH-S160 water leak sensor' },
  EdimaxCam1: { truth: 'camera' },
  EdimaxCam2: { truth: 'camera' },
  EdimaxPlug1101W: { truth: 'plug', note: 'SP-1101W' },
  EdimaxPlug2101W: { truth: 'plug', note: 'SP-2101W' },
  EdnetCam1: { truth: 'camera' },
  EdnetCam2: { truth: 'camera' },
  EdnetGateway: { truth: 'hub', note: 'ednet.living smart home gateway' },
  HomeMaticPlug: {
    truth: 'hub',
    note: 'the HmIP plug is 868 MHz radio only; the IP device (eQ-3 MAC talking to the eQ-3 cloud on 9292) is the access point it was set up through',
  },
  HueBridge: { truth: 'hub' },
  HueSwitch: {
    truth: 'hub',
    note: 'the Hue dimmer switch is Zigbee; the MAC listed is the Hue bridge (same MAC as HueBridge)',
  },
  Lightify: { truth: 'hub', note: 'Osram Lightify gateway (the bulbs are Zigbee)' },
  MAXGateway: { truth: 'hub', note: 'eQ-3 MAX! Cube, the gateway of MAX! radiator thermostats' },
  SmarterCoffee: { truth: 'appliance', note: 'Smarter coffee machine' },
  'TP-LinkPlugHS100': { truth: 'plug' },
  'TP-LinkPlugHS110': { truth: 'plug' },
  WeMoInsightSwitch: { truth: 'plug', note: 'WeMo Insight is a smart plug with metering' },
  WeMoInsightSwitch2: { truth: 'plug' },
  WeMoLink: { truth: 'hub', note: 'WeMo Link, the bridge of WeMo Zigbee bulbs' },
  WeMoSwitch: { truth: 'plug', note: 'WeMo Switch is a smart plug' },
  WeMoSwitch2: { truth: 'plug' },
  Withings: { truth: 'sensor', note: 'Withings Wi-Fi scale: see Aria' },
  iKettle2: { truth: 'appliance', note: 'Smarter iKettle 2.0' },
};

const SENTINEL_DIR = 'iot-sentinel/captures_IoT-Sentinel';

/** Every case with a truth, its files under `datasets` (../shared/datasets). */
export function kindCases(datasets: string): KindCase[] {
  const cases: KindCase[] = [];
  const root = join(datasets, SENTINEL_DIR);
  for (const dir of readdirSync(root).sort()) {
    const t = SENTINEL_TRUTH[dir];
    if (t === undefined) throw new Error(`no kind truth for IoT Sentinel folder ${dir}`);
    const mac = readFileSync(join(root, dir, '_iotdevice-mac.txt'), 'utf8')
      .trim()
      .toLowerCase();
    const files = readdirSync(join(root, dir))
      .filter((f) => f.endsWith('.pcap'))
      .sort()
      .map((f) => join(root, dir, f));
    cases.push({ set: 'iot-sentinel', device: dir, mac, files, ...t });
  }
  const nku = (f: string): string => join(datasets, 'nku-lifecycle', f);
  const camera = readdirSync(nku('xiaobai_Y2camera_lifecycle'))
    .sort()
    .map((f) => nku(`xiaobai_Y2camera_lifecycle/${f}`));
  const plug = [nku('xiaodu_plug/xiaodu_plug.pcap')];
  const sample = (f: string): string => join(datasets, 'ndpi-tests/pcap', f);
  const blink = [join(datasets, 'moniotr-blink-hub/2019-04-25_idle.pcap')];
  const yi = [join(datasets, 'neu-intl-iot/yi_camera_sample.pcap')];
  cases.push(
    {
      set: 'nku-lifecycle',
      device: 'xiaodu_plug',
      mac: 'f4:21:ae:9e:8f:cb',
      truth: 'plug',
      files: plug,
    },
    {
      set: 'nku-lifecycle',
      device: 'xiaobai_Y2camera',
      mac: '78:df:72:24:69:4d',
      truth: 'camera',
      files: camera,
    },
    {
      set: 'nku-lifecycle',
      device: 'gateway (Xiaomi router)',
      mac: 'c8:bf:4c:77:a0:3a',
      truth: 'router',
      files: [...camera, ...plug],
    },
    {
      set: 'moniotr',
      device: 'blink-security-hub',
      mac: '00:03:7f:96:d8:ec',
      truth: 'hub',
      note: 'Blink sync module: the hub of the battery cameras',
      files: blink,
    },
    {
      set: 'moniotr',
      device: 'router 192.168.20.254',
      mac: '8a:60:8a:92:83:f6',
      truth: 'router',
      files: blink,
    },
    {
      set: 'neu-intl-iot',
      device: 'yi_camera',
      mac: 'b0:d5:9d:b9:f0:b4',
      truth: 'camera',
      files: yi,
    },
    {
      set: 'neu-intl-iot',
      device: 'phone (LG)',
      mac: '64:bc:0c:6a:81:f3',
      truth: 'phone',
      files: yi,
    },
    {
      set: 'ndpi',
      device: 'alexa-app phone',
      mac: '78:f8:82:d3:fb:c2',
      truth: 'phone',
      note: 'LG Android phone running the Alexa app (its User-Agent names an LGLS751)',
      files: [sample('alexa-app.pcapng')],
    },
    {
      set: 'ndpi',
      device: 'sonos 192.168.1.70',
      mac: '34:7e:5c:ff:a2:6e',
      truth: 'speaker',
      files: [sample('sonos.pcapng')],
    },
    {
      set: 'ndpi',
      device: 'sonos 192.168.15.37',
      mac: '5c:aa:fd:02:92:1a',
      truth: 'speaker',
      files: [sample('sonos.pcapng')],
    },
  );
  return cases;
}

/** Captures whose devices the data sets do not identify: reported, never scored. */
export function unlabelledFiles(datasets: string): string[] {
  return ['tuya_lp.pcap', 'tplink_shp.pcap', 'nest_log_sink.pcap', 'xiaomi.pcap'].map((f) =>
    join(datasets, 'ndpi-tests/pcap', f),
  );
}

/** What the registry says of a device after a replay. */
export interface KindResult {
  kind: DeviceKind;
  confidence: number;
  evidence: readonly string[];
  found: boolean;
}

/** Replays `files` as one timeline through the decoder and the registry. */
export async function replayRegistry(files: string[]): Promise<DeviceRegistry> {
  const reg = new DeviceRegistry({ lan: new LanMatcher() });
  const pkt = new DecodedPacket();
  const source = await openCaptureFiles(files);
  await source.run((buf, off, capLen, wireLen, ts, linkType) => {
    decodeFrame(buf, off, capLen, wireLen, linkType, ts, pkt);
    reg.observe(pkt);
  });
  return reg;
}

export function resultOf(reg: DeviceRegistry, mac: string): KindResult {
  const dev = reg.devices().find((d) => d.macStr === mac);
  if (dev === undefined) return { kind: 'unknown', confidence: 0, evidence: [], found: false };
  return {
    kind: dev.kind,
    confidence: dev.kindConfidence,
    evidence: dev.kindEvidence,
    found: true,
  };
}

export type Verdict = 'right' | 'unknown' | 'wrong';

export function verdictOf(truth: DeviceKind, r: KindResult): Verdict {
  if (r.kind === 'unknown') return 'unknown';
  return r.kind === truth ? 'right' : 'wrong';
}

/** A kind given with at least this confidence and wrong is "confidently wrong". */
export const CONFIDENT = 0.8;
