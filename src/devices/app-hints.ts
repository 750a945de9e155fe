/**
 * What the decoder's app peeks tell the registry about devices: names from DHCP option 12
 * (RFC 2132 §3.14) and mDNS, the DHCP vendor class (option 60) and parameter request list
 * (option 55), the router's address from DHCP option 3 (§3.5), and the evidence of what a device
 * is (`kind.ts`) from all of these, from SSDP announcements, from the domains it looks up (DNS,
 * TLS SNI, HTTP Host) and from the HTTP API paths it uses or serves.
 * Runs only for packets that carry an app record; repeated announcements (renewals, NOTIFYs
 * every few seconds) are recognised by their raw text and skipped before any sanitising or
 * table lookup.
 * @module
 */
import { ipv6ToString, isGroupMac, parseIpv4 } from '../decode/addr.js';
import type { DhcpInfo, DnsInfo, HttpRequestInfo, SsdpInfo } from '../decode/app/types.js';
import { L3, type DecodedPacket } from '../decode/packet.js';
import { type Device, NameRank } from './device.js';
import { type KindFact, Sight } from './kind.js';
import {
  dhcpClassFacts,
  dhcpFingerprintFacts,
  domainFacts,
  mdnsFacts,
  nameFacts,
  ssdpFacts,
} from './kind-facts.js';
import { clientHostBits, HttpSide, httpPath, httpPathFacts } from './kind-http.js';
import { type LanMatcher, parseIpv6 } from './lan.js';
import { mdnsName, sanitizeName } from './names.js';

/** DHCP clients seen before they sent IP from a local address. */
const MAX_PENDING = 256;

/** A DHCP client's options waiting for its device (raw text, as the peek kept it). */
interface PendingDhcp {
  hostname: string | undefined;
  vendorClass: string | undefined;
  paramList: string | undefined;
  ts: number;
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
  readonly #firstSight = (sight: Sight, raw: string): boolean =>
    this.#dev?.kindState.firstSight(sight, raw) ?? false;

  constructor(target: HintTarget, lan: LanMatcher) {
    this.#target = target;
    this.#lan = lan;
  }

  /** DHCP names waiting for their device. */
  get pendingCount(): number {
    return this.#pending.size;
  }

  /**
   * A packet with `pkt.app` set; `src` and `dst` are the registry's source and destination
   * devices for it (null when not a LAN device).
   */
  observe(pkt: DecodedPacket, src: Device | null, dst: Device | null): void {
    const app = pkt.app;
    if (app === null) return;
    if (app.kind === 'dhcp') this.#dhcp(app, pkt);
    else if (src === null) return;
    else if (app.kind === 'dns') {
      if (app.mdns) this.#mdns(app, pkt, src);
      else if (!app.isResponse) for (const q of app.questions) this.#domain(q, src);
    } else if (app.kind === 'ssdp') this.#ssdp(app, src);
    else if (app.kind === 'tls-client-hello') {
      if (app.sni !== undefined) this.#domain(app.sni, src);
    } else if (app.kind === 'http-request') this.#http(app, src, dst);
  }

  /** A device was just created: give it the DHCP name its MAC had while it was silent. */
  adopt(dev: Device): void {
    if (this.#pending.size === 0) return;
    const p = this.#pending.get(dev.mac);
    if (p === undefined) return;
    this.#pending.delete(dev.mac);
    this.#apply(dev, p.hostname, p.vendorClass, p.paramList, p.ts);
  }

  #dhcp(info: DhcpInfo, pkt: DecodedPacket): void {
    // Option 12 names the client (chaddr): in requests, and in replies where the server echoes
    // or assigns it. Option 60 describes the client only in its own requests.
    // Option 55 is the client's own list, in requests only.
    if (info.op === 1) {
      this.#dhcpClient(info.clientMac, info.hostname, info.vendorClass, info.paramList, pkt.ts);
    } else if (info.op === 2 && info.hostname !== undefined) {
      this.#dhcpClient(info.clientMac, info.hostname, undefined, undefined, pkt.ts);
    }
    if (info.op === 2 && info.routers !== undefined && info.routers.length > 0) {
      this.#dhcpRouter(info.routers[0], pkt);
    }
  }

