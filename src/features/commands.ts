/**
 * Dropper commands sent to a device in clear text: the shell commands an IoT botnet's loader
 * types into a telnet session once it has logged in (Mirai, Gafgyt/Bashlite, Hajime), or that a
 * router or camera exploit carries in an HTTP request's query or body (GPON `dest_host=`, Huawei
 * HG532 `NewStatusURL`, JAWS `/shell?`, ThinkPHP `invokefunction`, Realtek SDK): a fetch
 * (`wget`, `curl`, `tftp`, `ftpget`) of a program, often with its run step (`chmod`, `sh`,
 * `./x`, `| sh`), or the echo loader writing an ELF through the shell as hex escapes
 * (`echo -ne '\x7f\x45\x4c\x46…'`). When the download that follows is over HTTPS, or not in the
 * capture, the command is the only evidence.
 *
 * Read only where such commands arrive: what another host sends to a device's own TCP service
 * (the flow's responder), when the flow is telnet (23, 2323, or it opens with telnet option
 * negotiation), an HTTP request, or a session whose first bytes are plain text; at most
 * COMMAND_BYTES of it a flow. Encrypted streams and binary protocols are not read at all.
 * Nothing of the payload is kept: a match is the tool, the URL (or host and file) it was told
 * to fetch and whether a run step came with it.
 * @module
 */

import { commandAt, type CommandMatch, type CommandService, hasRunStep } from './command-line.js';

export type { CommandMatch, CommandService, CommandTool } from './command-line.js';

/** Payload bytes read a flow (towards the device), from its start. */
export const COMMAND_BYTES = 8192;
/** Longest line kept; a longer one is read in overlapping pieces. */
const LINE_MAX = 512;
/** Bytes kept of a full line for the next piece (a command cut at the edge). */
const LINE_KEEP = 160;
/** Commands reported a flow; then it is no longer read. */
const MAX_MATCHES = 3;
/** First bytes of a session that must all be text for it to be read as a shell session. */
const TEXT_SNIFF = 32;

/** Bytes a command can start with (commandAt): `w`get, `c`url, `t`ftp, `f`tpget, `\\x7f`. */
const COMMAND_START = new Uint8Array(256);
for (const c of 'wctf\\') COMMAND_START[c.charCodeAt(0)] = 1;

const TELNET_PORTS = new Set([23, 2323]);
const HTTP_METHODS = new Set(['GET', 'POST', 'PUT', 'HEAD', 'OPTIONS', 'DELETE', 'PATCH']);

/** Telnet (RFC 854) command bytes: IAC, SB, SE, and WILL…DONT (251–254) take an option byte. */
const IAC = 0xff;
const SB = 0xfa;
const SE = 0xf0;
const WILL = 0xfb;
/** Telnet parser states. */
const T_DATA = 0;
const T_IAC = 1;
const T_OPTION = 2;
const T_SUB = 3;
const T_SUB_IAC = 4;

/**
 * Whether the first payload another host sends to a device's TCP service `port` opens a session
 * worth reading for commands, and as what; null for anything else (TLS, binary protocols).
 */
export function sessionService(
  buf: Uint8Array,
  off: number,
  len: number,
  port: number,
): CommandService | null {
  if (len <= 0 || off + len > buf.length) return null;
  if (TELNET_PORTS.has(port)) return 'telnet';
  const b0 = buf[off];
  if (b0 === IAC) return len >= 2 && buf[off + 1] >= SB && buf[off + 1] < IAC ? 'telnet' : null;
  const n = Math.min(len, TEXT_SNIFF);
  for (let i = off; i < off + n; i++) {
    const b = buf[i];
    if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) || b >= 0x7f) return null;
  }
  let word = 0;
  while (word < 8 && word < len && buf[off + word] >= 0x41 && buf[off + word] <= 0x5a) word++;
  if (word < len && buf[off + word] === 0x20) {
    const method = String.fromCharCode(...buf.subarray(off, off + word));
    if (HTTP_METHODS.has(method)) return 'http';
  }
  return 'shell';
}

/**
 * Reads one flow's bytes towards a device as lines of a shell session: telnet negotiation
 * removed, an HTTP request's %-escapes and `+` decoded. A line is matched when it ends, when it
 * fills, and at a segment that ends a message (PSH) when it is more than one typed key (there a
 * command running to the line's end waits for the rest, or for the device's answer).
 */
