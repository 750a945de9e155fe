/**
 * The allow-list (`--allow FILE`): what a household accepts. A JSON array (or `{"allow": [...]}`)
 * of entries `{ "mac": "aa:bb:…" | "*", "behaviour": "beaconing" | "*", "endpoint"?:
 * "203.0.113.9" | "203.0.113.9:443" | "2001:db8::9" | "[2001:db8::9]:443" | "name.example",
 * "reason": "…" }`. A finding that matches an entry raises no alert (and is counted against the
 * entry). An endpoint's address is written at load as findings write it (RFC 5952 for IPv6:
 * lower case, no leading zeros, the longest run of zero groups as `::`), so any valid textual
 * form matches; an address that is not one is refused.
 * @module
 */
import { readFileSync } from 'node:fs';
import { ipv4ToString, ipv6ToString, parseIpv4 } from '../decode/addr.js';
import { isBehaviour, type Finding } from '../detect/types.js';
import { parseIpv6 } from '../devices/lan.js';
import { HomewatchError } from '../util/errors.js';

export interface AllowEntry {
  mac: string;
  behaviour: string;
  endpoint?: string;
  reason: string;
}

export class AllowList {
  readonly entries: readonly AllowEntry[];
  /** Findings suppressed, per entry (same order). */
  readonly suppressed: number[];

  constructor(entries: readonly AllowEntry[] = []) {
    this.entries = entries;
    this.suppressed = entries.map(() => 0);
  }

  /** Reads and validates FILE; every problem is one line naming the file (exit 2). */
  static load(file: string): AllowList {
    const fail = (why: string): never => {
      throw new HomewatchError('ERR_USAGE', `--allow ${file}: ${why}`);
    };
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      fail(
        ((err as NodeJS.ErrnoException).code ?? 'cannot read').toLowerCase() === 'enoent'
          ? 'no such file'
          : `cannot read it (${(err as Error).message})`,
      );
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (err) {
      fail(`not JSON (${(err as Error).message})`);
    }
    const list = Array.isArray(data) ? data : (data as { allow?: unknown } | null)?.allow;
    if (!Array.isArray(list)) fail('expected a JSON array of {mac, behaviour, endpoint?, reason}');
    const entries: AllowEntry[] = [];
    (list as unknown[]).forEach((raw, i) => {
      const e = raw as Partial<AllowEntry> | null;
      const at = `entry ${i + 1}`;
      if (e === null || typeof e !== 'object') fail(`${at} is not an object`);
      const mac = String(e?.mac ?? '').toLowerCase();
      if (mac !== '*' && !/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/.test(mac))
        fail(`${at}: mac must be like aa:bb:cc:dd:ee:ff or "*", got '${e?.mac}'`);
      const behaviour = String(e?.behaviour ?? '');
      if (behaviour !== '*' && !isBehaviour(behaviour))
        fail(`${at}: unknown behaviour '${behaviour}'`);
      if (e?.endpoint !== undefined && typeof e.endpoint !== 'string')
        fail(`${at}: endpoint must be a string`);
      let endpoint: string | undefined;
      if (typeof e?.endpoint === 'string') {
        const n = normaliseEndpoint(e.endpoint);
        if (typeof n !== 'string') return fail(`${at}: endpoint '${e.endpoint}' ${n.problem}`);
        endpoint = n;
      }
      if (typeof e?.reason !== 'string' || e.reason.trim() === '')
        fail(`${at}: say why in "reason"`);
      entries.push({ mac, behaviour, endpoint, reason: String(e?.reason) });
    });
    return new AllowList(entries);
  }

  /** True when an entry allows this finding of the device `mac` (and counts it). */
  allows(mac: string, f: Finding): boolean {
    for (let i = 0; i < this.entries.length; i++) {
      const e = this.entries[i];
      if (e.mac !== '*' && e.mac !== mac) continue;
      if (e.behaviour !== '*' && e.behaviour !== f.behaviour) continue;
      if (e.endpoint !== undefined && !mentions(f, e.endpoint)) continue;
      this.suppressed[i]++;
      return true;
    }
    return false;
  }
}

/**
 * An endpoint as findings write it: an IPv6 address in RFC 5952 text, bracketed when it has a
 * port; an IPv4 address without leading zeros; a name in lower case. An IPv6 address has colons
 * of its own: only the bracketed form carries a port (a bare one with two colons or more is an
 * address), and text of digits and dots is meant as an IPv4 address.
 */
export function normaliseEndpoint(text: string): string | { problem: string } {
  const t = text.trim().toLowerCase();
  let addr = t;
  let port: string | undefined;
  let v6 = false;
  if (t.startsWith('[')) {
    const bracket = /^\[([^\]]*)\](?::(.*))?$/.exec(t);
    if (bracket === null) return { problem: 'must be [IPv6 address] or [IPv6 address]:port' };
    [addr, port, v6] = [bracket[1], bracket[2], true];
  } else if (t.indexOf(':') !== t.lastIndexOf(':')) {
    v6 = true;
  } else if (t.includes(':')) {
    [addr, port] = [t.slice(0, t.indexOf(':')), t.slice(t.indexOf(':') + 1)];
  }
  const not = (family: string) =>
    addr === t ? `is not an ${family} address` : `has '${addr}', which is not an ${family} address`;
  if (port !== undefined && (!/^\d{1,5}$/.test(port) || Number(port) > 65_535))
    return { problem: `has port '${port}': a port is a number from 0 to 65535` };
  const p = port === undefined ? '' : `:${Number(port)}`;
  if (v6) {
    const words = parseIpv6(addr);
    if (words === null) return { problem: not('IPv6') };
    return port === undefined ? ipv6ToString(words) : `[${ipv6ToString(words)}]${p}`;
  }
  if (addr === '') return { problem: 'names no address or name' };
  if (/^[\d.]+$/.test(addr)) {
    const ip = parseIpv4(addr);
    if (Number.isNaN(ip)) return { problem: not('IPv4') };
    addr = ipv4ToString(ip);
  }
  return addr + p;
}

/**
 * `ip:port`, `[ip6]:port` or a bare address or name → its address (or name) and port (-1: any).
 * An IPv6 address has colons of its own: only the bracketed form carries a port.
 */
function splitEndpoint(text: string): [string, number] {
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracket !== null) return [bracket[1], bracket[2] === undefined ? -1 : Number(bracket[2])];
  const colon = text.indexOf(':');
  if (colon < 0 || colon !== text.lastIndexOf(':')) return [text, -1];
  const port = text.slice(colon + 1);
  return /^\d+$/.test(port) ? [text.slice(0, colon), Number(port)] : [text, -1];
}

/** The finding is about `endpoint`: its key, or an address or name in its facts. */
function mentions(f: Finding, endpoint: string): boolean {
  const ep = endpoint.toLowerCase();
  const [epAddr, epPort] = splitEndpoint(ep);
  if (f.key === ep) return true;
  // A key `address:port` (beaconing's), split at its last colon: the port has none.
  const last = f.key.lastIndexOf(':');
  if (last > 0 && f.key.slice(0, last) === epAddr) {
    if (epPort < 0 || f.key.slice(last + 1) === String(epPort)) return true;
  }
  const facts = f.facts as Record<string, unknown>;
  for (const k of ['ip', 'name', 'domain', 'target', 'host']) {
    const v = facts[k];
    if (typeof v === 'string' && v.toLowerCase() === ep) return true;
  }
  const ip = facts.ip;
  return (
    typeof ip === 'string' && ip.toLowerCase() === epAddr && String(facts.port) === String(epPort)
  );
}
