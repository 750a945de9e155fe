/**
 * A denial-of-service flood as a botnet member sends it (Mirai's `udpplain`, `syn`, `greip`,
 * Gafgyt's ICMP flood), for the robustness sweep only: `abnormal_upload` injects it in place of
 * its audio stream when the tune key `floodPps` is set, so the homes the generator draws are
 * unchanged. Tune keys: `floodPps` (packets a second), `floodProto` (17 UDP with 512 bytes,
 * 6 bare SYNs, 47 GRE carrying IPv4 + UDP with 512 bytes, 1 ICMP echo), `floodPort` (0: a
 * random port a packet), `forged` (1: a random source address a packet, Mirai's `source=`
 * left random), `lanTarget` (1: a device of the LAN instead of an internet host).
 * @module
 */
import { IPPROTO_GRE, IPPROTO_ICMP, IPPROTO_UDP, TCP_SYN } from '../frames.js';
import { LabelEvent } from '../labels.js';
import { Steps } from '../script.js';
import type { Sim } from '../sim.js';
import { tuned, type InjectPlan } from './types.js';

const S = 1e6;
/** Most packets one flood writes. */
const MAX_PACKETS = 400_000;
const PAYLOAD = 512;

/** Schedules the flood of plan `p` at `pps` packets a second; its label. */
export function injectFlood(sim: Sim, p: InjectPlan, pps: number): LabelEvent {
  const d = p.dev;
  const proto = tuned(p, 'floodProto', IPPROTO_UDP);
  const port = tuned(p, 'floodPort', 80);
  const forged = tuned(p, 'forged', 0) === 1;
  const lan = tuned(p, 'lanTarget', 0) === 1 ? sim.findDevice(['hub', 'camera', 'tv'], d) : null;
  const c =
    lan !== null
      ? sim.connLan(d, lan, port)
      : sim.connToHost(d, sim.freshHost('flood target'), port, false);
  const seconds = (p.endUs - p.startUs) / S;
  const packets = Math.min(MAX_PACKETS, Math.round(pps * seconds));
  const label = new LabelEvent(d.mac, ['abnormal_upload'], ['anomaly'], 'flood', {
    pps,
    proto,
    forged: forged ? 1 : 0,
    lan: lan === null ? 0 : 1,
    packets,
  });
  const own = c.ip4A;
  let sent = 0;
  const s = new Steps(p.startUs, (sim2) => {
    const r = sim2.rng;
    const f = sim2.f;
    const ts = sim2.epochUs(sim2.now);
    c.ip4A = forged ? r.u32() : own;
    c.portA = r.int(1024, 65535);
    if (port === 0) c.portB = r.int(1, 65535);
    if (proto === IPPROTO_UDP) {
      f.beginUdp(false);
      f.endUdp(ts, c, true, 0, PAYLOAD);
    } else if (proto === IPPROTO_GRE) {
      const at = f.beginIp(false);
      f.buf.writeUInt32BE(0x0800, at); // no flags, version 0, IPv4 inside
      f.buf.writeUInt32BE(0x45000000 + 28 + PAYLOAD, at + 4);
      f.buf.writeUInt32BE(0, at + 8);
      f.buf.writeUInt32BE(0x40110000, at + 12); // TTL 64, UDP
      f.buf.writeUInt32BE(r.u32(), at + 16);
      f.buf.writeUInt32BE(c.ip4B >>> 0, at + 20);
      f.endIp(ts, c, true, IPPROTO_GRE, 24, 4 + 28 + PAYLOAD);
    } else if (proto === IPPROTO_ICMP) {
      const at = f.beginIp(false);
      f.buf.writeUInt32BE(0x08000000, at); // echo request (RFC 792)
      f.buf.writeUInt32BE(0x04d20000 + (sent & 0xffff), at + 4);
      f.endIp(ts, c, true, IPPROTO_ICMP, 8, 64);
    } else {
      f.beginTcp(false, true, false);
      f.endTcp(ts, c, true, TCP_SYN, r.u32(), 0, 0, 0);
    }
    sent++;
    return sent < packets ? S / pps : -1;
  });
  s.label = label;
  sim.schedule(s);
  return label;
}
