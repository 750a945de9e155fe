/**
 * `crypto_mining`: a device mines for someone. One long TCP connection to a pool (by name
 * after a lookup, or a bare IP), newline-delimited JSON-RPC in clear: stratum v1
 * (`stratum`: mining.subscribe, mining.authorize, then mining.notify jobs and
 * mining.submit shares) or xmrig's Monero dialect (`xmrig`: login, job, submit,
 * keepalived). Port, pool, share rate (one every 5–60 s), job rate (every 20–90 s) and
 * duration (15–90 min) are drawn. Tune keys (bench/robustness.ts only): `port`; `named` (1 the
 * pool by name, 0 a bare address); `ipv6` 1: over IPv6 from the device's global address when
 * it has one (the pool's name looked up by A and AAAA).
 * @module
 */
import { ip6Text, ipText } from '../exchanges.js';
import { LabelEvent } from '../labels.js';
import { StratumV1, XmrigLogin, type Dialect } from '../protocols/stratum.js';
import { Script, msg } from '../script.js';
import type { Host, Sim } from '../sim.js';
import { lookupThen } from './common.js';
import { bareHost } from './internet.js';
import { tuned, type Injector } from './types.js';

const S = 1e6;
const MS = 1e3;

const MONERO_POOLS = [
  'pool.supportxmr.com',
  'xmr-eu1.nanopool.org',
  'gulf.moneroocean.stream',
  'xmr.2miners.com',
  'pool.hashvault.pro',
  'rx.unmineable.com',
];
const STRATUM_POOLS = ['stratum.f2pool.com', 'btc.viabtc.io', 'stratum.antpool.com', 'ss.btc.com'];
/** Plain-text stratum ports pools publish (443: the "firewall bypass" port some offer). */
const PORTS = [3333, 3333, 4444, 5555, 7777, 14444, 443, 3032, 10128, 20535, 45700];
const XMRIG_AGENTS = [
  'XMRig/6.21.0 (Linux x86_64) libuv/1.44.2 gcc/12.2.0',
  'XMRig/6.20.0 (Linux armv7l) libuv/1.42.0 gcc/9.4.0',
  'XMRig/5.11.1 (Linux aarch64) libuv/1.34.2 gcc/9.3.0',
];
const STRATUM_AGENTS = ['cpuminer/2.5.1', 'cgminer/4.12.0', 'bfgminer/5.5.0', 'sgminer/5.6.1'];

function wallet(sim: Sim, monero: boolean): string {
  const alphabet = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
  let s = monero ? '4' : '1';
  for (let i = 0; i < (monero ? 94 : 33); i++) s += alphabet[sim.rng.int(0, alphabet.length - 1)];
  return s;
}

export const cryptoMining: Injector = {
  behaviour: 'crypto_mining',
  kinds: ['tv', 'hub', 'camera', 'printer', 'laptop'],
  variants: [
    ['stratum', 0.5],
    ['xmrig', 0.5],
  ],
  durationS: () => [15 * 60, 90 * 60],
  inject(sim: Sim, p) {
    const r = sim.rng;
    const d = p.dev;
    const xmrig = p.variant === 'xmrig';
    const dialect: Dialect = xmrig ? new XmrigLogin() : new StratumV1();
    const named = tuned(p, 'named', r.chance(0.7) ? 1 : 0) === 1;
    const v6 = tuned(p, 'ipv6', 0) === 1 && d.ip6 !== null;
    const host: Host = named
      ? sim.host(r.pick(xmrig ? MONERO_POOLS : STRATUM_POOLS))
      : bareHost(sim);
    const port = tuned(p, 'port', r.pick(PORTS));
    const shareUs = r.range(5, 60) * S;
    const jobUs = r.range(20, 90) * S;
    const worker = `${d.hostname.toLowerCase().replace(/[^a-z0-9]/g, '')}`.slice(0, 12) || 'w1';
    const agent = xmrig ? r.pick(XMRIG_AGENTS) : r.pick(STRATUM_AGENTS);
    const label = new LabelEvent(d.mac, ['crypto_mining'], ['anomaly', 'beaconing'], p.variant, {
      pool: named ? host.name : '',
      endpoint: v6 ? `[${ip6Text(host.ip6)}]:${port}` : `${ipText(host.ip4)}:${port}`,
      shareEveryS: Math.round(shareUs / S),
      jobEveryS: Math.round(jobUs / S),
    });
    const epochS = (t: number): number => sim.epochUs(t) / S;
    let nextShare = 0;
    let nextJob = 0;
    const s = new Script(sim, named ? r.range(200, 3000) : p.startUs, {
      conn: sim.connToHost(d, host, port, v6),
      close: 'finA',
      // Between messages: whichever of the next share, the next job or a keep-alive is due.
      more: (sim2, sc) => {
        const now = sim2.now;
        if (nextShare === 0) {
          nextShare = now + sim2.rng.exp(shareUs);
          nextJob = now + jobUs * sim2.rng.range(0.7, 1.3);
        }
        const keep = dialect.hasKeepalive ? now + 60 * S : Infinity;
        const t = Math.min(nextShare, nextJob, keep);
        if (t > p.endUs) return false;
        if (t === nextJob) {
          sc.push(msg(false, dialect.job(sim2.rng, epochS(t)), t - now));
          nextJob = t + jobUs * sim2.rng.range(0.7, 1.3);
        } else if (t === nextShare) {
          sc.push(
            msg(true, dialect.submit(sim2.rng, worker, epochS(t)), t - now),
            msg(false, dialect.accepted(), sim2.rng.range(30, 200) * MS),
          );
          nextShare = t + sim2.rng.exp(shareUs);
        } else {
          const ka = dialect.keepalive();
          sc.push(
            msg(true, ka, t - now),
            msg(false, dialect.keptAlive(), sim2.rng.range(30, 200) * MS),
          );
        }
        return true;
      },
    });
    const w = wallet(sim, xmrig);
    s.push(
      msg(true, dialect.hello(r, agent, w, worker), 0),
      msg(false, dialect.welcome(r, epochS(p.startUs)), r.range(40, 250) * MS),
    );
    s.label = label;
    if (named) lookupThen(sim, d, host, p.startUs, s, label, v6);
    else sim.schedule(s);
    return label;
  },
};
