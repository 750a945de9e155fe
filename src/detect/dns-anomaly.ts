/**
 * `dns_anomaly`: DNS used as a tunnel or by a domain-generation algorithm. Cold start.
 * - Tunnel: many distinct names under one domain in a window, with long or random-looking
 *   labels, or many TXT/NULL queries (iodine, dnscat2, DNS exfiltration).
 * - DGA: a burst of failing lookups (NXDOMAIN) of random-looking names across many domains,
 *   the way malware looks for its command server. A DGA that trickles (a name every 20 s,
 *   as some look up their list slowly to stay quiet) never fills one window: the failing
 *   names of the last DGA_HORIZON_S are kept per device and judged the same way (not for
 *   phones and computers, whose lookups follow what their user reads).
 * For a device past its learning phase, a domain it used in its normal is not judged.
 * @module
 */
import { registrableDomain } from '../baseline/domain.js';
import { clock, list, plural } from '../alerts/words.js';
import type { DnsDomainEvidence } from '../features/evidence.js';
import { RecentKeys } from './recent.js';
import { isGeneralPurpose } from './services.js';
import type { DetectContext, Detector, EpisodeView, Finding } from './types.js';

/** Distinct names under one domain in a window that can make a tunnel. */
export const TUNNEL_NAMES = 15;
/** A label this long is tunnel-sized (DNS allows 63). */
export const TUNNEL_LABEL = 30;
/** Random-looking: entropy (bits/char) of labels at least this, with labels at least 16 long. */
export const RANDOM_ENTROPY = 4;
/** TXT/NULL queries under one domain in a window that can make a tunnel. */
export const TUNNEL_TXT = 10;
/**
 * Tunnel-sized names (a label of TUNNEL_LABEL octets, random-looking) in a window, whatever
 * domains they fall under, that make a tunnel (dnscat2 without a domain of its own).
 */
export const TUNNEL_SIZED = 20;
/** NXDOMAIN answers in a window, across at least DGA_DOMAINS domains, that make a DGA burst. */
export const DGA_NX = 10;
export const DGA_DOMAINS = 5;
/** Seconds over which a device's failing names add up (a DGA at one name a minute fills it). */
export const DGA_HORIZON_S = 900;
/** Failing names kept per device over the horizon (the oldest dropped first). */
const MAX_NX_KEPT = 256;

/** The DGA test: enough failing names, over enough domains, mostly random-looking. */
function dgaLike(
  nx: readonly string[],
  nxCount: number,
): { domains: number; random: string[] } | null {
  if (nxCount < DGA_NX) return null;
  const domains = new Set(nx.map(registrableDomain));
  const random = nx.filter((n) => entropy(n.split('.')[0]) >= 3);
  if (domains.size < DGA_DOMAINS || random.length * 2 < nx.length) return null;
  return { domains: domains.size, random };
}

export interface DnsAnomalyFacts {
  kind: 'tunnel' | 'dga';
  /** The tunnel spread over many domains (no single domain of its own). */
  dispersed: boolean;
  domain: string;
  names: number;
  queries: number;
  nxdomain: number;
  txtNull: number;
  longestLabel: number;
  examples: string[];
}

