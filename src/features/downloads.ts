/**
 * Which HTTP response bodies count as downloads of programs or opaque binaries
 * (`opaqueDownloads`), and why: tables, not a chain of ifs.
 *
 * A body counts when (first matching reason):
 * 1. `magic`: its first bytes are an executable or a script (ELF, PE `MZ`, `#!`), as
 *    `executableDownloads` sniffs them;
 * 2. `content-type`: its media type is one of OPAQUE_CONTENT_TYPES;
 * 3. `path`: the request path (before any query string or fragment) ends in one of
 *    EXECUTABLE_EXTENSIONS, including the architecture suffixes IoT botnet loaders name their
 *    binaries with (`/bins/x.arm7`, `.mips`, `.x86`);
 * 4. `disguised`: the body is binary (control bytes, broken UTF-8) but is declared as text
 *    (`text/*`, JSON, JavaScript, XML) or not declared at all — an encrypted payload passed off
 *    as a web page (Trickbot's loader answers `text/html`).
 *
 * Only responses that carry a body are judged: a 2xx status other than 204, to a request other
 * than HEAD, without `Content-Length: 0`. An exploit kit's payload served encrypted as
 * `application/octet-stream` has no executable magic: the content type catches it.
 * @module
 */
import type { BodyKind } from '../decode/app/types.js';

export type DownloadReason = 'magic' | 'content-type' | 'path' | 'disguised';

/** Body kinds (decode/app/body.ts) that are programs. */
export const EXECUTABLE_MAGIC: ReadonlySet<BodyKind> = new Set<BodyKind>(['elf', 'pe', 'script']);

/** Media types of programs and opaque binaries (lower case, parameters stripped). */
export const OPAQUE_CONTENT_TYPES: ReadonlySet<string> = new Set([
  'application/octet-stream',
  // Amazon S3's default for objects stored without a type (firmware blobs, droppers alike).
  'binary/octet-stream',
  'application/x-msdownload',
  'application/x-msdos-program',
  'application/x-dosexec',
  'application/x-executable',
  'application/x-sharedlib',
  'application/x-elf',
  'application/x-sh',
  'application/x-shellscript',
  'application/x-csh',
  'application/x-msi',
  'application/x-ms-installer',
  'application/vnd.microsoft.portable-executable',
  'application/x-shockwave-flash',
  'application/vnd.android.package-archive',
  'application/java-archive',
  'application/x-java-archive',
  'application/hta',
  'application/x-mach-binary',
]);

/** Path endings of programs and scripts (lower case, with the dot). */
export const EXECUTABLE_EXTENSIONS: ReadonlySet<string> = new Set([
  '.exe',
  '.dll',
  '.scr',
  '.msi',
  '.ps1',
  '.bat',
  '.cmd',
  '.vbs',
  '.hta',
  '.jar',
  '.apk',
  '.sh',
  '.bin',
  '.elf',
  '.arm',
  '.arm5',
  '.arm6',
  '.arm7',
  '.mips',
  '.mpsl',
  '.x86',
  '.x86_64',
  '.ppc',
  '.m68k',
  '.sh4',
  '.spc',
]);

/** Media type of a Content-Type value: lower case, before any `;` parameters, trimmed. */
export function mediaType(contentType: string): string {
  const semi = contentType.indexOf(';');
  return (semi < 0 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
}

/** The lower-case extension (with its dot) of a request target's path, or ''. */
export function pathExtension(uri: string): string {
  let end = uri.length;
  const q = uri.indexOf('?');
  if (q >= 0) end = q;
  const h = uri.indexOf('#');
  if (h >= 0 && h < end) end = h;
  const slash = uri.lastIndexOf('/', end - 1);
  const dot = uri.lastIndexOf('.', end - 1);
  if (dot <= slash || dot < 0) return '';
  return uri.slice(dot, end).toLowerCase();
}

/** A response carries a body worth judging. */
export function hasBody(status: number, method: string, contentLength?: number): boolean {
  return (
    status >= 200 && status < 300 && status !== 204 && method !== 'HEAD' && contentLength !== 0
  );
}

/** Why a body counts as a download of concern, or null when it does not. */
export function downloadReason(
  magic: BodyKind | undefined,
  contentType: string,
  uri: string,
): DownloadReason | null {
  if (magic !== undefined && EXECUTABLE_MAGIC.has(magic)) return 'magic';
  if (contentType !== '' && OPAQUE_CONTENT_TYPES.has(mediaType(contentType))) return 'content-type';
  if (EXECUTABLE_EXTENSIONS.has(pathExtension(uri))) return 'path';
  if (magic === 'binary' && isTextual(mediaType(contentType))) return 'disguised';
  return null;
}

/** Media types that announce text (or nothing at all). */
function isTextual(media: string): boolean {
  return (
    media === '' ||
    media.startsWith('text/') ||
    media === 'application/json' ||
    media === 'application/javascript' ||
    media === 'application/xml' ||
    media === 'application/xhtml+xml' ||
    media === 'application/x-www-form-urlencoded'
  );
}
