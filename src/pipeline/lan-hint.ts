/**
 * When a replay finds no device, every sender used a non-local address: the capture's LAN is
 * probably on public addresses. The pipeline tallies IPv4 senders while no device exists (and
 * stops as soon as one does: nothing to pay on ordinary captures), and the replay suggests the
 * `--lan` that would make its busiest senders devices.
 * @module
 */
import { ipv4ToString } from '../decode/addr.js';

const MAX_SENDERS = 4096;

export class SenderTally {
  readonly #packets = new Map<number, number>();

  add(src4: number): void {
    const m = this.#packets;
    const n = m.get(src4);
    if (n !== undefined) m.set(src4, n + 1);
    else if (m.size < MAX_SENDERS) m.set(src4, 1);
  }

  /** Senders, busiest first. */
  busiest(max: number): [ip: number, packets: number][] {
    return [...this.#packets].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, max);
  }
}

/** The hint line, or '' when there were no IPv4 senders at all. */
export function lanHint(tally: SenderTally): string {
  const top = tally.busiest(3);
  if (top.length === 0) return '';
  const nets = [...new Set(top.map(([ip]) => `${ipv4ToString(ip & 0xffffff00)}/24`))];
  const senders = top.map(
    ([ip, n]) => `${ipv4ToString(ip)} (${n.toLocaleString('en-US')} packets)`,
  );
  return `no device found: every sender used a public address; if the capture's LAN uses public addresses, replay with ${nets.map((n) => `--lan ${n}`).join(' ')} (busiest senders: ${senders.join(', ')})`;
}
