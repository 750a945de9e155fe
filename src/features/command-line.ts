/**
 * One line of a shell session, matched for the commands that fetch and run a program
 * (commands.ts reads the session into lines): `wget`, `curl`, `tftp` or `ftpget` as a command,
 * with the URL, or host and file, it is told to fetch; the echo loader's ELF magic typed as
 * escapes; a run step (`chmod`, `sh`, `bash`, `./x`). Shell word splitting is followed as far as
 * droppers use it: blanks, quotes and `${IFS}` separate words; `;` `|` `&` backquotes,
 * parentheses and redirections end a command. Allocates only for a match.
 * @module
 */

export type CommandTool = 'wget' | 'curl' | 'tftp' | 'ftpget' | 'echo-loader';
/** How the command reached the device: its telnet service, its HTTP server, a bare session. */
export type CommandService = 'telnet' | 'http' | 'shell';

export interface CommandMatch {
  tool: CommandTool;
  /** What it was told to fetch: http://…, tftp://host/file, ftp://host/file; '' (echo loader). */
  url: string;
  /** Host of `url` without port ('' for the echo loader). */
  host: string;
  /** A run step came with it (chmod, sh, bash, ./x), in its line or a later one of the flow. */
  runs: boolean;
}

/** Longest URL kept. */
const MAX_URL = 256;

/** All commands of one line of text (tests, and anything that reads a whole line). */
export function commandsIn(text: string): CommandMatch[] {
  const line = Buffer.from(text, 'latin1');
  const out: CommandMatch[] = [];
  for (let i = 0; i + 4 <= line.length; i++) {
    const m = commandAt(line, i, line.length);
    if (m !== null) out.push(m);
  }
  return out;
}

/** Letters, digits and the characters that continue a word or a file name. */
function isWordByte(b: number): boolean {
  const l = b | 0x20;
  return (
    (l >= 0x61 && l <= 0x7a) || (b >= 0x30 && b <= 0x39) || b === 0x5f || b === 0x2e || b === 0x2d
  );
}

function at(line: Uint8Array, i: number, len: number, word: string): boolean {
  if (i + word.length > len) return false;
  for (let k = 0; k < word.length; k++) if (line[i + k] !== word.charCodeAt(k)) return false;
  return true;
}

/**
 * Length of the argument separator at `i` (0: none): blanks and quotes, and the shell's
 * `${IFS}` / `$IFS` (with an optional `$9`-style empty parameter) that exploits use for spaces.
 */
function sepLen(line: Uint8Array, i: number, len: number): number {
  const b = line[i];
  if (b === 0x20 || b === 0x09 || b === 0x27 || b === 0x22) return 1;
  if (b !== 0x24) return 0;
  const n = at(line, i, len, '${IFS}') ? 6 : at(line, i, len, '$IFS') ? 4 : 0;
  if (n === 0) return 0;
  const j = i + n;
  return j + 1 < len && line[j] === 0x24 && line[j + 1] >= 0x30 && line[j + 1] <= 0x39 ? n + 2 : n;
}

/** Ends a simple command: `;` `|` `&` backquote, parentheses, redirections. */
function endsCommand(b: number): boolean {
  return (
    b === 0x3b ||
    b === 0x7c ||
    b === 0x26 ||
    b === 0x60 ||
    b === 0x29 ||
    b === 0x28 ||
    b === 0x3c ||
    b === 0x3e
  );
}

const TOOLS: readonly CommandTool[] = ['wget', 'curl', 'tftp', 'ftpget'];

/** Options of each tool that take a value (the value is not the target). */
const VALUED: Record<string, ReadonlySet<string>> = {
  wget: new Set([
    '-O',
    '-o',
    '-P',
    '-U',
    '-T',
    '-t',
    '-e',
    '-a',
    '-i',
    '-B',
    '-Y',
    '-l',
    '--header',
    '--user-agent',
    '--output-document',
  ]),
  curl: new Set([
    '-o',
    '-H',
    '-A',
    '-u',
    '-x',
    '-m',
    '-d',
    '-X',
    '-e',
    '-b',
    '-c',
    '-T',
    '-w',
    '-K',
    '--output',
    '--retry',
    '--max-time',
    '--connect-timeout',
    '--user-agent',
  ]),
  tftp: new Set(['-l', '-b', '-m']),
  ftpget: new Set(['-u', '-p', '-P']),
};

/** The command that starts at `i`, or null. */
/** Where the last argsFrom stopped (read right after it; no object for a two-value result). */
let argsEnd = 0;

/**
 * The command that starts at `i`, or null. With `complete` false the line may still grow (a
 * segment ended in it): a command whose words run to its end is not taken yet.
 */
export function commandAt(
  line: Uint8Array,
  i: number,
  len: number,
  complete = true,
): CommandMatch | null {
  const b = line[i];
  if (b === 0x5c) return echoLoaderAt(line, i, len);
  if (b !== 0x77 && b !== 0x63 && b !== 0x74 && b !== 0x66) return null;
  if (i > 0 && isWordByte(line[i - 1])) return null;
  let tool: CommandTool | null = null;
  for (const t of TOOLS) {
    if (at(line, i, len, t)) {
      tool = t;
      break;
    }
  }
  if (tool === null) return null;
  const after = i + tool.length;
  if (after >= len || sepLen(line, after, len) === 0) return null;
  const args = argsFrom(line, after, len);
  if (!complete && argsEnd >= len) return null;
  const url = target(tool, args);
  if (url === null) return null;
  return { tool, url, host: hostOf(url), runs: hasRunStep(line, len) };
}

