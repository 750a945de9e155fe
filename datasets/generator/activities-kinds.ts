/**
 * Activities of the kinds only scenario homes have, and of the LAN hosts that use them:
 * a talking toy's voice exchanges and content downloads, a lock bridge's MQTT-TLS
 * keep-alive and lock/unlock commands, a thermostat's small reports, a printer's mDNS
 * services, and the SNMP status polls, IPP queries and print jobs computers send it.
 * @module
 */
import { ownPeriod, viaDns, type Activity } from './activities.js';
import { ipText } from './exchanges.js';
import { ipv4MulticastMac, type Conn } from './frames.js';
import { httpRequest, httpResponse } from './protocols/http-message.js';
import {
  IPP_PORT,
  ippGetPrinterAttributes,
  ippJobCreated,
  ippPrintJobHead,
  ippPrinterAttributes,
} from './protocols/ipp.js';
import { writeMdnsServices } from './protocols/mdns-services.js';
import {
  OID_HR_DEVICE_STATUS,
  OID_HR_PRINTER_STATUS,
  OID_MARKER_LEVEL,
  OID_SYS_DESCR,
  SNMP_PORT,
  snmpGet,
  snmpResponse,
} from './protocols/snmp.js';
import { Script, Steps, msg, sendUdp } from './script.js';
import type { Device, Sim } from './sim.js';

const S = 1e6;
const MS = 1e3;
const MDNS_GROUP = 0xe00000fb;
/** A TLS 1.2 record holding a 2-byte MQTT PINGREQ/PINGRESP (5 + 8 + 2 + 16 AEAD). */
const MQTT_PING_RECORD = 31;

/** A few seconds of speech up (≈32 kbit/s, 250 ms chunks), then the spoken answer down. */
const voiceExchange: Activity = (sim, d) => {
  const r = sim.rng;
  const chunks = r.int(8, 32);
  viaDns(sim, d, d.vendor.cloud[0], 443, false, 0, {
    rounds: chunks,
    upMin: 900,
    upMax: 1100,
    downMin: 0,
    downMax: 0,
    pauseMinUs: 240 * MS,
    pauseMaxUs: 260 * MS,
    ackEvery: 2,
  });
  viaDns(sim, d, d.vendor.cloud[0], 443, false, chunks * 250 * MS + r.range(0.5, 1.5) * S, {
    upMin: 200,
    upMax: 600,
    downMin: 15_000,
    downMax: 60_000,
    segGapUs: 300,
    ackEvery: 2,
  });
};

/** New stories or songs for the toy: a download from its content host. */
const contentFetch: Activity = (sim, d) => {
  viaDns(sim, d, d.vendor.cloud[1] ?? d.vendor.cloud[0], 443, false, 0, {
    downMin: 100_000,
    downMax: 600_000,
    segGapUs: 200,
    ackEvery: 2,
  });
};

/**
 * One MQTT-TLS connection kept up for good, a PINGREQ/PINGRESP every keep-alive period of
 * this bridge (30–60 s, ±1 %): beacon-like, and perfectly normal.
 */
const mqttKeepalive: Activity = (sim, d) => {
  const period = ownPeriod(sim, d, 'keepalive', 30, 60);
  viaDns(sim, d, d.vendor.cloud[0], d.vendor.cloudPort, false, 0, {
    rounds: Math.ceil((48 * 3600 * S) / period),
    upMin: MQTT_PING_RECORD,
    upMax: MQTT_PING_RECORD,
    downMin: MQTT_PING_RECORD,
    downMax: MQTT_PING_RECORD,
    pauseMinUs: period * 0.99,
    pauseMaxUs: period * 1.01,
    ackEvery: 1,
  });
};

/** Locked or unlocked: a small status exchange with the vendor's API. */
const lockCommand: Activity = (sim, d) => {
  viaDns(sim, d, d.vendor.cloud[1] ?? d.vendor.cloud[0], 443, false, 0, {
    rounds: sim.rng.int(1, 2),
    upMin: 300,
    upMax: 900,
    downMin: 200,
    downMax: 800,
  });
};

/** A thermostat's periodic report: a short TLS exchange of a few hundred bytes. */
const report: Activity = (sim, d) => {
  viaDns(sim, d, d.vendor.cloud[0], d.vendor.cloudPort, false, 0, {
    rounds: sim.rng.int(1, 2),
    upMin: 300,
    upMax: 1200,
    downMin: 100,
    downMax: 500,
  });
};

