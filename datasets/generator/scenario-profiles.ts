/**
 * What each kind does in a scenario home (first delay and period ranges in seconds):
 * the bench home's activities with the heavy streams scaled down, and the traps. The
 * kinds only scenarios have keep their profile's list (profiles-extra.ts).
 * @module
 */
import { PROFILES, type ActivitySpec, type DeviceKind } from './profiles.js';
import { COMMON, a } from './vendor.js';

const NTP = a('ntpPool', [2, 6], [1000, 2000]);

export const SCENARIO_ACTIVITIES_BY_KIND: Readonly<Record<DeviceKind, readonly ActivitySpec[]>> = {
  camera: [
    ...COMMON,
    NTP,
    a('cameraVideo', [1, 4], [900, 1800]),
    a('heartbeat', [2, 8], [600, 1200]),
    a('igdProbe', [60, 1800], [1800, 3600]),
    a('p2pHello', [1, 10], [40, 80]),
  ],
  plug: [...COMMON, a('ntpPool', [2, 6], [3500, 3700]), a('heartbeat', [1, 5], [1700, 2000])],
  speaker: [
    ...COMMON,
    NTP,
    a('mdnsAnnounce', [0.5, 2], [120, 300]),
    a('ssdpNotify', [1, 3], [300, 600]),
    a('steadyHeartbeat', [2, 8], [1200, 2400]),
    a('speakerAudio', [10, 60], [300, 1200]),
  ],
  phone: [
    ...COMMON,
    NTP,
    a('httpCheck', [1, 3], [900, 1500]),
    a('ssdpSearch', [2, 5], [300, 900]),
    a('mdnsQuery', [1, 4], [120, 400]),
    a('heartbeat', [3, 8], [900, 1700]),
    a('browseLite', [3, 12], [120, 900]),
    a('callLite', [300, 1200], [1800, 3600]),
    a('lanPeek', [4, 15], [900, 2400]),
    a('cloudSync', [30, 300], [900, 2400]),
    a('photoBackup', [2400, 9000], [14_400, 28_800]),
    a('rendererSoap', [60, 900], [900, 2400]),
    a('ippQuery', [120, 1200], [1800, 3600]),
  ],
  laptop: [
    ...COMMON,
    NTP,
    a('httpCheck', [1, 3], [600, 1200]),
    a('ssdpSearch', [3, 8], [600, 1200]),
    a('mdnsQuery', [2, 6], [300, 600]),
    a('heartbeat', [3, 8], [900, 1700]),
    a('browseLite', [4, 15], [60, 600]),
    a('browseNew', [30, 600], [300, 1500]),
    a('callLite', [300, 1200], [1800, 3600]),
    a('downloadLite', [60, 400], [900, 2400]),
    a('printerPoll', [5, 60], [60, 300]),
    a('ippQuery', [60, 600], [900, 2700]),
    a('printJob', [600, 3600], [2400, 5400]),
  ],
  vacuum: [
    ...COMMON,
    NTP,
    a('mqttKeepalive', [1, 4], [86_400, 86_400]),
    a('heartbeat', [1, 5], [1500, 2000]),
    a('mapUpload', [120, 900], [1800, 3600]),
  ],
  hub: [
    ...COMMON,
    NTP,
    a('mdnsAnnounce', [0.5, 2], [120, 300]),
    a('ssdpNotify', [0.5, 3], [60, 180]),
    a('heartbeat', [1, 5], [1200, 1800]),
    a('igdStatus', [60, 1800], [1800, 3600]),
  ],
  tv: [
    ...COMMON,
    NTP,
    a('ssdpNotify', [1, 4], [300, 900]),
    a('heartbeat', [2, 8], [1200, 1800]),
    a('tvVideo', [20, 300], [1200, 2400]),
    a('igdStatus', [60, 1800], [1800, 3600]),
  ],
  toy: PROFILES.toy.activities,
  lock: PROFILES.lock.activities,
  printer: PROFILES.printer.activities,
  thermostat: PROFILES.thermostat.activities,
};

/**
 * `--daily`: the same home with a day's rhythm (hours UTC of packet time): cameras see motion
 * and upload video by day, the vacuum cleans and uploads its maps by day, children talk to
 * their toys by day, the TV streams in the evening, speakers play from morning to late
 * evening. Everything else (heartbeats, NTP, the traps) runs at every hour.
 */
export const DAILY_HOURS: Readonly<Partial<Record<DeviceKind, Record<string, [number, number]>>>> =
  {
    camera: { cameraVideo: [7, 22] },
    vacuum: { mapUpload: [9, 17] },
    toy: { voiceExchange: [7, 20] },
    tv: { tvVideo: [17, 24] },
    speaker: { speakerAudio: [7, 23] },
  };

export const DAILY_ACTIVITIES_BY_KIND = Object.fromEntries(
  Object.entries(SCENARIO_ACTIVITIES_BY_KIND).map(([kind, specs]) => [
    kind,
    specs.map((spec) => {
      const hours = DAILY_HOURS[kind as DeviceKind]?.[spec.activity];
      return hours === undefined ? spec : { ...spec, hoursUtc: hours };
    }),
  ]),
) as unknown as Readonly<Record<DeviceKind, readonly ActivitySpec[]>>;