/** `\\x` and the two hex digits `hex` (lower case) at `k`, in any case. */
function escapeAt(line: Uint8Array, k: number, len: number, hex: string): boolean {
  return (
    k + 4 <= len &&
    line[k] === 0x5c &&
    (line[k + 1] | 0x20) === 0x78 &&
    (line[k + 2] | 0x20) === hex.charCodeAt(0) &&
    (line[k + 3] | 0x20) === hex.charCodeAt(1)
  );
}

/** `\x7f\x45\x4c\x46` (any case), `\x7fELF` or `\177ELF`: an ELF's magic typed as escapes. */
function echoLoaderAt(line: Uint8Array, i: number, len: number): CommandMatch | null {
  if (!escapeAt(line, i, len, '7f') && !at(line, i, len, '\\177')) return null;
  const j = i + 4;
  const hex =
    escapeAt(line, j, len, '45') &&
    escapeAt(line, j + 4, len, '4c') &&
    escapeAt(line, j + 8, len, '46');
  if (!hex && !at(line, j, len, 'ELF')) return null;
  return { tool: 'echo-loader', url: '', host: '', runs: true };
}

/** The words of a simple command from `from` to its end. */
function argsFrom(line: Uint8Array, from: number, len: number): string[] {
  const out: string[] = [];
  let i = from;
  while (i < len && out.length < 16) {
    let s = sepLen(line, i, len);
    while (s > 0) {
      i += s;
      s = i < len ? sepLen(line, i, len) : 0;
    }
    if (i >= len || endsCommand(line[i])) break;
    const start = i;
    while (i < len && !endsCommand(line[i]) && sepLen(line, i, len) === 0) i++;
    out.push(
      Buffer.from(line.buffer, line.byteOffset + start, Math.min(i - start, MAX_URL)).toString(
        'latin1',
      ),
    );
  }
  argsEnd = i;
  return out;
}

const SCHEME = /^(https?|ftp|tftp):\/\//i;
/** An IPv4 literal or a DNS name (a dot, a last label of letters), an optional port and path. */
const HOST_PATH = /^(\d{1,3}(\.\d{1,3}){3}|([a-z0-9-]+\.)+[a-z]{2,})(:\d{1,5})?(\/\S*)?$/i;

/** What `tool` with `args` is told to fetch, as a URL; null when it names nothing to fetch. */
function target(tool: CommandTool, args: string[]): string | null {
  const valued = VALUED[tool];
  const plain: string[] = [];
  let host = '';
  let remote = '';
  for (let k = 0; k < args.length; k++) {
    const a = args[k].replace(/\\/g, '');
    if (SCHEME.test(a)) return a.slice(0, MAX_URL);
    if (a.startsWith('-')) {
      // busybox tftp's `-r FILE`, and exploits that give wget tftp's `-g HOST -r FILE`.
      if (a === '-r' || a === '--remote-file') remote = args[++k] ?? '';
      else if (a === '-g' && tool === 'wget') host = args[++k] ?? '';
      else if (valued.has(a)) k++;
      continue;
    }
    if (a === 'get' && tool === 'tftp') {
      remote = args[++k] ?? '';
      continue;
    }
    plain.push(a);
  }
  if (tool === 'ftpget') {
    if (plain.length < 2 || !HOST_PATH.test(plain[0])) return null;
    return `ftp://${plain[0]}/${(plain[2] ?? plain[1]).replace(/^\/+/, '')}`.slice(0, MAX_URL);
  }
  if (tool === 'tftp' || host !== '') {
    const h = host !== '' ? host : (plain.find((a) => HOST_PATH.test(a)) ?? '');
    if (!HOST_PATH.test(h)) return null;
    return `tftp://${h}/${remote.replace(/^\/+/, '')}`.slice(0, MAX_URL);
  }
  const hp = plain.find((a) => HOST_PATH.test(a));
  return hp === undefined ? null : `http://${hp}`.slice(0, MAX_URL);
}

/** Host of a URL, without user or port. */
function hostOf(url: string): string {
  const start = url.indexOf('://') + 3;
  let end = url.indexOf('/', start);
  if (end < 0) end = url.length;
  let h = url.slice(start, end);
  const at = h.lastIndexOf('@');
  if (at >= 0) h = h.slice(at + 1);
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  const colon = h.indexOf(':');
  return colon >= 0 ? h.slice(0, colon) : h;
}

const RUN_WORDS = ['chmod', 'sh', 'bash'];

/**
 * A run step in the line: `chmod`, `sh`, `bash` as a command (after a separator, a `/` path or
 * the start, and ended by a blank, `;`, `|` or the line's end), or `./name`.
 */
export function hasRunStep(line: Uint8Array, len: number): boolean {
  for (let i = 0; i + 2 <= len; i++) {
    const b = line[i];
    if (i > 0) {
      const p = line[i - 1];
      if (p !== 0x20 && p !== 0x09 && p !== 0x2f && !endsCommand(p) && p !== 0x27 && p !== 0x22)
        continue;
    }
    if (b === 0x2e && line[i + 1] === 0x2f && i + 2 < len && isWordByte(line[i + 2])) {
      if (i === 0 || line[i - 1] !== 0x2f) return true;
      continue;
    }
    if (b !== 0x63 && b !== 0x73 && b !== 0x62) continue;
    for (const w of RUN_WORDS) {
      if (!at(line, i, len, w)) continue;
      const j = i + w.length;
      if (j === len || sepLen(line, j, len) > 0 || endsCommand(line[j])) return true;
    }
  }
  return false;
}
