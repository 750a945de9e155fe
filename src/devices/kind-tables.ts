/**
 * The evidence tables of device kinds (`kind.ts`): which facts of a device's traffic say what it
 * is, and how strongly (0 … 1: how sure that fact alone makes a person who knows the product).
 *
 * Rows describe product families, never one capture: a vendor whose products on Wi-Fi or
 * Ethernet are of one kind (Roborock, Sonos, Arlo), a model-number scheme (D-Link DCS cameras,
 * TP-Link HS plugs), a service only one kind of device announces (`_printer._tcp`), a cloud
 * endpoint only the device (not its phone app) talks to. A vendor making many kinds (Amazon,
 * Google, Samsung, Xiaomi, Tuya, Espressif, TP-Link) has no row: wrong is worse than unknown.
 * Pattern tables are tried in order and the first match counts (specific rows first). The paths
 * of products' HTTP APIs are in `kind-http.ts`.
 * @module
 */
import type { DeviceKind } from './kinds.js';

export type KindWeights = Partial<Record<Exclude<DeviceKind, 'unknown'>, number>>;

export interface PatternRow {
  /** Tested against the lower-cased text. */
  re: RegExp;
  kinds: KindWeights;
}

/** OUI organisation names (IEEE registry, as `oui.ts` gives them). */
export const OUI_ROWS: readonly PatternRow[] = [
  { re: /roborock/, kinds: { vacuum: 0.9 } },
  { re: /^irobot corp/, kinds: { vacuum: 0.9 } },
  { re: /^dreame /, kinds: { vacuum: 0.85 } },
  { re: /^sharkninja/, kinds: { vacuum: 0.6 } },
  { re: /^sonos/, kinds: { speaker: 0.9 } },
  { re: /^bose corp/, kinds: { speaker: 0.85 } },
  { re: /^roku/, kinds: { streamer: 0.75 } },
  { re: /^nintendo/, kinds: { console: 0.9 } },
  { re: /^sony (interactive|computer) entertainment/, kinds: { console: 0.9 } },
  { re: /^valve corp/, kinds: { console: 0.7 } },
  { re: /^ecobee/, kinds: { thermostat: 0.9 } },
  { re: /^resideo/, kinds: { thermostat: 0.6 } },
  // Hue bulbs are Zigbee: on IP, a Philips Lighting MAC is the Hue bridge.
  { re: /^philips lighting/, kinds: { hub: 0.8 } },
  { re: /^signify/, kinds: { hub: 0.5, light: 0.3 } },
  { re: /^wiz$/, kinds: { light: 0.85 } },
  { re: /^yeelink/, kinds: { light: 0.85 } },
  { re: /^nanoleaf/, kinds: { light: 0.85 } },
  // Lightify bulbs are Zigbee: the IP device is the gateway.
  { re: /^osram/, kinds: { hub: 0.65 } },
  // eQ-3's radio devices (HomeMatic, MAX!) reach IP only through a CCU, Cube or access point.
  { re: /^eq-3/, kinds: { hub: 0.7 } },
  { re: /^smartthings/, kinds: { hub: 0.8 } },
  { re: /^athom/, kinds: { hub: 0.9 } },
  { re: /^lutron/, kinds: { hub: 0.75 } },
  { re: /^ikea of sweden/, kinds: { hub: 0.6 } },
  // Withings on Wi-Fi: scales above all (also a sleep sensor, a blood-pressure cuff).
  { re: /^withings/, kinds: { sensor: 0.6 } },
  { re: /^fitbit/, kinds: { wearable: 0.6 } },
  { re: /^garmin/, kinds: { wearable: 0.5 } },
  // Arlo and Blink sell cameras and the base station or sync module they pair with (a hub).
  { re: /^arlo/, kinds: { camera: 0.7, hub: 0.3 } },
  { re: /^wyze/, kinds: { camera: 0.6 } },
  { re: /^blink by amazon/, kinds: { camera: 0.6, hub: 0.3 } },
  { re: /hikvision|ezviz|dahua|^amcrest|^axis communications|^reolink/, kinds: { camera: 0.85 } },
  { re: /imilab/, kinds: { camera: 0.7 } },
  { re: /assa abloy|^august home|^nuki |pin genie|lockly|^latch$/, kinds: { lock: 0.85 } },
  { re: /^lg electronics \(mobile/, kinds: { phone: 0.8 } },
  { re: /^motorola (mobility|\(wuhan\) mobility)/, kinds: { phone: 0.85 } },
  { re: /oppo mobile|^vivo mobile|^realme|^oneplus|^honor device/, kinds: { phone: 0.8 } },
  { re: /^htc corp/, kinds: { phone: 0.6 } },
  { re: /^microsoft mobile/, kinds: { phone: 0.7 } },
  { re: /^vizio/, kinds: { tv: 0.85 } },
  { re: /hisense (visual|electric)|^qingdao hisense electronics/, kinds: { tv: 0.7 } },
  { re: /^tcl king|^tcl technoly/, kinds: { tv: 0.7 } },
  { re: /^sony visual products/, kinds: { tv: 0.8 } },
  { re: /^nvidia/, kinds: { streamer: 0.5 } },
  { re: /^brother industries/, kinds: { printer: 0.85 } },
  { re: /^seiko epson/, kinds: { printer: 0.8 } },
  { re: /^canon inc/, kinds: { printer: 0.6 } },
  { re: /^xerox|^lexmark|^kyocera document|^ricoh/, kinds: { printer: 0.85 } },
  // HP sells computers and servers under the same OUIs as printers: alone it decides nothing.
  { re: /^hewlett packard$/, kinds: { printer: 0.3 } },
  { re: /^ubiquiti/, kinds: { router: 0.7 } },
  { re: /^eero/, kinds: { router: 0.9 } },
  { re: /^avm |^avm$|^fritz! tech/, kinds: { router: 0.85 } },
  { re: /^sagemcom|^technicolor|^askey|^zyxel/, kinds: { router: 0.6 } },
  { re: /^netgear/, kinds: { router: 0.5 } },
  { re: /^dyson/, kinds: { appliance: 0.8 } },
  { re: /^miele/, kinds: { appliance: 0.9 } },
  { re: /^bsh hausger/, kinds: { appliance: 0.9 } },
  // Mattel's networked products are toys (Hello Barbie, Fisher-Price smart toys); a toy maker
  // could put its OUI in a baby monitor or a speaker, so it weighs less than a one-kind maker.
  { re: /^mattel/, kinds: { toy: 0.6 } },
];

/**
 * Host names (DHCP option 12, mDNS host and service-instance names), lower case. Model-number
 * schemes and the words people and vendors put in names. Phones, tablets and computers first:
 * "Cam's iPhone" is a phone.
 */
export const NAME_ROWS: readonly PatternRow[] = [
  { re: /(?<![a-z])iphone(?![a-z])/, kinds: { phone: 0.9 } },
  { re: /(?<![a-z])ipad(?![a-z])|galaxy-?tab|^sm-[tpx]\d{3}/, kinds: { tablet: 0.9 } },
  // Android's default host name, on phones mostly, but also on tablets and Android TV boxes.
  { re: /^android-[0-9a-f]{8,}$/, kinds: { phone: 0.7, tablet: 0.2, streamer: 0.1 } },
  {
    re: /galaxy-?(s|note|a|z)\d|^sm-[gnasfe]\d{3}|pixel-?\d|oneplus|(?<![a-z])(redmi|poco|realme)(?![a-z])|huawei-?(p|mate|nova)\d|(?<![a-z])moto-?[gez]\d/,
    kinds: { phone: 0.85 },
  },
  { re: /(?<![a-z])(smart)?phone(?![a-z])/, kinds: { phone: 0.7 } },
  { re: /(?<![a-z])(kindle|tablet)(?![a-z])/, kinds: { tablet: 0.8 } },
  {
    re: /macbook|(?<![a-z])imac(?![a-z])|mac-?(mini|pro|studio)(?![a-z])/,
    kinds: { computer: 0.9 },
  },
  { re: /^(desktop-[0-9a-z]{7}|laptop-[0-9a-z]{8})$/, kinds: { computer: 0.85 } },
  {
    re: /(?<![a-z])(thinkpad|ideapad|latitude|elitebook|probook|zenbook|vivobook|chromebook|notebook|laptop|desktop|workstation|pc)(?![a-z])/,
    kinds: { computer: 0.7 },
  },
  {
    re: /apple-?tv|chromecast|fire-?tv(?!-?edition)|nvidia-?shield|^aft[a-z]{1,4}$/,
    kinds: { streamer: 0.9 },
  },
  {
    re: /bravia|webos|smart-?tv|android-?tv|google-?tv|tizen|(?<![a-z])(vizio|roku-?tv)|(?<![a-z0-9])tv(?![a-z])/,
    kinds: { tv: 0.8 },
  },
  { re: /^roku(?![a-z])/, kinds: { streamer: 0.8 } },
  { re: /google-?nest-?hub|(?<![a-z])nest-?hub|echo-?show/, kinds: { speaker: 0.7 } },
  {
    re: /homepod|sonos|google-?home|nest-?(mini|audio)|(?<![a-z])echo(-?(dot|plus|studio|pop))?(?![a-z])|soundbar|(?<![a-z])speaker(?![a-z])|^bose|^heos|^symfonisk/,
    kinds: { speaker: 0.85 },
  },
  { re: /doorbell|door-?bell|nest-?hello/, kinds: { doorbell: 0.9 } },
  {
    re: /roborock|rockrobo|roomba|(?<![a-z])irobot|deebot|ecovacs|neato|dreame|vacuum|robovac|roidmi/,
    kinds: { vacuum: 0.9 },
  },
  {
    re: /(?<![a-z])(smart-?|door-?)?lock(?!er)|^nuki|^ultraloq|^kwikset|^schlage/,
    kinds: { lock: 0.8 },
  },
  {
    re: /(?<![a-z])(ip)?cam(era)?(?![a-z])|(?<=[a-z])cam(?![a-z])|^dcs-\d|^ipc(?![a-z])|^(hikvision|ezviz|reolink|amcrest|foscam|wyzec|arlo|imou|chuangmi|xiaovv|dafang|eufycam|dropcam)/,
    kinds: { camera: 0.8 },
  },
  {
    re: /(?<![a-z])(smart-?)?(plug|socket|outlet)(?![a-z])|power-?strip|^hs1\d\d(?![0-9])|^kp\d{3}(?![0-9])|^ep\d\d(?![0-9])|^dsp-w\d|^sp-?[12]\d{3}w|^wemo-?(mini|switch|insight)/,
    kinds: { plug: 0.85 },
  },
  {
    re: /(?<![a-z])(bulb|lamp|light|lightstrip|led-?strip|dimmer)(?![a-z])|^lifx|^wiz[-_]|yeelink-light|^yeelight|^kl\d{3}(?![0-9])|^lb\d{3}(?![0-9])|^nanoleaf|^govee|^elgato-?(key|ring)-?light/,
    kinds: { light: 0.8 },
  },
  { re: /thermostat|^ecobee|^tado|^honeywell/, kinds: { thermostat: 0.85 } },
  {
    re: /(?<![a-z])sensor|^dch-s\d|weather-?station|(?<![a-z])(smoke|scale)(?![a-z])|^withings|nest-?protect|air-?quality|^awair|^airthings/,
    kinds: { sensor: 0.8 },
  },
  {
    re: /hub(?![a-z])|bridge|gateway|^dch-?g\d|^dchg(?![a-z])|^lightify|philips[- ]?hue|^smartthings|^homey|^home-?assistant|^hassio|^openhab|^hubitat|^deconz|^phoscon|^conbee|^dirigera|^harmony|^homematic|^ccu[23](?![0-9])|^raspberrymatic|^max-?cube|^tahoma|^caseta/,
    kinds: { hub: 0.8 },
  },
  {
    re: /printer|^(hp|npi)[0-9a-f]{6}$|^br[nw][0-9a-f]{12}$|^epson|^brother|^et-\d{4}|^canon[-_ ]?(mg|mx|ts|tr|ir|lbp|mf|pixma|g\d)|^lexmark|^xerox|^kyocera|^ricoh|officejet|deskjet|laserjet/,
    kinds: { printer: 0.85 },
  },
  {
    re: /playstation|^ps[345](?![a-z0-9])|xbox|nintendo|switch-?(oled|lite)|steam-?deck|^wii(u)?(?![a-z])/,
    kinds: { console: 0.85 },
  },
  { re: /watch(?![a-z])|^fitbit|^oura|^whoop/, kinds: { wearable: 0.75 } },
  {
    re: /router|^openwrt|^lede(?![a-z])|^dd-wrt|^fritz-?(box|repeater)|^rt-[a-z]{1,3}\d{2,}|^archer-|^tl-(wr|wa|mr)\d|^deco-|^orbi|^eero|^unifi|^ubnt|^mikrotik|^airport|google-?wifi|nest-?wifi|^linksys|^velop|extender|repeater/,
    kinds: { router: 0.8 },
  },
  {
    re: /kettle|coffee|espresso|(?<![a-z])fridge|refrigerator|dishwasher|washer|dryer|washing|(?<![a-z])oven(?![a-z])|microwave|air-?con|purifier|humidifier|^dyson|^miele|cooker|crockpot|instant-?pot|^anova|feeder|sprinkler|^rachio|garage|^myq/,
    kinds: { appliance: 0.8 },
  },
  {
    re: /(?<![a-z])toy(?![a-z])|^cozmo|^vector-|^anki|toniebox|^yoto|^sphero/,
    kinds: { toy: 0.8 },
  },
  // Arlo's model numbers, which its devices use as host names: VMC cameras, VMB base stations.
  // (New rows go last: state saved before 2026-12-05 names rows by position.)
  { re: /^vmc\d{4}/, kinds: { camera: 0.85 } },
  { re: /^vmb\d{4}/, kinds: { hub: 0.85 } },
  // Shelly's default host names name the product (shellyplug-s-<MAC>, shellyplusplugs-<MAC>,
  // shellyht-<MAC>, shellytrv-<MAC>): plugs, sensors, radiator valves, bulbs and dimmers. Its
  // relays and meters (shelly1, shellyplus2pm, shellyem) are none of these kinds: no row.
  { re: /^shelly(plus|pro)?-?plug/, kinds: { plug: 0.9 } },
  {
    re: /^shelly(plus)?-?(ht|h&t|flood|dw2?|smoke|motion(sensor)?|gas|door|window)(?![a-z])/,
    kinds: { sensor: 0.85 },
  },
  { re: /^shelly-?trv(?![a-z])/, kinds: { thermostat: 0.85 } },
  { re: /^shelly(plus)?-?(bulb|vintage|duo|rgbw|dimmer)/, kinds: { light: 0.85 } },
];

/** DHCP option 60 (vendor class identifier), lower case. */
export const DHCP_CLASS_ROWS: readonly PatternRow[] = [
  { re: /^android-dhcp-\d/, kinds: { phone: 0.5 } },
  { re: /^huawei:android/, kinds: { phone: 0.6 } },
  { re: /^msft (5\.0|98)/, kinds: { computer: 0.7 } },
  { re: /ip ?phone|voip|polycom|yealink|grandstream/, kinds: { phone: 0.6 } },
  { re: /^ubnt|^unifi/, kinds: { router: 0.6 } },
  { re: /jetdirect|laserjet|officejet|^brother|^epson|^xerox|^lexmark/, kinds: { printer: 0.8 } },
];

/**
 * DHCP option 55 (parameter request list) exactly, in the client's order: the DHCP client
 * software, hence the operating system. Phone and tablet systems also run on TVs, so they weigh
 * little alone.
 */
export const DHCP_FINGERPRINTS: Readonly<Record<string, { os: string; kinds: KindWeights }>> = {
  '1,3,6,15,31,33,43,44,46,47,119,121,249,252': { os: 'Windows', kinds: { computer: 0.6 } },
  '1,15,3,6,44,46,47,31,33,121,249,43': { os: 'Windows', kinds: { computer: 0.6 } },
  '1,15,3,6,44,46,47,31,33,121,249,43,252': { os: 'Windows', kinds: { computer: 0.6 } },
  '1,121,3,6,15,119,252,95,44,46': { os: 'macOS', kinds: { computer: 0.6 } },
  '1,121,3,6,15,108,114,119,252,95,44,46': { os: 'macOS', kinds: { computer: 0.6 } },
  '1,121,3,6,15,119,252': { os: 'iOS', kinds: { phone: 0.45, tablet: 0.25 } },
  '1,121,3,6,15,108,114,119,252': { os: 'iOS', kinds: { phone: 0.45, tablet: 0.25 } },
  '1,33,3,6,15,28,51,58,59': { os: 'Android', kinds: { phone: 0.45 } },
  '1,33,3,6,15,26,28,51,58,59': { os: 'Android', kinds: { phone: 0.45 } },
  '1,3,6,15,26,28,51,58,59,43': { os: 'Android', kinds: { phone: 0.45 } },
  '1,3,6,15,26,28,51,58,59,43,114,108': { os: 'Android', kinds: { phone: 0.45 } },
};

/** DNS-SD service types (RFC 6763) a device announces for itself, as `_name._proto`. */
export const MDNS_SERVICES: Readonly<Record<string, KindWeights>> = {
  _googlecast: { streamer: 0.6, speaker: 0.3, tv: 0.3 },
  _airplay: { streamer: 0.4, tv: 0.3, speaker: 0.3, computer: 0.2 },
  _raop: { speaker: 0.4, streamer: 0.3, computer: 0.2 },
  '_amzn-wplay': { streamer: 0.75 },
  '_amzn-alexa': { speaker: 0.6 },
  _sonos: { speaker: 0.95 },
  '_spotify-connect': { speaker: 0.4, tv: 0.2, streamer: 0.2 },
  _mediaremotetv: { streamer: 0.7 },
  _androidtvremote: { tv: 0.5, streamer: 0.5 },
  _androidtvremote2: { tv: 0.5, streamer: 0.5 },
  _viziocast: { tv: 0.85 },
  _printer: { printer: 0.85 },
  _ipp: { printer: 0.7 },
  _ipps: { printer: 0.7 },
  '_pdl-datastream': { printer: 0.85 },
  _uscan: { printer: 0.8 },
  _uscans: { printer: 0.8 },
  _scanner: { printer: 0.7 },
  '_fax-ipp': { printer: 0.8 },
  _hue: { hub: 0.9 },
  _nanoleafapi: { light: 0.9 },
  _nanoleafms: { light: 0.9 },
  _wled: { light: 0.85 },
  _elg: { light: 0.8 },
  _workstation: { computer: 0.7 },
  _smb: { computer: 0.5 },
  _afpovertcp: { computer: 0.5 },
  _rfb: { computer: 0.5 },
  _ssh: { computer: 0.4 },
  '_sftp-ssh': { computer: 0.4 },
  _adisk: { computer: 0.4 },
  _airport: { router: 0.9 },
};

/**
 * UPnP device and service types announced in SSDP NOTIFY (NT) and search responses (ST, USN),
 * as `domain:device:type` / `domain:service:type`, lower case, version dropped; and a few
 * non-URN search targets.
 */
export const SSDP_TYPES: Readonly<Record<string, KindWeights>> = {
  'schemas-upnp-org:device:internetgatewaydevice': { router: 0.9 },
  'schemas-upnp-org:device:wandevice': { router: 0.9 },
  'schemas-upnp-org:device:wanconnectiondevice': { router: 0.9 },
  'schemas-upnp-org:service:wanipconnection': { router: 0.85 },
  'schemas-upnp-org:service:wanpppconnection': { router: 0.85 },
  'schemas-upnp-org:service:wancommoninterfaceconfig': { router: 0.85 },
  'schemas-upnp-org:service:layer3forwarding': { router: 0.85 },
  'schemas-upnp-org:device:wlanaccesspointdevice': { router: 0.7 },
  'schemas-upnp-org:device:mediarenderer': { tv: 0.3, speaker: 0.3, streamer: 0.3 },
  'schemas-upnp-org:device:mediaserver': { computer: 0.3 },
  'schemas-upnp-org:device:printer': { printer: 0.9 },
  'schemas-upnp-org:device:digitalsecuritycamera': { camera: 0.9 },
  'schemas-upnp-org:device:hvac_system': { thermostat: 0.7 },
  // Smart plugs and switches implement BinaryLight too: an on/off load.
  'schemas-upnp-org:device:binarylight': { light: 0.6, plug: 0.4 },
  'schemas-upnp-org:device:dimmablelight': { light: 0.8 },
  'schemas-upnp-org:device:zoneplayer': { speaker: 0.95 },
  'dial-multiscreen-org:device:dial': { tv: 0.4, streamer: 0.4 },
  'dial-multiscreen-org:service:dial': { tv: 0.4, streamer: 0.4 },
  'samsung.com:device:remotecontrolreceiver': { tv: 0.9 },
  'lge-com:service:webos-second-screen': { tv: 0.9 },
  'schemas-denon-com:device:aiosdevice': { speaker: 0.85 },
  'belkin:device:controllee': { plug: 0.9 },
  'belkin:device:insight': { plug: 0.9 },
  'belkin:device:lightswitch': { light: 0.75 },
  'belkin:device:dimmer': { light: 0.75 },
  'belkin:device:bridge': { hub: 0.9 },
  'belkin:device:sensor': { sensor: 0.9 },
  'belkin:device:netcamsensor': { camera: 0.85 },
  'belkin:device:crockpot': { appliance: 0.9 },
  'belkin:device:humidifier': { appliance: 0.9 },
  'belkin:device:heatera': { appliance: 0.9 },
  'belkin:device:airpurifier': { appliance: 0.9 },
  'belkin:device:coffeemaker': { appliance: 0.9 },
  'roku:ecp': { streamer: 0.85 },
};

/** SSDP SERVER header (UPnP DA 2.0 §1.1.2: OS/version UPnP/2.0 product/version), lower case. */
export const SSDP_SERVER_ROWS: readonly PatternRow[] = [
  { re: /ipbridge/, kinds: { hub: 0.9 } },
  { re: /(?<![a-z])roku/, kinds: { streamer: 0.8 } },
  { re: /sonos/, kinds: { speaker: 0.9 } },
  {
    re: /cellvision|ipcam|ip-?camera|netcam|(?<![a-z])dcs-\d|hikvision|dahua/,
    kinds: { camera: 0.8 },
  },
  { re: /webos|smart ?tv|tizen|bravia|vizio|android ?tv|philips ?tv/, kinds: { tv: 0.85 } },
  { re: /(?<![a-z])(knos|heos|denon|marantz|bluesound)(?![a-z])/, kinds: { speaker: 0.7 } },
  { re: /xbox|playstation|nintendo/, kinds: { console: 0.8 } },
  { re: /fritz!box|openwrt|miniupnpd|dd-wrt|asuswrt/, kinds: { router: 0.7 } },
  {
    re: /epson|brother|laserjet|officejet|deskjet|printer|xerox|lexmark|kyocera/,
    kinds: { printer: 0.8 },
  },
];

/**
 * Domains a device looks up or names in a TLS SNI or HTTP Host, by suffix (a row matches the
 * name and its subdomains). Only endpoints the device itself talks to: a phone app of the same
 * vendor usually talks to other names, and a phone's many vendor apps spread its evidence over
 * many kinds, which lowers the confidence of each.
 */
export const DOMAIN_ROWS: Readonly<Record<string, KindWeights>> = {
  'roborock.com': { vacuum: 0.85 },
  'irobotapi.com': { vacuum: 0.85 },
  'ecouser.net': { vacuum: 0.85 },
  'neatocloud.com': { vacuum: 0.85 },
  'wyzecam.com': { camera: 0.7 },
  'arlo.netgear.com': { camera: 0.6, hub: 0.3 },
  'immedia-semi.com': { camera: 0.6, hub: 0.3 },
  'dropcam.com': { camera: 0.85 },
  'smartcamera.api.io.mi.com': { camera: 0.8 },
  'ezvizlife.com': { camera: 0.8 },
  'hik-connect.com': { camera: 0.8 },
  'imoulife.com': { camera: 0.8 },
  'xiaoyi.com': { camera: 0.8 },
  'mydlink.com': { camera: 0.35 },
  'sonos.com': { speaker: 0.5 },
  'roku.com': { streamer: 0.55 },
  'lgtvsdp.com': { tv: 0.85 },
  'lgsmartad.com': { tv: 0.8 },
  'samsungacr.com': { tv: 0.85 },
  'tvinteractive.tv': { tv: 0.85 },
  'alphonso.tv': { tv: 0.7 },
  'bridge.meethue.com': { hub: 0.85 },
  'homematic.com': { hub: 0.4 },
  'august.com': { lock: 0.6 },
  'nuki.io': { lock: 0.8 },
  'lockly.com': { lock: 0.7 },
  'tedee.com': { lock: 0.8 },
  'hpeprint.com': { printer: 0.8 },
  'epsonconnect.com': { printer: 0.85 },
  'ctest.cdn.nintendo.net': { console: 0.85 },
  'playstation.net': { console: 0.5 },
  'xboxlive.com': { console: 0.4 },
  'ecobee.com': { thermostat: 0.5 },
  'tado.com': { thermostat: 0.5 },
  'tccna.honeywell.com': { thermostat: 0.6 },
  'scalews.withings.net': { sensor: 0.8 },
  'msftncsi.com': { computer: 0.55 },
  'msftconnecttest.com': { computer: 0.55 },
  'connectivity-check.ubuntu.com': { computer: 0.6 },
  'home-connect.com': { appliance: 0.85 },
  'lgthinq.com': { appliance: 0.7 },
  'anki.com': { toy: 0.7 },
  // ToyTalk (PullString) ran the speech service of Hello Barbie and other talking toys.
  'toytalk.com': { toy: 0.8 },
  'e2ro.com': { router: 0.7 },
  'tplinkcloud.com': { plug: 0.35 },
  // LIFX bulbs, strips and switches keep a connection to their broker (the app uses lifx.com).
  'broker.lifx.co': { light: 0.8 },
};
