/**
 * `crypto_mining`: mining-pool protocol. Cold start. Stratum JSON-RPC (`mining.subscribe`,
 * `mining.authorize`, xmrig's `login`, the Ethereum proxies' `eth_submitLogin`, …) seen on any
 * port is certain; a DNS lookup of a well-known pool's name alone is a weaker sign.
 * @module
 */
import { clock, endpoint, list, plural } from '../alerts/words.js';
import type { DetectContext, Detector, EpisodeView, Finding } from './types.js';

/** Registrable domains of public mining pools (lookups of them are a sign of a miner). */
export const POOL_DOMAINS: ReadonlySet<string> = new Set([
  'minexmr.com',
  'supportxmr.com',
  'nanopool.org',
  'nicehash.com',
  '2miners.com',
  'f2pool.com',
  'ethermine.org',
  'hashvault.pro',
  'moneroocean.stream',
  'herominers.com',
  'c3pool.com',
  'unmineable.com',
  'dwarfpool.com',
  'slushpool.com',
  'antpool.com',
  'viabtc.com',
  'xmrpool.eu',
  'minergate.com',
  'coinhive.com',
  'crypto-pool.fr',
]);

export interface CryptoMiningFacts {
  /** Pool endpoints, at most 3. */
  pools: string[];
  methods: string[];
  messages: number;
  /** Pool names looked up, at most 3. */
  lookups: string[];
}

/** The last labels of POOL_DOMAINS: a name ending in none of them cannot be under a pool. */
const POOL_TOP_LABELS: ReadonlySet<string> = new Set(
  [...POOL_DOMAINS].map((d) => d.slice(d.lastIndexOf('.') + 1)),
);

/**
 * Whether `name` is a pool's domain or a name under one: each suffix of two labels or more is
 * looked up (read in place, no array of labels; every name of every window goes through here).
 */
function poolDomain(name: string): boolean {
  const last = name.lastIndexOf('.');
  if (last < 0 || !POOL_TOP_LABELS.has(name.slice(last + 1))) return false;
  for (let start = 0; start <= last; start = name.indexOf('.', start) + 1) {
    if (POOL_DOMAINS.has(name.slice(start))) return true;
  }
  return false;
}

export class CryptoMiningDetector implements Detector<CryptoMiningFacts> {
  readonly behaviour = 'crypto_mining' as const;
  readonly needsBaseline = false;
  readonly advice =
    'The device is mining cryptocurrency for someone else, which means it is compromised: reset it to factory settings, update its firmware, change its passwords, and block the pool address on the router.';

  detect(ctx: DetectContext): Finding<CryptoMiningFacts>[] {
    const ev = ctx.w.evidence;
    const lookups = ev.dnsNames.filter(poolDomain);
    if (ev.stratum.length === 0 && lookups.length === 0) return [];
    const pools = [...new Set(ev.stratum.map((s) => endpoint(s.ip, s.port, s.name)))];
    return [
      {
        behaviour: 'crypto_mining',
        key: '',
        ts: ev.stratum[0]?.ts ?? ctx.w.record.start,
        score: ev.stratum.length > 0 ? 0.97 : 0.6,
        severity: ev.stratum.length > 0 ? 'high' : 'medium',
        facts: {
          pools: pools.slice(0, 3),
          methods: [...new Set(ev.stratum.map((s) => s.method))].slice(0, 4),
          messages: ev.stratum.reduce((n, s) => n + s.count, 0),
          lookups: lookups.slice(0, 3),
        },
      },
    ];
  }

  merge(ep: CryptoMiningFacts, next: CryptoMiningFacts): CryptoMiningFacts {
    return {
      pools: [...new Set([...ep.pools, ...next.pools])].slice(0, 3),
      methods: [...new Set([...ep.methods, ...next.methods])].slice(0, 4),
      messages: ep.messages + next.messages,
      lookups: [...new Set([...ep.lookups, ...next.lookups])].slice(0, 3),
    };
  }

  sentence(ep: EpisodeView<CryptoMiningFacts>): string {
    const f = ep.facts;
    const since = clock(ep.since, ep.last);
    if (f.pools.length === 0)
      return `${ep.who} has looked up the mining ${f.lookups.length > 1 ? 'pools' : 'pool'} ${list(f.lookups, 2)} since ${since}: a sign of a cryptocurrency miner.`;
    return `${ep.who} has been talking to the mining ${f.pools.length > 1 ? 'pools' : 'pool'} ${list(f.pools, 2)} since ${since} (${plural(f.messages, 'stratum message')}: ${list(f.methods, 3)}): it is mining cryptocurrency.`;
  }
}
