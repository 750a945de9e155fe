/**
 * What the decoder's app peeks tell the registry about devices: names from DHCP option 12
 * (RFC 2132 §3.14), mDNS and SSDP, the DHCP vendor class (option 60), and the router's address
 * from DHCP option 3 (§3.5). Runs only for packets that carry an app record; repeated
 * announcements (renewals, NOTIFYs every few seconds) are recognised by their raw text and
 * skipped before any sanitising.
 * @module
 */
import { ipv6ToString, isGroupMac, parseIpv4 } from '../decode/addr.js';
import type { DhcpInfo, DnsInfo, SsdpInfo } from '../decode/app/types.js';
import { L3, type DecodedPacket } from '../decode/packet.js';
import { type Device, NameRank } from './device.js';
import { type LanMatcher, parseIpv6 } from './lan.js';
import { mdnsName, sanitizeName, ssdpName } from './names.js';

/** DHCP names seen before the client sent IP from a local address. */
const MAX_PENDING = 256;

interface PendingDhcp {
  hostname: string;
  vendorClass: string;
}

/** What AppHints needs from the registry. */
export interface HintTarget {
  lookup(mac: number): Device | undefined;
  /** Something a `device` record shows changed on `dev`. */
  changed(dev: Device): void;
  /** DHCP option 3 named `ip` as the router; `mac` is its MAC when the reply came from it, else -1. */
  router(ip: number, mac: number): void;
}

export class AppHints {
  readonly #target: HintTarget;
  readonly #lan: LanMatcher;
  readonly #pending = new Map<number, PendingDhcp>();
  /** Option 3 text of the last DHCP reply handled. */
  #lastRouterText = '';
  /** Packet and sender under the mDNS address check (the callback is bound once). */
  #pkt: DecodedPacket | null = null;
  #dev: Device | null = null;
  readonly #ownAddress = (text: string): boolean => this.#isOwnAddress(text);

  constructor(target: HintTarget, lan: LanMatcher) {
    this.#target = target;
    this.#lan = lan;
  }

  /** DHCP names waiting for their device. */
  get pendingCount(): number {
    return this.#pending.size;
  }

  /** A packet with `pkt.app` set; `src` is the registry's source device for it. */
  observe(pkt: DecodedPacket, src: Device | null): void {
    const app = pkt.app;
    if (app === null) return;
    if (app.kind === 'dhcp') this.#dhcp(app, pkt);
    else if (app.kind === 'dns' && app.mdns && src !== null) this.#mdns(app, pkt, src);
    else if (app.kind === 'ssdp' && src !== null) this.#ssdp(app, src);
  }

  /** A device was just created: give it the DHCP name its MAC had while it was silent. */
  adopt(dev: Device): void {
    if (this.#pending.size === 0) return;
    const p = this.#pending.get(dev.mac);
    if (p === undefined) return;
    this.#pending.delete(dev.mac);
    this.#apply(dev, p.hostname, p.vendorClass);
  }

  #dhcp(info: DhcpInfo, pkt: DecodedPacket): void {
    // Option 12 names the client (chaddr): in requests, and in replies where the server echoes
    // or assigns it. Option 60 describes the client only in its own requests.
    if (info.op === 1 || (info.op === 2 && info.hostname !== undefined)) {
      this.#dhcpClient(info.clientMac, info.hostname, info.op === 1 ? info.vendorClass : undefined);
    }
    if (info.op === 2 && info.routers !== undefined && info.routers.length > 0) {
      this.#dhcpRouter(info.routers[0], pkt);
    }
  }

  #dhcpClient(mac: number, rawHost: string | undefined, rawClass: string | undefined): void {
    if (mac === 0 || isGroupMac(mac)) return;
    const known = this.#target.lookup(mac);
    if (known !== undefined) {
      // Renewals repeat the same options: skip the sanitising.
      const sameHost = rawHost === undefined || rawHost === known.rawDhcpHostname;
      const sameClass = rawClass === undefined || rawClass === known.rawDhcpVendorClass;
      if (sameHost && sameClass) return;
      if (rawHost !== undefined) known.rawDhcpHostname = rawHost;
      if (rawClass !== undefined) known.rawDhcpVendorClass = rawClass;
    }
    const hostname = rawHost === undefined ? '' : sanitizeName(rawHost);
    const vendorClass = rawClass === undefined ? '' : sanitizeName(rawClass, 128);
    if (hostname === '' && vendorClass === '') return;
    if (known !== undefined) {
      this.#apply(known, hostname, vendorClass);
      return;
    }
    // Seen before the client sent IP from a local address: name it when it does.
    const pending = this.#pending;
    const old = pending.get(mac);
    pending.delete(mac);
    if (pending.size >= MAX_PENDING) {
      const oldest = pending.keys().next();
      if (oldest.done !== true) pending.delete(oldest.value);
    }
    pending.set(mac, {
      hostname: hostname || (old?.hostname ?? ''),
      vendorClass: vendorClass || (old?.vendorClass ?? ''),
    });
  }

  #dhcpRouter(text: string, pkt: DecodedPacket): void {
    // Same router as last time: already applied (a device taking that IP later resolves it).
    if (text === this.#lastRouterText) return;
    this.#lastRouterText = text;
    const ip = parseIpv4(text);
    if (Number.isNaN(ip) || !this.#lan.isLocal4(ip)) return;
    const fromRouter =
      pkt.hasMacs &&
      pkt.l3 === L3.IPv4 &&
      pkt.src4 === ip &&
      pkt.srcMac !== 0 &&
      !isGroupMac(pkt.srcMac);
    this.#target.router(ip, fromRouter ? pkt.srcMac : -1);
  }

  #apply(dev: Device, hostname: string, vendorClass: string): void {
    if (vendorClass !== '') dev.dhcpVendorClass = vendorClass;
    if (hostname !== '' && dev.offerName(hostname, NameRank.Dhcp)) this.#target.changed(dev);
  }

  #ssdp(info: SsdpInfo, dev: Device): void {
    // Devices repeat NOTIFYs every few seconds: skip what cannot change the name.
    if (dev.nameRank > NameRank.Ssdp || info.server === dev.rawSsdpServer) return;
    dev.rawSsdpServer = info.server;
    const offer = ssdpName(info);
    if (offer !== null && dev.offerName(offer.name, offer.rank)) this.#target.changed(dev);
  }

  #mdns(info: DnsInfo, pkt: DecodedPacket, dev: Device): void {
    if (dev.nameRank > NameRank.MdnsHost) return; // DHCP named it
    this.#pkt = pkt;
    this.#dev = dev;
    const offer = mdnsName(info, this.#ownAddress);
    this.#pkt = null;
    this.#dev = null;
    if (offer !== null && dev.offerName(offer.name, offer.rank)) this.#target.changed(dev);
  }

  /** Is `text` (A/AAAA rdata) the address the mDNS packet came from, or one its sender used? */
  #isOwnAddress(text: string): boolean {
    const pkt = this.#pkt;
    const dev = this.#dev;
    if (pkt === null || dev === null) return false;
    const v4 = parseIpv4(text);
    if (!Number.isNaN(v4)) return (pkt.l3 === L3.IPv4 && pkt.src4 === v4) || dev.hasIp4(v4);
    const v6 = parseIpv6(text);
    if (v6 === null) return false;
    return (
      (pkt.l3 === L3.IPv6 && v6.every((w, i) => w === pkt.src6[i])) ||
      dev.ip6s().includes(ipv6ToString(v6))
    );
  }
}
