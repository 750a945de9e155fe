/**
 * Per-device counters for one window, and the per-device memory that outlives a window
 * (beacon contacts, DNS answers, the upload streak, the address it owns). Plain numbers and
 * reused Sets: a window's counters are cleared, never reallocated.
 * @module
 */
import type { OwnerEntry } from './arp-claims.js';
import { BeaconTracker } from './beacon.js';
import type { NameShape } from './dns-shape.js';
import { WindowNotes } from './window-notes.js';

/** Most DNS-answered addresses remembered per device (oldest forgotten first). */
export const MAX_DNS_ANSWERS = 4096;
/** Most name shapes remembered per device. */
export const MAX_SHAPES = 512;
/** A pause longer than this ends a continuous upload. */
export const UPLOAD_GAP_S = 1;

export class WindowCounters {
  packetsUp = 0;
  packetsDown = 0;
  bytesUp = 0;
  bytesDown = 0;
  sumSqUp = 0;
  sumSqDown = 0;
  lanBytes = 0;
  flowsStarted = 0;
  inboundConnections = 0;
  inboundAccepted = 0;
  failedConnections = 0;
  readonly remoteIps = new Set<number | string>();
  readonly remotePorts = new Set<number>();
  readonly lanPeers = new Set<number | string>();
  readonly lanPorts = new Set<number>();
  dnsQueries = 0;
  readonly dnsNames = new Set<string>();
  dnsNxdomain = 0;
  dnsNewNames = 0;
  readonly noDnsEndpoints = new Set<number | string>();
  newEndpoints = 0;
  ssdpMessages = 0;
  upnpPortMappings = 0;
  tlsHandshakes = 0;
  httpRequests = 0;
  executableDownloads = 0;
  uploadLongestS = 0;
  uploadLongestBytes = 0;
  /** Distinct whole seconds of packet time with traffic of this device. */
  activeSeconds = 0;
  lastSecond = -1;
  // Schema v2.
  stratumMessages = 0;
  dnsLongestLabel = 0;
  dnsMaxEntropy = 0;
  dnsTxtNullQueries = 0;
  httpAuthFailures = 0;
  opaqueDownloads = 0;
  shortSessionsMax = 0;
  /** Short sessions per service ('ip/port') in the window, for shortSessionsMax. */
  readonly shortSessions = new Map<string, number>();
  portMapRequests = 0;
  arpClaims = 0;

  reset(): void {
    this.packetsUp = this.packetsDown = this.bytesUp = this.bytesDown = 0;
    this.sumSqUp = this.sumSqDown = this.lanBytes = 0;
    this.flowsStarted = this.inboundConnections = this.inboundAccepted = 0;
    this.failedConnections = 0;
    this.remoteIps.clear();
    this.remotePorts.clear();
    this.lanPeers.clear();
    this.lanPorts.clear();
    this.dnsQueries = this.dnsNxdomain = this.dnsNewNames = 0;
    this.dnsNames.clear();
    this.noDnsEndpoints.clear();
    this.newEndpoints = 0;
    this.ssdpMessages = this.upnpPortMappings = this.tlsHandshakes = 0;
    this.httpRequests = this.executableDownloads = 0;
    this.uploadLongestS = this.uploadLongestBytes = 0;
    this.activeSeconds = 0;
    this.lastSecond = -1;
    this.stratumMessages = this.dnsLongestLabel = this.dnsMaxEntropy = 0;
    this.dnsTxtNullQueries = this.httpAuthFailures = this.opaqueDownloads = 0;
    this.shortSessionsMax = this.portMapRequests = this.arpClaims = 0;
    this.shortSessions.clear();
  }
}

/** Everything the feature stage keeps for one device. */
export class DeviceActivity {
  readonly counters = new WindowCounters();
  /** The window's evidence (features/evidence.ts), cleared with the counters. */
  readonly notes = new WindowNotes();
  readonly beacons = new BeaconTracker();
  /**
   * Addresses this device was told about in DNS answers (IPv4 as int32 numbers, as every
   * address key of the feature stage: a small integer to V8, never a boxed heap number; IPv6 as
   * text), each with the name it asked for.
   */
  readonly dnsAnswers = new Map<number | string, string>();
  /**
   * Shapes of the names this device queried (dns-shape.ts), so a name asked every minute is
   * measured once: at most MAX_SHAPES, forgotten all at once when full.
   */
  readonly shapes = new Map<string, NameShape>();
  /** The IPv4 address this device owns (arp-claims.ts) and its entry; -1 / null: none yet. */
  ownIp4 = -1;
  ownEntry: OwnerEntry | null = null;
  /** Window index this device was last active in (-1: never). */
  window = -1;
  /** Current upload streak: start, last packet and payload bytes. */
  uploadStart = -1;
  uploadLast = -1;
  uploadBytes = 0;

  /** Remembers that a DNS answer for `name` gave this device `addr`. */
  rememberAnswer(addr: number | string, name: string): void {
    if (this.dnsAnswers.has(addr)) this.dnsAnswers.delete(addr);
    else if (this.dnsAnswers.size >= MAX_DNS_ANSWERS) {
      this.dnsAnswers.delete(this.dnsAnswers.keys().next().value as number | string);
    }
    this.dnsAnswers.set(addr, name);
  }

  /** Counts upstream payload to a remote endpoint into the continuous-upload streak. */
  upload(ts: number, payloadBytes: number): void {
    if (this.uploadLast < 0 || ts - this.uploadLast > UPLOAD_GAP_S) {
      this.endUpload();
      this.uploadStart = ts;
      this.uploadBytes = 0;
    }
    this.uploadLast = ts;
    this.uploadBytes += payloadBytes;
    this.#noteStreak();
  }

  /** Closes the streak (a pause, or the window ends). */
  endUpload(): void {
    if (this.uploadStart >= 0) this.#noteStreak();
    this.uploadStart = this.uploadLast = -1;
    this.uploadBytes = 0;
  }

  #noteStreak(): void {
    const c = this.counters;
    const dur = this.uploadLast - this.uploadStart;
    if (
      dur > c.uploadLongestS ||
      (dur === c.uploadLongestS && this.uploadBytes > c.uploadLongestBytes)
    ) {
      c.uploadLongestS = dur;
      c.uploadLongestBytes = this.uploadBytes;
    }
  }
}
