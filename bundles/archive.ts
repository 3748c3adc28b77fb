import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import type { ReadLimits } from '../collectors/offline/limits.js';
import { shown } from '../collectors/offline/shown.js';
import { readTar } from '../collectors/offline/tar-read.js';
import { writeAtomic } from '../kit/atomic-write.js';
import type { BundleEntry } from './entries.js';

// A bundle is small (tens to hundreds of KiB), so it is packed in memory:
// tar-stream writes the tar, then one gzip pass compresses it whole (a gzip
// stream compressed each 512-byte tar record in a separate async zlib call,
// which tripled the time of this step). tar-stream is what archiver wrapped,
// and gives the same bytes for the same entries; without archiver's layers
// of streams, packing is a third faster, and the read back (readTarGz)
// already loads tar-stream.
export async function packTarGz(top: string, entries: BundleEntry[], mtime: Date): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (c) => void chunks.push(c as Buffer));
  const ended = new Promise<void>((resolve, reject) => {
    pack.on('end', resolve);
    pack.on('error', reject);
  });
  for (const e of entries)
    pack.entry({ name: `${top}/${e.path}`, type: 'file', mode: 0o644, mtime }, e.bytes);
  pack.finalize();
  await ended;
  return gzipSync(Buffer.concat(chunks), { level: 6 });
}

// Writes entries as <top>/<path> into a tar.gz, atomically and durably; it
// never replaces an existing file. Its size and
// sha256 are taken from the file as read back (readTarGz). `check` reads the
// written file before it takes its name (writeAtomic).
export async function writeTarGz(
  file: string,
  top: string,
  entries: BundleEntry[],
  mtime: Date,
  check?: (written: string) => Promise<void>,
): Promise<void> {
  await writeAtomic(file, await packTarGz(top, entries, mtime), check ? { check } : {});
}

// Reads a tar.gz back into memory: the leak scan and `verify` look at the
// bytes that will actually be shipped, not at what we meant to write. The
// size and sha256 are those of the file as read. The archive may come from
// a stranger (`verify`, `show`): it is streamed, within READ_LIMITS, and an
// entry that is not a file or a directory is only named in `warnings`.
export async function readTarGz(
  file: string,
  o: { signal?: AbortSignal; limits?: ReadLimits } = {},
): Promise<{
  entries: BundleEntry[];
  // Directory entries' names: `verify` holds them to the same path rule.
  dirs: string[];
  // Symbolic and hard links, with their targets: never in a bundle; a
  // redacted sos report keeps its own (`proc/net -> self/net`).
  links: Array<{ path: string; target: string; hard: boolean }>;
  warnings: string[];
  bytes: number;
  sha256: string;
}> {
  const entries: BundleEntry[] = [];
  const dirs: string[] = [];
  const links: Array<{ path: string; target: string; hard: boolean }> = [];
  const warnings: string[] = [];
  // The digest comes with the read: a refused archive stops both.
  const whole = await readTar(file, {
    label: file,
    gzipOnly: true,
    digest: true,
    keep: () => true,
    onEntry: (e, bytes) => {
      if (bytes) entries.push({ path: e.name, bytes });
      else if (e.type === 'directory') dirs.push(e.name);
      else {
        if ((e.type === 'symlink' || e.type === 'link') && e.linkname !== undefined)
          links.push({ path: e.name, target: e.linkname, hard: e.type === 'link' });
        warnings.push(`${shown(e.name)}: unexpected ${e.type} entry`);
      }
    },
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.limits ? { limits: o.limits } : {}),
  });
  return { entries, dirs, links, warnings, ...whole! };
}