  #dhcpClient(
    mac: number,
    rawHost: string | undefined,
    rawClass: string | undefined,
    paramList: string | undefined,
    ts: number,
  ): void {
    if (mac === 0 || isGroupMac(mac)) return;
    if (rawHost === undefined && rawClass === undefined && paramList === undefined) return;
    const known = this.#target.lookup(mac);
    if (known !== undefined) {
      this.#apply(known, rawHost, rawClass, paramList, ts);
      return;
    }
    // Seen before the client sent IP from a local address: apply it when it does.
    const pending = this.#pending;
    const old = pending.get(mac);
    pending.delete(mac);
    if (pending.size >= MAX_PENDING) {
      const oldest = pending.keys().next();
      if (oldest.done !== true) pending.delete(oldest.value);
    }
    pending.set(mac, {
      hostname: rawHost ?? old?.hostname,
      vendorClass: rawClass ?? old?.vendorClass,
      paramList: paramList ?? old?.paramList,
      ts,
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

  /**
   * A DHCP client's options for its device. Renewals repeat the same raw text: the sanitised
   * forms are kept on the device, so a repeat costs a string compare and a name-use count.
   */
  #apply(
    dev: Device,
    rawHost: string | undefined,
    rawClass: string | undefined,
    paramList: string | undefined,
    ts: number,
  ): void {
    const kind = dev.kindState;
    let facts: KindFact[] = [];
    if (rawClass !== undefined && rawClass !== dev.rawDhcpVendorClass) {
      dev.rawDhcpVendorClass = rawClass;
      const vendorClass = sanitizeName(rawClass, 128);
      if (vendorClass !== '') {
        dev.dhcpVendorClass = vendorClass;
        if (kind.firstSight(Sight.DhcpClass, vendorClass))
          facts = facts.concat(dhcpClassFacts(vendorClass));
      }
    }
    if (paramList !== undefined && kind.firstSight(Sight.DhcpParams, paramList)) {
      facts = facts.concat(dhcpFingerprintFacts(paramList));
    }
    let changed = false;
    if (rawHost !== undefined) {
      if (rawHost !== dev.rawDhcpHostname) {
        dev.rawDhcpHostname = rawHost;
        dev.dhcpHostname = sanitizeName(rawHost);
        const host = dev.dhcpHostname;
        if (host !== '' && kind.firstSight(Sight.DhcpHost, host))
          facts = facts.concat(nameFacts(host, 'DHCP'));
      }
      if (dev.dhcpHostname !== '' && dev.offerName(dev.dhcpHostname, NameRank.Dhcp, ts)) {
        changed = true;
      }
    }
    if (dev.addKindFacts(facts)) changed = true;
    if (changed) this.#target.changed(dev);
  }

  /**
   * A name the device looked up or connected to (DNS question, TLS SNI, HTTP Host). Not for the
   * gateway: its resolver looks names up for every device behind it.
   */
  #domain(name: string, dev: Device): void {
    if (name === '' || dev.isGateway || !dev.kindState.firstSight(Sight.Domain, name)) return;
    dev.kindState.hostsNamed |= clientHostBits(name);
    if (dev.addKindFacts(domainFacts(name))) this.#target.changed(dev);
  }

  /**
   * A clear-text HTTP request from the LAN device `src`: its Host is a domain it connects to, its
   * path an API it uses; to the LAN device `dst`, an API `dst` serves (`kind-http.ts`).
   */
  #http(info: HttpRequestInfo, src: Device, dst: Device | null): void {
    if (info.host !== undefined) this.#domain(info.host, src);
    const path = httpPath(info.uri);
    if (path === '') return;
    if (!src.isGateway) {
      const facts = httpPathFacts(HttpSide.Client, path, info.host, src.kindState.hostsNamed);
      if (src.addKindFacts(facts)) this.#target.changed(src);
    }
    if (dst !== null && dst !== src && dst.addKindFacts(httpPathFacts(HttpSide.Server, path))) {
      this.#target.changed(dst);
    }
  }

  /**
   * SSDP is kind evidence only: its SERVER header is a software banner (`Linux/3.14 UPnP/1.0
   * IpBridge/1.9.0`, `Unspecified, UPnP/1.0, Unspecified`), not what anyone calls the device.
   */
  #ssdp(info: SsdpInfo, dev: Device): void {
    this.#dev = dev;
    const facts = ssdpFacts(info, this.#firstSight);
    this.#dev = null;
    if (dev.addKindFacts(facts)) this.#target.changed(dev);
  }

  #mdns(info: DnsInfo, pkt: DecodedPacket, dev: Device): void {
    if (!info.isResponse) return; // questions say what the sender looks for, not what it is
    this.#pkt = pkt;
    this.#dev = dev;
    let changed = dev.addKindFacts(mdnsFacts(info, this.#firstSight, this.#ownAddress));
    if (dev.nameRank <= NameRank.MdnsHost) {
      // DHCP did not name it
      const offer = mdnsName(info, this.#ownAddress);
      if (offer !== null && dev.offerName(offer.name, offer.rank, pkt.ts)) changed = true;
    }
    this.#pkt = null;
    this.#dev = null;
    if (changed) this.#target.changed(dev);
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
