import { closeSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { execa } from 'execa';
import { headerOf, type Member, writeTar } from './craft-archive.js';

// .tar.xz archives for the tests, compressed by the xz command (xz-utils,
// installed by scripts/install-deps.sh), then damaged byte by byte here.

export const hasXz = (await execa('sh', ['-c', 'command -v xz'], { reject: false })).exitCode === 0;

export async function xz(data: Uint8Array, ...opts: string[]): Promise<Buffer> {
  const r = await execa('xz', ['-c', ...opts], { input: data, encoding: 'buffer' });
  return Buffer.from(r.stdout);
}

export async function writeTarXz(file: string, members: Member[], ...opts: string[]) {
  await writeTar(file, members, false);
  writeFileSync(file, await xz(readFileSync(file), ...opts));
}

const MiB = 1 << 20;

// A .tar.xz that unpacks to `gib` GiB, as writeBomb's gzip: one xz stream of
// 16 MiB of zeros (2.5 KB), repeated, since a decoder reads concatenated
// streams as one (xz -d does). xz itself would take 6 s a GiB here. With
// `header`, the zeros are the content of one huge file entry, after `lead`
// (bytes that make the file long to read); without, they are tar padding.
export async function writeXzBomb(
  file: string,
  gib: number,
  header?: string,
  lead?: Buffer,
): Promise<void> {
  const zeros = await xz(Buffer.alloc(16 * MiB), '-1');
  const parts: Buffer[] = [];
  if (header) parts.push(await xz(await headerOf({ name: header, size: gib * 1024 * MiB })));
  if (lead) parts.push(await xz(lead, '-0'));
  const fd = openSync(file, 'w');
  try {
    for (const p of parts) writeSync(fd, p);
    for (let i = 0; i < gib * 64; i++) writeSync(fd, zeros);
  } finally {
    closeSync(fd);
  }
}

// The offset of a one-stream file's last integrity check (`bytes` long),
// just before the index: the footer's backward size gives the index's length.
export function lastCheckAt(file: Buffer, bytes = 8): number {
  const indexBytes = (file.readUInt32LE(file.length - 8) + 1) * 4;
  return file.length - 12 - indexBytes - bytes;
}

// The file with its first block's LZMA2 dictionary set to `prop` (xz's
// encoding: 28 is 64 MiB, 30 is 128 MiB), its header's CRC32 made right
// again: only the dictionary is wrong. Needs sizes left out of the header
// (xz -T1 leaves them out).
export function withDictionary(file: Buffer, prop: number): Buffer {
  const out = Buffer.from(file);
  const at = 12; // after the stream header
  const size = (out[at]! + 1) * 4;
  if (out[at + 1] !== 0 || out[at + 2] !== 0x21 || out[at + 3] !== 1)
    throw new Error('not a one-filter LZMA2 block header without sizes');
  out[at + 4] = prop;
  out.writeUInt32LE(crc32(out.subarray(at, at + size - 4)), at + size - 4);
  return out;
}