/** Shannon entropy of a string, bits per character. */
export function entropy(s: string): number {
  if (s.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** A name fit for a sentence: printable, at most 80 characters. */
export function printableName(name: string): string {
  const clean = name.replace(/[^\x21-\x7e]/g, '?');
  return clean.length > 80 ? `${clean.slice(0, 77)}...` : clean;
}

function tunnelSized(d: DnsDomainEvidence): boolean {
  return d.longestLabel >= TUNNEL_LABEL && d.maxEntropy >= 3.5;
}

function tunnelLike(d: DnsDomainEvidence): boolean {
  if (d.names < TUNNEL_NAMES && d.txtNull < TUNNEL_TXT) return false;
  if (d.txtNull >= TUNNEL_TXT && d.names >= TUNNEL_TXT) return true;
  return (
    d.names >= TUNNEL_NAMES &&
    (d.longestLabel >= TUNNEL_LABEL || (d.maxEntropy >= RANDOM_ENTROPY && d.longestLabel >= 16))
  );
}

export class DnsAnomalyDetector implements Detector<DnsAnomalyFacts> {
  readonly behaviour = 'dns_anomaly' as const;
  readonly needsBaseline = false;
  readonly advice =
    'DNS is being used to smuggle data or to find a command server, a sign of malware: disconnect the device, reset and update it; consider a filtering DNS resolver on the router.';
  /** Per device: failing names of the last DGA_HORIZON_S. */
  readonly #recentNx = new RecentKeys(DGA_HORIZON_S, MAX_NX_KEPT);

  forget(mac: string): void {
    this.#recentNx.forget(mac);
  }

  snapshot(): unknown {
    return this.#recentNx.snapshot();
  }

  restore(saved: unknown): void {
    this.#recentNx.restore(saved, 'dns_anomaly');
  }

  detect(ctx: DetectContext): Finding<DnsAnomalyFacts>[] {
    const { w, baseline, judged } = ctx;
    const ev = w.evidence;
    const out: Finding<DnsAnomalyFacts>[] = [];
    for (const d of ev.dns) {
      if (!tunnelLike(d)) continue;
      if (judged && baseline.knowsDomain(d.domain)) continue;
      out.push({
        behaviour: 'dns_anomaly',
        key: d.domain,
        ts: w.record.start,
        score: Math.min(1, 0.7 + d.names / 200),
        severity: 'medium',
        facts: {
          kind: 'tunnel',
          dispersed: false,
          domain: d.domain,
          names: d.names,
          queries: d.queries,
          nxdomain: d.nxdomain,
          txtNull: d.txtNull,
          longestLabel: d.longestLabel,
          examples: [printableName(d.example)],
        },
      });
    }
    if (out.length === 0) {
      const sized = ev.dns.filter(
        (d) => tunnelSized(d) && !(judged && baseline.knowsDomain(d.domain)),
      );
      const names = sized.reduce((n, d) => n + d.names, 0);
      if (names >= TUNNEL_SIZED) {
        // The evidence lists the busiest domains only: the window's own counts say how many.
        const f = w.record.features;
        out.push({
          behaviour: 'dns_anomaly',
          key: 'tunnel',
          ts: w.record.start,
          score: Math.min(1, 0.65 + names / 200),
          severity: 'medium',
          facts: {
            kind: 'tunnel',
            dispersed: true,
            domain: '',
            names: Math.max(names, f.dnsNames ?? 0),
            queries: Math.max(
              sized.reduce((n, d) => n + d.queries, 0),
              f.dnsQueries ?? 0,
            ),
            nxdomain: sized.reduce((n, d) => n + d.nxdomain, 0),
            txtNull: Math.max(
              sized.reduce((n, d) => n + d.txtNull, 0),
              f.dnsTxtNullQueries ?? 0,
            ),
            longestLabel: Math.max(...sized.map((d) => d.longestLabel)),
            examples: sized.slice(0, 2).map((d) => printableName(d.example)),
          },
        });
      }
    }
    const nx = ev.nxNames;
    // A browser's lookups follow the pages read (and a blocking resolver fails trackers' names):
    // only a device that looks up its own few names is judged over the horizon.
    const recent = this.#recentNx.add(w.device.macStr, nx, w.record.end);
    const nxCount = w.record.features.dnsNxdomain ?? nx.length;
    // This window's burst, or else (when this window failed some lookups) the recent ones.
    let dga = dgaLike(nx, nxCount);
    let count = nxCount;
    if (dga === null && nx.length > 0 && !isGeneralPurpose(ctx.kind)) {
      dga = dgaLike(recent, recent.length);
      count = recent.length;
    }
    if (dga !== null) {
      const { domains, random } = dga;
      out.push({
        behaviour: 'dns_anomaly',
        key: 'dga',
        ts: w.record.start,
        score: Math.min(1, 0.6 + count / 100),
        severity: 'medium',
        facts: {
          kind: 'dga',
          dispersed: false,
          domain: '',
          names: domains,
          queries: w.record.features.dnsQueries ?? 0,
          nxdomain: count,
          txtNull: 0,
          longestLabel: 0,
          examples: random.slice(0, 3).map(printableName),
        },
      });
    }
    return out;
  }

  merge(ep: DnsAnomalyFacts, next: DnsAnomalyFacts): DnsAnomalyFacts {
    return {
      ...ep,
      names: ep.names + next.names,
      queries: ep.queries + next.queries,
      nxdomain: ep.nxdomain + next.nxdomain,
      txtNull: ep.txtNull + next.txtNull,
      longestLabel: Math.max(ep.longestLabel, next.longestLabel),
      examples: [...new Set([...ep.examples, ...next.examples])].slice(0, 3),
    };
  }

  sentence(ep: EpisodeView<DnsAnomalyFacts>): string {
    const f = ep.facts;
    const since = clock(ep.since, ep.last);
    if (f.kind === 'dga')
      return `${ep.who} has looked up ${plural(f.nxdomain, 'name')} that do not exist since ${since}, random-looking ones such as ${list(f.examples, 2)}: the pattern of malware searching for its command server.`;
    const txt = f.txtNull > 0 ? `, ${plural(f.txtNull, 'TXT/NULL query', 'TXT/NULL queries')}` : '';
    if (f.dispersed)
      return `${ep.who} has sent ${plural(f.queries, 'DNS query', 'DNS queries')} for ${plural(f.names, 'different name')} since ${since} (labels up to ${f.longestLabel} characters of random-looking data${txt}, e.g. ${f.examples[0]}): data is being tunnelled through DNS.`;
    return `${ep.who} has sent ${plural(f.queries, 'DNS query', 'DNS queries')} for ${plural(f.names, 'different name')} under ${f.domain} since ${since} (labels up to ${f.longestLabel} characters${txt}, e.g. ${f.examples[0]}): data is being tunnelled through DNS.`;
  }
}
