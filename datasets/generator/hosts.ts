/**
 * Names the simulated home talks to: gateways' vendors, web sites, clear-text HTTP
 * checks, NTP servers. Their addresses are drawn per run (Sim.host).
 * @module
 */

/** Gateways: (vendor, OUI). */
export const GATEWAYS: readonly (readonly [string, number])[] = [
  ['ASUSTek', 0x581122],
  ['AVM', 0x246511],
  ['NETGEAR', 0x288088],
];

/** Hosts that phones and laptops browse over TLS (and QUIC for Google's). */
export const WEB_HOSTS: readonly string[] = [
  'www.google.com',
  'www.youtube.com',
  'i.ytimg.com',
  'fonts.gstatic.com',
  'www.gstatic.com',
  'fonts.googleapis.com',
  'accounts.google.com',
  'play.googleapis.com',
  'en.wikipedia.org',
  'upload.wikimedia.org',
  'www.bbc.co.uk',
  'www.reddit.com',
  'i.redd.it',
  'www.amazon.com',
  'm.media-amazon.com',
  'www.netflix.com',
  'graph.facebook.com',
  'scontent.xx.fbcdn.net',
  'www.instagram.com',
  'api.twitter.com',
  'pbs.twimg.com',
  'github.com',
  'avatars.githubusercontent.com',
  'stackoverflow.com',
  'cdn.jsdelivr.net',
  'www.apple.com',
  'outlook.office365.com',
  'login.microsoftonline.com',
  'www.msn.com',
  'weather.com',
  'www.nytimes.com',
  'www.theguardian.com',
  'i.guim.co.uk',
  'open.spotify.com',
  'api.spotify.com',
  'www.linkedin.com',
  'media.licdn.com',
  'web.whatsapp.com',
  'mmg.whatsapp.net',
  'discord.com',
  'cdn.discordapp.com',
  'www.ebay.com',
  'i.ebayimg.com',
  'news.ycombinator.com',
  'duckduckgo.com',
  'update.googleapis.com',
  'dl.google.com',
];

/** Clear-text HTTP fetches that real devices still make (host, path). */
export const HTTP_CHECKS: readonly (readonly [string, string])[] = [
  ['connectivitycheck.gstatic.com', '/generate_204'],
  ['captive.apple.com', '/hotspot-detect.html'],
  ['www.msftconnecttest.com', '/connecttest.txt'],
  ['detectportal.firefox.com', '/success.txt'],
  ['ctldl.windowsupdate.com', '/msdownload/update/v3/static/trustedr/en/authrootstl.cab'],
  ['ocsp.digicert.com', '/MFEwTzBNMEswSTAJBgUrDgMCGgUABBQ'],
];

export const NTP_HOSTS: readonly string[] = ['pool.ntp.org', 'time.google.com', 'time.apple.com'];
