import { createReadStream, createWriteStream } from 'node:fs';
import { link, open, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { TarArchive } from 'archiver';
import tar from 'tar-stream';
import { type BundleEntry, sha256 } from './entries.js';

// Writes entries as <top>/<path> into a tar.gz, atomically: a temporary file
// in the same directory, fsync, then link() to the final name, which fails if
// that name exists. A crash at any point leaves no .tar.gz behind (only a
// dot-prefixed .partial, removed on error), and a bundle is never overwritten.
export async function writeTarGz(
  file: string,
  top: string,
  entries: BundleEntry[],
  mtime: Date,
): Promise<{ bytes: number; sha256: string }> {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.partial`);
  try {
    const out = createWriteStream(tmp, { flags: 'wx', mode: 0o600 });
    const zip = new TarArchive({ gzip: true, gzipOptions: { level: 6 } });
    const done = pipeline(zip, out);
    for (const e of entries)
      zip.append(e.bytes, { name: `${top}/${e.path}`, date: mtime, mode: 0o644 });
    await zip.finalize();
    await done;
    const fh = await open(tmp, 'r');
    await fh.sync();
    await fh.close();
    await link(tmp, file);
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
  const bytes = (await stat(file)).size;
  return { bytes, sha256: await fileSha256(file) };
}

export async function fileSha256(file: string): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of createReadStream(file)) chunks.push(c as Buffer);
  return sha256(Buffer.concat(chunks));
}

// Reads a tar.gz back into memory: the leak scan and `verify` look at the
// bytes that will actually be shipped, not at what we meant to write.
export async function readTarGz(
  file: string,
): Promise<{ entries: BundleEntry[]; warnings: string[] }> {
  const entries: BundleEntry[] = [];
  const warnings: string[] = [];
  const extract = tar.extract();
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
  await pipeline(createReadStream(file), createGunzip(), extract);
  return { entries, warnings };
}
