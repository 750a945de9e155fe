/**
 * The start of an ELF32 executable (System V ABI, "Object File Format"): ELF header and
 * two PT_LOAD program headers, as the Mirai-family loaders fetch (`/bins/mips` …). What
 * follows in the file is filler.
 * @module
 */

/** Architectures IoT malware is built for: name, e_machine, big-endian, e_flags. */
export const ELF_ARCHS: readonly (readonly [string, number, boolean, number])[] = [
  ['mips', 8, true, 0x00001007],
  ['mpsl', 8, false, 0x00001007],
  ['arm', 40, false, 0x04000002],
  ['arm7', 40, false, 0x05000002],
  ['x86', 3, false, 0],
  ['ppc', 20, true, 0],
  ['sh4', 42, false, 0x9],
  ['m68k', 4, true, 0],
];

const EHDR = 52;
const PHDR = 32;

/** ELF header + 2 program headers (116 bytes) for `arch`, with a file of `size` bytes. */
export function elfHead(arch: readonly [string, number, boolean, number], size: number): Buffer {
  const [, machine, be, flags] = arch;
  const b = Buffer.alloc(EHDR + 2 * PHDR);
  const u16 = (v: number, o: number): number =>
    be ? b.writeUInt16BE(v, o) : b.writeUInt16LE(v, o);
  const u32 = (v: number, o: number): number =>
    be ? b.writeUInt32BE(v >>> 0, o) : b.writeUInt32LE(v >>> 0, o);
  b.set([0x7f, 0x45, 0x4c, 0x46, 1, be ? 2 : 1, 1, 0], 0); // \x7fELF, ELFCLASS32, data, version
  u16(2, 16); // ET_EXEC
  u16(machine, 18);
  u32(1, 20); // EV_CURRENT
  const base = machine === 3 ? 0x08048000 : 0x00400000;
  u32(base + 0x94 + (size & 0xff0), 24); // e_entry
  u32(EHDR, 28); // e_phoff
  u32(0, 32); // e_shoff: stripped of section headers
  u32(flags, 36);
  u16(EHDR, 40);
  u16(PHDR, 42);
  u16(2, 44);
  u16(40, 46);
  u16(0, 48);
  u16(0, 50);
  const text = Math.floor(size * 0.9);
  // PT_LOAD r-x: the text.
  u32(1, EHDR);
  u32(0, EHDR + 4);
  u32(base, EHDR + 8);
  u32(base, EHDR + 12);
  u32(text, EHDR + 16);
  u32(text, EHDR + 20);
  u32(5, EHDR + 24);
  u32(0x10000, EHDR + 28);
  // PT_LOAD rw-: the data.
  const p = EHDR + PHDR;
  u32(1, p);
  u32(text, p + 4);
  u32(base + 0x10000 + text, p + 8);
  u32(base + 0x10000 + text, p + 12);
  u32(size - text, p + 16);
  u32(size - text + 0x2000, p + 20);
  u32(6, p + 24);
  u32(0x10000, p + 28);
  return b;
}