/** The printer's mDNS services: IPP, LPD and raw port 9100, with the TXT keys AirPrint reads. */
function announcePrinter(sim: Sim, p: Device): void {
  const m = p.vendor.model;
  const txt = [
    'txtvers=1',
    'qtotal=1',
    'rp=ipp/print',
    `ty=${m}`,
    `product=(${m})`,
    'pdl=application/pdf,image/urf,image/pwg-raster',
    `UUID=${p.uuid}`,
    'Color=T',
    'Duplex=T',
    'URF=CP1,IS1-5-7,MT1-2-3-5-12,RS300-600,SRGB24,W8,DM1',
  ];
  const c: Conn = {
    v6: false,
    macA: p.mac,
    macB: ipv4MulticastMac(MDNS_GROUP),
    ip4A: p.ip4,
    ip4B: MDNS_GROUP,
    ip6A: null,
    ip6B: null,
    portA: 5353,
    portB: 5353,
    ttlA: 255,
    ttlB: 255,
  };
  const off = sim.f.beginUdp(false);
  const len = writeMdnsServices(sim.buf, off, p.hostname, p.ip4, `${m} [${p.hostname.slice(-6)}]`, [
    { type: '_ipp._tcp', port: IPP_PORT, txt },
    { type: '_printer._tcp', port: 515, txt: ['txtvers=1', 'qtotal=1', 'rp=auto', `ty=${m}`] },
    { type: '_pdl-datastream._tcp', port: 9100, txt: ['txtvers=1', `ty=${m}`] },
  ]);
  sim.f.endUdp(sim.epochUs(sim.now), c, true, len, len);
}

const printerAnnounce: Activity = (sim, d) => announcePrinter(sim, d);

/** A computer polls the printer's status by SNMPv2c (sysDescr, device and printer status, toner). */
const printerPoll: Activity = (sim, d) => {
  const p = sim.findDevice(['printer'], d);
  if (p === null) return;
  const c = sim.connLan(d, p, SNMP_PORT);
  const id = sim.rng.int(1, 0x7fffffff);
  const oids = [OID_SYS_DESCR, OID_HR_DEVICE_STATUS, OID_HR_PRINTER_STATUS, OID_MARKER_LEVEL];
  const level = sim.rng.int(5, 100);
  sim.schedule(
    new Steps(sim.now, (sim2, i) => {
      if (i === 0) {
        sendUdp(sim2, c, true, snmpGet('public', id, oids));
        return sim2.rng.range(2, 30) * MS;
      }
      sendUdp(
        sim2,
        c,
        false,
        snmpResponse('public', id, [
          [OID_SYS_DESCR, `${p.vendor.model}; FW:${2000 + (p.mac % 400)}`],
          [OID_HR_DEVICE_STATUS, 2],
          [OID_HR_PRINTER_STATUS, 3],
          [OID_MARKER_LEVEL, level],
        ]),
      );
      return -1;
    }),
  );
};

function ippPost(
  sim: Sim,
  d: Device,
  p: Device,
  body: Buffer,
  bodyLen: number,
  answer: Buffer,
): void {
  const host = `${ipText(p.ip4)}:${IPP_PORT}`;
  const head = httpRequest('POST', '/ipp/print', [
    ['Host', host],
    ['Content-Type', 'application/ipp'],
    ['Content-Length', String(bodyLen)],
    ['User-Agent', 'CUPS/2.4.2 (Linux 6.1.0; x86_64) IPP/2.0'],
  ]);
  const resp = httpResponse(200, 'OK', [['Content-Type', 'application/ipp']], answer.length);
  const s = new Script(sim, sim.now, {
    conn: sim.connLan(d, p, IPP_PORT),
    rttUs: sim.rng.range(1, 5) * MS,
    segGapUs: 200,
    ackEvery: 2,
  });
  s.push(
    msg(true, Buffer.concat([Buffer.from(head, 'latin1'), body]), 0, head.length + bodyLen),
    msg(false, Buffer.concat([Buffer.from(resp, 'latin1'), answer]), sim.rng.range(3, 40) * MS),
  );
  sim.schedule(s);
}

/** A computer or phone asks the printer its state and ink levels over IPP. */
const ippQuery: Activity = (sim, d) => {
  const p = sim.findDevice(['printer'], d);
  if (p === null) return;
  const id = sim.rng.int(1, 1000);
  const uri = `ipp://${p.hostname}.local:${IPP_PORT}/ipp/print`;
  const req = ippGetPrinterAttributes(id, uri);
  const levels = [
    sim.rng.int(5, 100),
    sim.rng.int(5, 100),
    sim.rng.int(5, 100),
    sim.rng.int(5, 100),
  ];
  ippPost(sim, d, p, req, req.length, ippPrinterAttributes(id, 3, levels));
};

/** Now and then a print job: a PDF of 40–200 KB sent with Print-Job. */
const printJob: Activity = (sim, d) => {
  if (!sim.rng.chance(0.3)) return;
  const p = sim.findDevice(['printer'], d);
  if (p === null) return;
  const id = sim.rng.int(1, 1000);
  const uri = `ipp://${p.hostname}.local:${IPP_PORT}/ipp/print`;
  const head = Buffer.concat([
    ippPrintJobHead(id, uri, 'tom', `Document ${sim.rng.int(1, 99)}`),
    Buffer.from('%PDF-1.7\n', 'latin1'),
  ]);
  const size = head.length + sim.rng.int(40_000, 200_000);
  ippPost(sim, d, p, head, size, ippJobCreated(id, sim.rng.int(100, 999), uri));
};

export const KIND_ACTIVITIES: Record<string, Activity> = {
  voiceExchange,
  contentFetch,
  mqttKeepalive,
  lockCommand,
  report,
  printerAnnounce,
  printerPoll,
  ippQuery,
  printJob,
};
