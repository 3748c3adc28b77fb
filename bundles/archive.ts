import { link, open, readFile, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { TarArchive } from 'archiver';
import tar from 'tar-stream';
import { type BundleEntry, sha256 } from './entries.js';

// A bundle is small (tens to hundreds of KiB), so it is packed in memory:
// archiver writes the tar, then one gzip pass compresses it whole. archiver's
// own gzip stream compresses each 512-byte tar record in a separate async zlib
// call, which tripled the time of this step.
export async function packTarGz(top: string, entries: BundleEntry[], mtime: Date): Promise<Buffer> {
  const archive = new TarArchive();
  const chunks: Buffer[] = [];
  archive.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    archive.on('end', resolve);
    archive.on('error', reject);
  });
  for (const e of entries)
    archive.append(e.bytes, { name: `${top}/${e.path}`, date: mtime, mode: 0o644 });
  await archive.finalize();
  await ended;
  return gzipSync(Buffer.concat(chunks), { level: 6 });
}

// Writes bytes atomically: a temporary file in the same directory, fsync,
// then link() to the final name, which fails if that name exists. A crash at
// any point leaves no file under the final name (only a dot-prefixed
// .partial, removed on error), and an existing file is never overwritten.
export async function writeAtomic(file: string, bytes: Buffer): Promise<void> {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.partial`);
  try {
    const fh = await open(tmp, 'wx', 0o600);
    try {
      for (let at = 0; at < bytes.length; at += 1 << 20)
        await fh.write(bytes.subarray(at, Math.min(bytes.length, at + (1 << 20))));
      await fh.sync();
    } finally {
      await fh.close();
    }
    await link(tmp, file);
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

// Writes entries as <top>/<path> into a tar.gz, atomically. Its size and
// sha256 are taken from the file as read back (readTarGz).
export async function writeTarGz(
  file: string,
  top: string,
  entries: BundleEntry[],
  mtime: Date,
): Promise<void> {
  await writeAtomic(file, await packTarGz(top, entries, mtime));
}

// Reads a tar.gz back into memory: the leak scan and `verify` look at the
// bytes that will actually be shipped, not at what we meant to write. The
// size and sha256 are those of the file as read.
export async function readTarGz(file: string): Promise<{
  entries: BundleEntry[];
  warnings: string[];
  bytes: number;
  sha256: string;
}> {
  const gz = await readFile(file);
  const entries: BundleEntry[] = [];
  const warnings: string[] = [];
  const extract = tar.extract();
  const done = new Promise<void>((resolve, reject) => {
    extract.on('finish', resolve);
    extract.on('error', reject);
  });
  extract.on('entry', (header, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: unknown) => {
      chunks.push(c as Buffer);
    });
    stream.on('end', () => {
      if (header.type === 'file') entries.push({ path: header.name, bytes: Buffer.concat(chunks) });
      else if (header.type !== 'directory')
        warnings.push(`${header.name}: unexpected ${header.type} entry`);
      next();
    });
    stream.resume();
  });
  extract.end(gunzipSync(gz));
  await done;
  return { entries, warnings, bytes: gz.length, sha256: sha256(gz) };
}