export class CommandScanner {
  readonly service: CommandService;
  readonly #telnet: boolean;
  readonly #http: boolean;
  readonly #line = new Uint8Array(LINE_MAX);
  #len = 0;
  #t = T_DATA;
  /** %-escape state: 0 none, 1 after '%', 2 after '%' and one hex digit (#hex). */
  #pct = 0;
  #hex = 0;
  #found = 0;
  #urls: string[] = [];
  #pending: CommandMatch[] = [];
  /** The evidence of the flow's last command, whose `runs` a later run step sets. */
  last: { runs: boolean } | null = null;

  constructor(service: CommandService) {
    this.service = service;
    this.#telnet = service === 'telnet';
    this.#http = service === 'http';
  }

  /** It has reported all it will; the flow need not be read any more. */
  get done(): boolean {
    return this.#found >= MAX_MATCHES;
  }

  /** Reads `len` bytes at `off`; true when commands were found (take them with `take`). */
  feed(buf: Uint8Array, off: number, len: number, push: boolean): boolean {
    const end = Math.min(off + len, buf.length);
    for (let i = off; i < end; i++) {
      let b = buf[i];
      if (this.#telnet) {
        const t = this.#t;
        if (t !== T_DATA) {
          if (t === T_IAC)
            this.#t = b === IAC ? T_DATA : b === SB ? T_SUB : b >= WILL ? T_OPTION : T_DATA;
          else if (t === T_OPTION) this.#t = T_DATA;
          else if (t === T_SUB) this.#t = b === IAC ? T_SUB_IAC : T_SUB;
          else this.#t = b === SE ? T_DATA : T_SUB;
          continue;
        }
        if (b === IAC) {
          this.#t = T_IAC;
          continue;
        }
      } else if (this.#http) {
        if (this.#pct !== 0) {
          const v = hexValue(b);
          if (this.#pct === 1 && v >= 0) {
            this.#hex = v;
            this.#pct = 2;
            continue;
          }
          const first = this.#pct === 2;
          this.#pct = 0;
          if (first && v >= 0) b = this.#hex * 16 + v;
          else {
            this.#put(0x25);
            if (first) this.#put(this.#hex < 10 ? 0x30 + this.#hex : 0x57 + this.#hex);
          }
        } else if (b === 0x25) {
          this.#pct = 1;
          continue;
        } else if (b === 0x2b) b = 0x20;
      }
      this.#put(b);
    }
    if (push && len > 1 && this.#len > 0) this.#scan(false);
    return this.#pending.length > 0;
  }

  /**
   * The device answered: an HTTP request it answers has been sent whole, so a command that runs
   * to the end of the body is complete. True when commands were found.
   */
  answered(): boolean {
    if (this.#http && this.#len > 0) {
      this.#scan(true);
      this.#len = 0;
    }
    return this.#pending.length > 0;
  }

  /** The commands found since the last call. */
  take(): CommandMatch[] {
    const out = this.#pending;
    this.#pending = [];
    return out;
  }

  #put(b: number): void {
    if (b === 0x0a || b === 0x0d || b === 0) {
      if (this.#len > 0) this.#scan(true);
      this.#len = 0;
      return;
    }
    if (this.#len === LINE_MAX) {
      this.#scan(false);
      this.#line.copyWithin(0, LINE_MAX - LINE_KEEP);
      this.#len = LINE_KEEP;
    }
    this.#line[this.#len++] = b;
  }

  /**
   * Matches the current line (`complete`: it ended; else it may still grow, and a command that
   * runs to its end waits). Each command is reported once a flow.
   */
  #scan(complete: boolean): void {
    if (this.done) return;
    const line = this.#line;
    const len = this.#len;
    if (this.last !== null && hasRunStep(line, len)) this.last.runs = true;
    for (let i = 0; i + 4 <= len && !this.done; i++) {
      if (COMMAND_START[line[i]] === 0) continue;
      const m = commandAt(line, i, len, complete);
      if (m === null) continue;
      if (!this.#urls.includes(m.url)) {
        this.#urls.push(m.url);
        this.#pending.push(m);
        this.#found++;
      }
      if (m.tool === 'echo-loader') i += 16;
    }
  }
}

function hexValue(b: number): number {
  if (b >= 0x30 && b <= 0x39) return b - 0x30;
  const l = b | 0x20;
  return l >= 0x61 && l <= 0x66 ? l - 0x57 : -1;
}
