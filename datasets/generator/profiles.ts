/**
 * Device types and vendors: who the synthetic devices are (OUI, DHCP host name and vendor
 * class, cloud endpoints, mDNS/SSDP identity) and which activities each type runs.
 * OUIs are real IEEE assignments of the named vendors (checked against oui-data).
 * The kinds only scenario homes have (toy, lock, printer, thermostat) are in
 * profiles-extra.ts.
 * @module
 */
import { LOCK, PRINTER, THERMOSTAT, TOY } from './profiles-extra.js';
import { COMMON, UDHCP, a, v, type DeviceKind, type Profile } from './vendor.js';

export type { ActivitySpec, DeviceKind, Profile, Vendor } from './vendor.js';

export const PROFILES: Record<DeviceKind, Profile> = {
  camera: {
    kind: 'camera',
    vendors: [
      v('Wyze', [0x2caa8e, 0xd03f27], 'WYZE_CAKP2JFUS#', UDHCP, [
        'api.wyzecam.com',
        'wyze-mars-asrv.wyzecam.com',
      ]),
      v('Amcrest', [0x9c8ecd], 'IPC-#', UDHCP, ['p2p.amcrestcloud.com', 'api.amcrestcloud.com']),
      v('Ring', [0x187f88, 0x00b463], 'RingStickUpCam-#', 'udhcp 1.31.1', [
        'es.ring.com',
        'fw.ring.com',
      ]),
      v('Arlo', [0xa41162, 0x486264], 'VMC4040P-#', UDHCP, [
        'arlo.netgear.com',
        'vzwow72-z2-prod.vz.netgear.com',
      ]),
    ],
    ipv6Share: 0,
    activities: [
      ...COMMON,
      a('ntp', [2, 6], [1000, 1100]),
      a('cameraStream', [1, 4], [900, 1800]),
      a('heartbeat', [2, 8], [600, 1200]),
    ],
  },
  plug: {
    kind: 'plug',
    vendors: [
      v('TP-Link', [0x50c7bf, 0x1c3bf3, 0x98dac4, 0xc0c9e3], 'HS110-#', UDHCP, [
        'n-devs.tplinkcloud.com',
        'n-deventry.tplinkcloud.com',
      ]),
      v('Belkin', [0x94103e], 'wemo-#', 'udhcp 1.19.4', ['api.xbcs.net', 'nat.wemo2.com']),
      v(
        'Espressif',
        [0x240ac4, 0xa4cf12, 0xcc50e3, 0xc82e18],
        'ESP_#',
        null,
        ['a1.tuyaeu.com', 'm1.tuyaeu.com'],
        { cloudPort: 8883 },
      ),
      v('Tuya', [0x7cf666], 'wlan0', null, ['a2.tuyaus.com', 'm2.tuyaus.com'], { cloudPort: 8883 }),
      v('Shelly', [0x8400ec], 'shellyplug-s-#', null, ['shelly-13-eu.shelly.cloud']),
    ],
    ipv6Share: 0,
    activities: [...COMMON, a('ntp', [2, 6], [3500, 3700]), a('heartbeat', [1, 5], [1700, 2000])],
  },
  speaker: {
    kind: 'speaker',
    vendors: [
      v(
        'Amazon',
        [0x44650d, 0xf0272d, 0x747548, 0xfca667],
        'amazon-#',
        'udhcp 1.29.3',
        ['avs-alexa-4-na.amazon.com', 'device-metrics-us.amazon.com', 'dcape-na.amazon.com'],
        { mdnsService: '_amzn-wplay._tcp' },
      ),
      v(
        'Google',
        [0xf4f5d8, 0x20dfb9, 0xd4f547],
        'Google-Home-Mini',
        'dhcpcd-6.8.2:Linux-4.9.0:armv7l',
        ['clients3.google.com', 'www.googleapis.com', 'rr3---sn-4g5e6nzs.googlevideo.com'],
        { mdnsService: '_googlecast._tcp' },
      ),
      v(
        'Sonos',
        [0x5caafd, 0xb8e937, 0x000e58],
        'SonosZP',
        'udhcp 1.22.1',
        ['ws.sonos.com', 'msmetrics.ws.sonos.com', 'audio-ak-spotify-com.akamaized.net'],
        { mdnsService: '_sonos._tcp', ssdpServer: 'Linux UPnP/1.0 Sonos/70.3-35220 (ZPS27)' },
      ),
    ],
    ipv6Share: 0.2,
    activities: [
      ...COMMON,
      a('ntp', [2, 6], [1000, 1100]),
      a('mdnsAnnounce', [0.5, 2], [120, 300]),
      a('ssdpNotify', [1, 3], [300, 600]),
      a('heartbeat', [2, 8], [1200, 1800]),
      a('audioStream', [10, 60], [300, 1200]),
    ],
  },
  phone: {
    kind: 'phone',
    vendors: [
      v(
        'Apple',
        [0xa483e7, 0xf0d1a9, 0x3c22fb, 0xacbc32],
        'Annas-iPhone',
        null,
        ['courier.push.apple.com', 'gateway.icloud.com'],
        { cloudPort: 5223, userAgent: 'iPhone/17.5 CFNetwork/1496.0.7 Darwin/23.5.0' },
      ),
      v(
        'Samsung',
        [0x103047, 0x103917, 0x109266],
        'Galaxy-S21',
        'android-dhcp-13',
        ['mtalk.google.com', 'android.clients.google.com'],
        { cloudPort: 5228, userAgent: 'Dalvik/2.1.0 (Linux; U; Android 13; SM-G991B)' },
      ),
      v(
        'Google',
        [0x3c5ab4, 0xe4f042],
        'Pixel-7',
        'android-dhcp-14',
        ['mtalk.google.com', 'android.clients.google.com'],
        { cloudPort: 5228, userAgent: 'Dalvik/2.1.0 (Linux; U; Android 14; Pixel 7)' },
      ),
      v(
        'OnePlus',
        [0x487412, 0x2ca7ef],
        'OnePlus-9',
        'android-dhcp-12',
        ['mtalk.google.com', 'android.clients.google.com'],
        { cloudPort: 5228, userAgent: 'Dalvik/2.1.0 (Linux; U; Android 12; LE2113)' },
      ),
    ],
    ipv6Share: 0.35,
    activities: [
      ...COMMON,
      a('httpCheck', [1, 3], [900, 1500]),
      a('ssdpSearch', [2, 5], [300, 900]),
      a('mdnsQuery', [1, 4], [120, 400]),
      a('heartbeat', [3, 8], [900, 1700]),
      a('browse', [3, 12], [20, 240]),
      a('call', [300, 1200], [1800, 3600]),
      a('lanControl', [4, 15], [60, 400]),
    ],
  },
  laptop: {
    kind: 'laptop',
    vendors: [
      v(
        'Intel',
        [0x0c8bfd],
        'DESKTOP-4F1K2QL',
        'MSFT 5.0',
        ['settings-win.data.microsoft.com', 'v10.events.data.microsoft.com'],
        { userAgent: 'Microsoft-CryptoAPI/10.0' },
      ),
      v(
        'Apple',
        [0xf8ffc2, 0x0017f2],
        'Toms-MacBook-Pro',
        null,
        ['gateway.icloud.com', 'configuration.ls.apple.com'],
        { userAgent: 'CaptiveNetworkSupport-481.100.2 wispr' },
      ),
      v(
        'GIGA-BYTE',
        [0xe0d55e],
        'workstation',
        null,
        ['connectivity-check.ubuntu.com', 'archive.ubuntu.com'],
        { userAgent: 'Debian APT-HTTP/1.3 (2.6.1)' },
      ),
    ],
    ipv6Share: 0.3,
    activities: [
      ...COMMON,
      a('httpCheck', [1, 3], [600, 1200]),
      a('ssdpSearch', [3, 8], [600, 1200]),
      a('mdnsQuery', [2, 6], [300, 600]),
      a('heartbeat', [3, 8], [900, 1700]),
      a('browse', [4, 15], [15, 180]),
      a('call', [300, 1200], [1800, 3600]),
      a('download', [60, 400], [900, 2400]),
    ],
  },
  vacuum: {
    kind: 'vacuum',
    vendors: [
      v(
        'Roborock',
        [0xb04a39],
        'roborock-vacuum-s5',
        UDHCP,
        ['mqtt-eu-3.roborock.com', 'api-eu.roborock.com'],
        { cloudPort: 8883 },
      ),
      v(
        'iRobot',
        [0x501479, 0x4cb9ea],
        'iRobot-#',
        'udhcp 1.28.4',
        ['a2uowfjvhio0fa-ats.iot.us-east-1.amazonaws.com', 'disc-prod.iot.irobotapi.com'],
        { cloudPort: 8883 },
      ),
      v('Xiaomi', [0x286c07, 0x7811dc], 'rockrobo', UDHCP, ['de.ot.io.mi.com', 'de.api.io.mi.com']),
    ],
    ipv6Share: 0,
    activities: [
      ...COMMON,
      a('ntp', [2, 6], [1000, 1100]),
      a('heartbeat', [1, 5], [1500, 2000]),
      a('mapUpload', [120, 900], [1800, 3600]),
    ],
  },
  hub: {
    kind: 'hub',
    vendors: [
      v(
        'Philips Hue',
        [0x001788, 0xecb5fa],
        'Philips-hue',
        'udhcp 1.26.2',
        ['ws.meethue.com', 'diag.meethue.com'],
        { mdnsService: '_hue._tcp', ssdpServer: 'Linux/3.14.0 UPnP/1.0 IpBridge/1.60.0' },
      ),
      v(
        'Xiaomi',
        [0x50ec50],
        'lumi-gateway-v3_miio#',
        UDHCP,
        ['de.ot.io.mi.com', 'de.api.io.mi.com'],
        { mdnsService: '_miio._udp' },
      ),
      v(
        'TP-Link',
        [0x5c628b, 0x60a4b7],
        'Tapo_Hub',
        UDHCP,
        ['euw1-app-server.iot.i.tplinknbu.com'],
        { ssdpServer: 'Linux/4.9 UPnP/1.0 Tapo/1.0' },
      ),
    ],
    ipv6Share: 0,
    activities: [
      ...COMMON,
      a('ntp', [2, 6], [1000, 1100]),
      a('mdnsAnnounce', [0.5, 2], [120, 300]),
      a('ssdpNotify', [0.5, 3], [60, 180]),
      a('heartbeat', [1, 5], [1200, 1800]),
    ],
  },
  tv: {
    kind: 'tv',
    vendors: [
      v(
        'Samsung',
        [0x8c79f5],
        'Samsung-TV',
        'udhcp 1.30.1',
        ['api.samsungcloud.tv', 'ipv4-c001-ams001-ix.1.oca.nflxvideo.net'],
        { ssdpServer: 'SHP, UPnP/1.0, Samsung UPnP SDK/1.0', mdnsService: '_airplay._tcp' },
      ),
      v(
        'LG',
        [0x201742],
        'LGwebOSTV',
        'udhcp 1.29.2',
        ['lgtvsdp.com', 'us.lgtvsdp.com', 'ipv4-c002-fra002-ix.1.oca.nflxvideo.net'],
        { ssdpServer: 'Linux/4.4.84 UPnP/1.0 LGE WebOS TV LGE_DLNA_SDK/1.6.0/04.30.13' },
      ),
      v(
        'Roku',
        [0x105932, 0x20efbd],
        'Roku-Ultra',
        'udhcp 1.30.1',
        ['api.roku.com', 'scribe.logs.roku.com', 'vod-ak-aoc.tv.roku.com'],
        { ssdpServer: 'Roku/12.5.0 UPnP/1.0 Roku/12.5.0' },
      ),
    ],
    ipv6Share: 0.25,
    activities: [
      ...COMMON,
      a('ntp', [2, 6], [1000, 1100]),
      a('ssdpNotify', [1, 4], [300, 900]),
      a('heartbeat', [2, 8], [1200, 1800]),
      a('videoStream', [20, 300], [1200, 2400]),
    ],
  },
  toy: TOY,
  lock: LOCK,
  printer: PRINTER,
  thermostat: THERMOSTAT,
};

/** The default 20-device home, in order; larger homes repeat it. */
export const HOME_MIX: readonly DeviceKind[] = [
  'phone',
  'laptop',
  'camera',
  'plug',
  'speaker',
  'hub',
  'tv',
  'plug',
  'vacuum',
  'phone',
  'camera',
  'plug',
  'speaker',
  'laptop',
  'plug',
  'tv',
  'hub',
  'plug',
  'speaker',
  'phone',
];
