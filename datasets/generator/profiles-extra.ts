/**
 * The device kinds that only scenario homes have: talking toys, smart-lock bridges,
 * printers and thermostats. OUIs are real IEEE assignments of the named vendors (checked
 * against oui-data); host names follow each family's style (`#`: the last six hex digits
 * of the MAC, `@`: all twelve); cloud names are those families' services. Their activities
 * are small, so the same lists serve the bench's scale and the scenarios'.
 * @module
 */
import { COMMON, UDHCP, a, v, type Profile } from './vendor.js';

/** Cloud heartbeat, short voice exchanges, now and then new content. */
export const TOY: Profile = {
  kind: 'toy',
  vendors: [
    v(
      'Amazon',
      [0x08a6bc, 0x4c1744, 0x84d6d0],
      'amazon-#',
      'udhcp 1.29.3',
      ['avs-alexa-14-na.amazon.com', 'device-metrics-us-2.amazon.com'],
      { model: 'Echo Dot Kids' },
    ),
    v(
      'Boxine',
      [0x240ac4, 0xa4cf12, 0x7c9ebd],
      'toniebox-#',
      null,
      ['prod.de.tbs.toys', 'rtnl.bxcl.de'],
      { model: 'Toniebox' },
    ),
    v('Mattel', [0x0022ae], 'MattelToy-#', UDHCP, ['api.toytalk.com', 'ws.toytalk.com'], {
      model: 'Hello Barbie',
    }),
  ],
  ipv6Share: 0,
  activities: [
    ...COMMON,
    a('ntpPool', [2, 8], [1800, 3600]),
    a('steadyHeartbeat', [1, 5], [1200, 2400]),
    a('voiceExchange', [300, 1800], [900, 3600]),
    a('contentFetch', [600, 3600], [3600, 7200]),
  ],
};

/** MQTT-TLS keep-alive every 30–60 s (beacon-like, and normal), small lock/unlock commands. */
export const LOCK: Profile = {
  kind: 'lock',
  vendors: [
    v(
      'August',
      [0x789c85],
      'August-Connect-#',
      UDHCP,
      ['a2ny8vkzclsv9u-ats.iot.us-east-1.amazonaws.com', 'api-production.august.com'],
      { cloudPort: 8883, model: 'August Connect Wi-Fi Bridge' },
    ),
    v('Nuki', [0x54d272], 'Nuki_Bridge_#', null, ['bridge.nuki.io', 'api.nuki.io'], {
      cloudPort: 8883,
      model: 'Nuki Bridge',
    }),
    v(
      'Yale',
      [0xb0449c],
      'Yale-Connect-#',
      UDHCP,
      ['a1ttwd6vvkxe4l-ats.iot.eu-west-1.amazonaws.com', 'api-production.august.com'],
      { cloudPort: 8883, model: 'Yale Connect Wi-Fi Bridge' },
    ),
  ],
  ipv6Share: 0,
  activities: [
    ...COMMON,
    a('ntpPool', [2, 8], [3000, 3600]),
    a('mqttKeepalive', [1, 4], [86_400, 86_400]),
    a('lockCommand', [600, 2400], [1200, 5400]),
  ],
};

/** mDNS printer services, cloud check-ins; LAN hosts poll it by SNMP and IPP (lan-printer.ts). */
export const PRINTER: Profile = {
  kind: 'printer',
  vendors: [
    v(
      'HP',
      [0x508140, 0x846993, 0x3822e2],
      'HP#',
      null,
      ['xmpp004.hpeprint.com', 'h10141.www1.hp.com'],
      { cloudPort: 5223, mdnsService: '_ipp._tcp', model: 'HP OfficeJet Pro 9015e' },
    ),
    v(
      'Brother',
      [0x3c2af4, 0xb07c8e, 0x30055c],
      'BRW@',
      null,
      ['bwc.brother.com', 'update.brother.co.jp'],
      { mdnsService: '_ipp._tcp', model: 'Brother HL-L2350DW series' },
    ),
    v(
      'Epson',
      [0x64eb8c, 0x9caed3, 0x381a52],
      'EPSON#',
      null,
      ['www.epsonconnect.com', 'epsonconnect.com'],
      { mdnsService: '_ipp._tcp', model: 'EPSON ET-2850 Series' },
    ),
    v(
      'Canon',
      [0x180cac, 0x60128b],
      'Canon#',
      null,
      ['pixma.canon-europe.com', 'gdlp01.c-wss.com'],
      { mdnsService: '_ipp._tcp', model: 'Canon TS5300 series' },
    ),
  ],
  ipv6Share: 0,
  activities: [
    ...COMMON,
    a('ntpPool', [2, 8], [3000, 3600]),
    a('printerAnnounce', [0.5, 2], [600, 1200]),
    a('heartbeat', [5, 30], [1800, 3000]),
  ],
};

/** Periodic small cloud reports, NTP. */
export const THERMOSTAT: Profile = {
  kind: 'thermostat',
  vendors: [
    v(
      'Nest',
      [0x18b430, 0x641666],
      'Nest-Thermostat-#',
      'dhcpcd-5.5.6',
      ['frontdoor.nest.com', 'transport04.rts08.iad01.production.nest.com'],
      { model: 'Nest Learning Thermostat' },
    ),
    v('ecobee', [0x446132], 'ecobee-#', UDHCP, ['api.ecobee.com', 'home.ecobee.com'], {
      model: 'ecobee3 lite',
    }),
    v(
      'Honeywell',
      [0xb82ca0, 0x00d02d],
      'Honeywell-#',
      null,
      ['mytotalconnectcomfort.com', 'tccna.honeywell.com'],
      { model: 'T6 Pro Smart Thermostat' },
    ),
    v('tado', [0xece512], 'tado-bridge-#', null, ['my.tado.com', 'ivar.tado.com'], {
      model: 'tado Internet Bridge',
    }),
  ],
  ipv6Share: 0,
  activities: [...COMMON, a('ntpPool', [2, 8], [1000, 2000]), a('report', [30, 120], [240, 900])],
};
